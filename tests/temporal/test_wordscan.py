"""The word-start twins of the match rules and of the tense reader find exactly what `finditer` finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.temporal.engine import _matches
from timeline.temporal.grammar import grammar
from timeline.temporal.scan import foldable
from timeline.temporal.tense import reader

# Lower and upper case, digits, apostrophes (a word may open on one) and the separators dates use.
_ALPHABET = "aeinostdmyJMFSW0123 '’.,-/:\n"
_PHRASES = [
    "on Jan. 5, 2010",
    "'70s and 1990s",
    "the first half of 2009",
    "two weeks ago",
    "said Friday it would",
    "x-3 days,Monday",
    "to discuss it on 12/3",
    "4Monday 3weeks ago",
    "the Q3 of FY2009",
]


def _agree(text: str) -> None:
    g = grammar()
    low = foldable(text)
    assert low is not None
    for rule in g.rules:
        if rule.twin is None or rule.pattern is None:
            continue
        for lo, hi in ((0, len(text)), (1, len(text)), (0, max(0, len(text) - 2))):
            expected = [m.span() for m in rule.pattern.finditer(text, lo, hi)]
            found = [(s, m.end()) for s, m in rule.twin.starts(text, low, lo, hi)]
            assert found == expected, (rule.name, text)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=30))
def test_match_rule_twins_agree_with_finditer(text: str) -> None:
    _agree(text)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PHRASES), max_size=4), st.text(alphabet=" ,.'5x", min_size=0, max_size=2))
def test_match_rule_twins_agree_on_dates(phrases: list[str], glue: str) -> None:
    _agree(glue.join(phrases))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([*_PHRASES, "had been", "will", "visited", "Ted", "to May"]), max_size=5))
def test_tense_cues_agree_with_finditer(phrases: list[str]) -> None:
    tenses = reader(grammar().lexicon)
    text = " ".join(phrases)
    low = foldable(text)
    expected = [(m.span(), m.groupdict()) for m in tenses.cue.finditer(text)]
    assert [(m.span(), m.groupdict()) for m in tenses._cues(text, low, 0, len(text))] == expected


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PHRASES), max_size=4), st.text(alphabet=" ,.'5x", min_size=0, max_size=2))
def test_engine_scans_a_window_as_finditer_does(phrases: list[str], glue: str) -> None:
    # the engine runs the twins' ASCII loop itself for windows that do not open the text
    text = glue.join(phrases)
    low = foldable(text)
    for rule in grammar().rules:
        assert rule.pattern is not None
        for lo, hi in ((1, len(text)), (3, max(3, len(text) - 1))):
            windows = {rule.triggers[0]: [(lo, hi)]}
            found = [m.span() for m in _matches(rule, text, windows, low, bool(low and low.isascii()))]
            assert found == [m.span() for m in rule.pattern.finditer(text, lo, hi)], (rule.name, text)
