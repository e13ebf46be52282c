"""The fast start-trigger scanners of the atom rules find exactly the starts `finditer` finds."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.temporal.grammar import grammar
from timeline.temporal.scan import foldable, scanner


def _patterns() -> dict[str, re.Pattern[str]]:
    """The start triggers as compiled patterns, to compare the grammar's scanners with."""
    lex = grammar().lexicon
    return {name: re.compile(lex.expand(source), re.IGNORECASE) for name, source in lex.starts.items()}


# Letters of the trigger words, case variants, and the characters that fold oddly (long s, Kelvin
# sign, dotted and dotless i) so that the fallback is exercised too.
_ALPHABET = "aonthe inwdyMONTHEDAY-_.,/:12 \u017f\u212a\u0130\u0131\u00e9\u00c9"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_scanners_agree_with_finditer(text: str) -> None:
    g = grammar()
    low = foldable(text)
    for name, pattern in _patterns().items():
        assert g.starts[name](text, low) == [m.start() for m in pattern.finditer(text)], name


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="aonthe inwdyMONTHEDAY-_.,/:12 \n'decmayfri", max_size=40))
def test_ascii_scanners_agree_with_finditer(text: str) -> None:
    # ASCII text takes the scanners' consuming twins: a start at 0 and one right after a match ending on
    # a character allowed before a start ("-", "'", ".") are the cases they hand back to the pattern
    g = grammar()
    low = foldable(text)
    for name, pattern in _patterns().items():
        assert g.starts[name](text, low) == [m.start() for m in pattern.finditer(text)], name


def test_known_texts() -> None:
    g = grammar()
    texts = ["On Monday", "xa couple of days", "\u017fept. 3", "in the day", "Mondays on", "", "on on-friday"]
    for text in [*texts, "Sept.3 2015-12-01", "the day, in 12 days", "on", "4 on Tuesday4"]:
        low = foldable(text)
        for name, pattern in _patterns().items():
            assert g.starts[name](text, low) == [m.start() for m in pattern.finditer(text)], (name, text)


def test_folding_refused_where_case_rules_differ() -> None:
    assert foldable("\u017fept") is None  # the long s matches "s" ignoring case but lower() keeps it
    assert foldable("\u0130stanbul") is None  # lower() makes two characters of the dotted I
    assert foldable("Caf\u00e9 MAY") == "caf\u00e9 may"


def test_unknown_shapes_keep_finditer() -> None:
    pattern = re.compile(r"(?:may|june)", re.IGNORECASE)
    assert scanner(pattern)("May June", "may june") == [0, 4]


def test_every_wrap_gate_names_a_handler() -> None:
    from timeline.temporal.wraps import ACCEPTS, WRAPS

    assert set(ACCEPTS) <= set(WRAPS.values())
    handlers = {rule.handler for rule in grammar().wraps}
    assert set(ACCEPTS) <= handlers


def test_required_words_are_in_every_match() -> None:
    from timeline.temporal.scan import required

    pattern = re.compile(r"(?<![\w-])(?:the\s+)?day\s+(?P<dir>after\s+tomorrow|before\s+yesterday)\b", re.I)
    assert required(pattern) == ("tomorrow", "yesterday")
    assert required(re.compile(r"(?:in|within)?\s*\d+", re.I)) is None  # nothing is required
    assert required(re.compile(r"tomorrow")) is None  # case-sensitive: not for folded text
    # the parser splits "qtr|quarter" into "q" and a branch: the whole words are the stronger gate
    quarter = re.compile(r"(?:qtr|quarter)\s+\d", re.I)
    assert required(quarter) == ("qtr", "quarter")
    assert required(quarter, heads=False) == ("tr", "uarter")
    assert required(re.compile(r"t(?:wo|en)?s", re.I)) is None  # "ts" alone may be the match: too short
    corpus = (Path(__file__).resolve().parents[2] / "timeline/temporal/data/en/corpus.txt").read_text("utf-8")
    phrases = [line.split("|")[0].replace("{", "").replace("}", "") for line in corpus.splitlines()]
    for rule in grammar().all_rules():
        if rule.need is None or rule.pattern is None:
            continue
        for phrase in phrases:
            for m in rule.pattern.finditer(phrase):
                assert rule.need.search(m.group(0).lower()), (rule.name, phrase)


def test_implied_word_start_assertions_are_dropped_only_at_the_start() -> None:
    from timeline.temporal.scan import without_implied_leads

    lead = r"(?<![^\W_])"
    pattern = re.compile(rf"(?<![\w-])(?:{lead}(?:next|last)|{lead}a\s+{lead}few)\b", re.I)
    simpler = without_implied_leads(pattern).pattern
    # the one after a space stays; the group that was a whole alternative gives its own alternatives
    assert simpler == rf"(?<![\w-])(?:next|last|a\s+{lead}few)\b"
    kept = re.compile(rf"(?<![\w-])(?:{lead}(?:ab)+|(?:c|d)e|{lead}(?:f|g))", re.I)
    assert without_implied_leads(kept).pattern == r"(?<![\w-])(?:(?:ab)+|(?:c|d)e|f|g)"
    repeated = re.compile(rf"(?<![\w-])(?:{lead}ab)+", re.I)  # its second round starts after "ab"
    assert without_implied_leads(repeated) is repeated
    letters_allowed = re.compile(rf"(?<![0-9])(?:{lead}next)", re.I)  # "anext": the lead still refuses
    assert without_implied_leads(letters_allowed) is letters_allowed
    for text in ["next", "a few", "anext", "-last", "a  few", "xa few", "abab", "cde f -g", "ababde"]:
        for p in (pattern, repeated, letters_allowed, kept):
            assert scanner(p)(text, foldable(text)) == [m.start() for m in p.finditer(text)], (p, text)


def test_atoms_open_only_on_their_heads() -> None:
    # the atom phase skips the starts whose next (folded) letters no match of the rule begins with
    corpus = (Path(__file__).resolve().parents[2] / "timeline/temporal/data/en/corpus.txt").read_text("utf-8")
    phrases = [line.split("|")[0].replace("{", "").replace("}", "") for line in corpus.splitlines()]
    phrases += ["the last 3 days", "Within two weeks", "in 4 business days", "1988's third quarter", "on 3.4"]
    checked = 0
    for rule in grammar().atoms:
        if rule.heads is None or rule.pattern is None:
            continue
        for phrase in phrases:
            low = phrase.lower()
            starts = [at for at in range(len(phrase)) if rule.pattern.match(phrase, at)]
            if low.isascii():
                assert rule.heads.keep(low, starts) == starts, (rule.name, phrase)
            checked += len(starts)
    assert checked > 20


def test_heads_of_a_pattern() -> None:
    from timeline.temporal.wordscan import heads

    found = heads(re.compile(r"(?<![\w-])(?:next|a\s+few|\d{1,2})\s+days?\b", re.I))
    assert found is not None
    assert found.keep("in a few days", list(range(13))) == [3]  # "a f"; "n a", " fe"... are no heads
    assert found.keep("next 3 days", [0, 5]) == [0, 5]
    assert heads(re.compile(r"[^a]bc", re.I)) is None  # a negated class lists too much
    short = heads(re.compile(r"\d", re.I))
    assert short is not None and short.keep("a7", [0, 1]) == [1]  # a one-character match at the end
