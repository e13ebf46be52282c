"""Reporting versus reported: whether a date dates a saying or a happening, and the clause without "X said".

"a State Department official said Thursday the talks were productive": Thursday dates the statement.
"Mexico said on Wednesday it had struck deals": the deals are a completed happening of that day.
The word lists live in `data/reporting_verbs.txt`, `data/statement_nouns.txt`, `data/complement_cues.txt`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence

from timeline.events.lexicon import base_language, lines, phrases, table, tagged
from timeline.events.lexicon import words as words_of
from timeline.temporal.lexicon import load as temporal_lexicon

_WORD = re.compile(r"[A-Za-z']+")
# other languages have accented letters: "había"
_LETTERS = re.compile(r"[^\W\d_]+")


def _alternation(name: str, language: str = "en") -> str:
    # longest first so "told reporters" wins over "told"
    return _words(lines(name, language))


def _words(items: Iterable[str]) -> str:
    return "|".join(re.escape(p) for p in sorted(items, key=len, reverse=True))


@functools.cache
def _patterns(language: str = "en") -> dict[str, re.Pattern[str]]:
    language = base_language(language)
    pats = _english(language)
    own = table("attribution.toml", language)
    if language == "en" or not own:
        return pats
    # the language's own ways of attaching a date to a saying, tried beside the English ones
    verbs = _alternation("reporting_verbs.txt", language)
    nouns = _alternation("statement_nouns.txt", language)
    leads = rf"(?:(?:{_words(own.get('date_leads', []))})\s+){{0,2}}"
    according = _words(["according to", *own.get("according", [])])
    participles = _words(own.get("participles", [])) or "(?!)"
    return pats | {
        "verb_before": re.compile(rf"{pats['verb_before'].pattern}|\b(?:{verbs})\s+{leads}$", re.I),
        "noun_before": re.compile(
            rf"{pats['noun_before'].pattern}|\b(?:{nouns})\b(?:\s+(?:{participles}))?\s*{leads}$", re.I
        ),
        "according": re.compile(rf"\b(?:{according})\b[^.;,]{{0,60}}$", re.I),
        "according_any": re.compile(rf",?\s*(?:{according}) [^,;.]{{1,80}}", re.I),
        "leads": re.compile(rf"(?:(?:late|early|earlier)\s+)?(?:on\s+)?{leads}", re.I),
        "that": re.compile(rf"(?:(?:that|{_words(own.get('that', []))})\s+)?", re.I),
    }


def _english(language: str) -> dict[str, re.Pattern[str]]:
    verbs = _alternation("reporting_verbs.txt", language)
    nouns = _alternation("statement_nouns.txt", language)
    return {
        # "said on", "said Thursday", "stated late on"
        "verb_before": re.compile(rf"\b(?:{verbs})\s+(?:(?:late|early|earlier|later)\s+)?(?:on\s+)?$", re.I),
        # "in a statement released on Friday", "in remarks on Monday"
        "noun_before": re.compile(
            rf"\b(?:{nouns})\b(?:\s+(?:released|issued|published|posted|made|given|sent))?\s*(?:on\s+)?$",
            re.I,
        ),
        # "according to US officials last week"
        "according": re.compile(r"\baccording to\b[^.;,]{0,60}$", re.I),
        # "..., the official said." at the end of a sentence
        "said_tail": re.compile(
            rf"(?:,|[\"”’'])\s*[\"”’']?\s*(?:[^,;\"”]{{0,70}}?\s)?(?:{verbs})\b(?:\s+[^,;]{{0,30}})?[.\s]*$"
        ),
        # "Mexico said on Wednesday (that) ..." at the start of a sentence
        # case-sensitive: "the United States" is no saying
        # a verb before "to" is no saying ("ADRs added to losses", "was said to be")
        "said_head": re.compile(rf"^(?P<subject>[^,;\"“]{{1,80}}?)\s+(?:{verbs})\b(?!\s+to\b)"),
        "according_any": re.compile(r",?\s*according to [^,;.]{1,80}", re.I),
        # "authorities stated that", "he told reporters on Friday that"
        "said_that": re.compile(rf"\b(?:{verbs})\b[^.;\"“]{{0,40}}?\bthat\s+"),
        "leads": re.compile(r"(?:(?:late|early|earlier)\s+)?(?:on\s+)?", re.I),
        "that": re.compile(r"(?:that\s+)?", re.I),
    }


def is_reporting_date(sentence: str, expr_start: int, language: str = "en") -> bool:
    """True when the expression starting at `expr_start` (sentence-relative) is attached to a saying."""
    before = sentence[max(0, expr_start - 80) : expr_start]
    pats = _patterns(language)
    return bool(
        pats["verb_before"].search(before)
        or pats["noun_before"].search(before)
        or pats["according"].search(before)
    )


def complement_is_event(sentence: str, expr_end: int, language: str = "en") -> bool:
    """Whether the clause reported after a dated saying is a completed happening ("it had struck deals")."""
    cues = tagged("complement_cues.txt", language)
    pattern = _WORD if base_language(language) == "en" else _LETTERS
    for word in pattern.findall(sentence[expr_end : expr_end + 80].lower())[:8]:
        if word in cues:
            return cues[word] == "event"
    return False


def strip_attribution(
    clause: str, expressions: Sequence[str] = (), language: str = "en", at: int | None = None
) -> tuple[str, str | None]:
    """The clause without its attribution, and the speaker when the clause began with one.

    "Mexico said on Wednesday it had struck deals" -> ("it had struck deals", "Mexico"). With `at`, the
    offset of the date in the clause: a date inside the complement of "<saying> that" dates what is
    said, so the clause is that complement ("authorities stated that over 190,000 people were
    apprehended in November" -> "over 190,000 people were apprehended in November").
    """
    pats = _patterns(language)
    if at is not None and "said_that" in pats:
        heads = [m for m in pats["said_that"].finditer(clause) if m.end() <= at]
        if heads and len(clause[heads[-1].end() :].split()) >= 4:
            clause = clause[heads[-1].end() :]
    clause = pats["according_any"].sub("", clause).strip()
    speaker = None
    head = pats["said_head"].match(clause)
    if head and len(head.group("subject").split()) <= 8:
        rest = clause[head.end() :]
        alternatives = "|".join(re.escape(e) for e in sorted(expressions, key=len, reverse=True) if e)
        dated = rf"{pats['leads'].pattern}(?:{alternatives})\s*,?\s+" if alternatives else "(?!)"
        rest = re.sub(rf"^\s*(?:{dated})?{pats['that'].pattern}", "", rest, flags=re.I)
        if len(rest.split()) >= 3:
            speaker = head.group("subject").strip()
            first, _, remainder = rest.partition(" ")
            if first.lower() in phrases("pronouns.txt", language):
                # "Mexico said it had struck deals": the happening's actor is the speaker
                clause = f"{speaker} {remainder}"
            elif first.lower() not in phrases("possessives.txt", language):
                clause = rest
            else:
                speaker = None
    tail = pats["said_tail"].search(clause)
    if tail and tail.start() > 20:
        clause = clause[: tail.start()]
    clause = clause.strip(" ,;:—–-\"“”'")
    return clause, speaker


_AND_BEFORE = re.compile(r",?\s+and\s+$")


def split_clause(sentence: str, expr_start: int, expr_end: int, language: str = "en") -> tuple[int, int]:
    """The span of the clause holding the expression: a sentence cut at "; ", ", but ", " — " and the like."""
    start, end = 0, len(sentence)
    for brk in lines("clause_breaks.txt", language):
        for match in re.finditer(re.escape(brk), sentence):
            if match.end() <= expr_start:
                start = max(start, match.end())
            elif match.start() >= expr_end:
                end = min(end, match.start())
    # "pledged help last week and earlier on Wednesday he urged ...": an "and" right before the date
    # opens the date's own clause (a short rest, as in "on Monday and Tuesday", stays whole below)
    if _AND_BEFORE.search(sentence, start, expr_start):
        start = expr_start
    # a clause too short to say anything is a fragment of a list: keep the sentence
    if len(sentence[start:end].split()) < 5:
        return 0, len(sentence)
    # a clause that opens on its verb ("..., and is being screened again") left its subject before
    if start and _opens_on_verb(sentence[start:end], language):
        start = 0
    return start, end


def _opens_on_verb(clause: str, language: str) -> bool:
    first = clause.split(None, 1)[0].lower().strip(",;:\"“”'") if clause.strip() else ""
    openers = lines("verb_openers.txt", language)
    return first in openers or any(
        o.startswith("-") and first.endswith(o[1:]) and len(first) > len(o) + 2 for o in openers
    )


def title_from(clause: str, expression: str | None, max_words: int = 15, language: str = "en") -> str:
    """A short headline for the happening: the clause without its date phrase, at most `max_words`.

    The date goes only where it is an adjunct ("on Wednesday", a leading "Last week,"); inside a noun
    phrase ("fiscal years 2022 and 2023") cutting it would break the sentence. A longer clause is cut
    where a phrase ends (before a comma, a conjunction, a relative or a preposition), never after a
    function word, and says so with an ellipsis.
    """
    text = clause
    if expression:
        text = _cut_adjunct(text, expression, language)
    text = re.sub(r"\s+", " ", text).strip(" ,;:—–-\"“”'")
    text = re.sub(r"\s+([.,;:!?…])", r"\1", text).rstrip(" ,;:")
    text = re.sub(r"(?<=[a-z]{2})\.$", "", text)
    words = text.split()
    if len(words) > max_words:
        text = " ".join(words[: _phrase_end(words, max_words)]).rstrip(",;:—–-") + "…"
    return text[:1].upper() + text[1:] if text else text


def _cut_adjunct(clause: str, expression: str, language: str) -> str:
    """The clause with its date phrase cut where it stands as an adjunct, with its preposition and commas."""
    if "\x00" in clause or "\x00" in expression:
        return clause
    # the phrase rides in front of the clause and the pattern refers back to it: one pattern serves
    # every phrase (compiling one per phrase was a tenth of a merge)
    found = _adjunct(language).match(f"{expression}\x00{clause}")
    if found is None:
        if not _stands_alone(expression, language):
            return clause
        cut = _cut_bare(clause, expression, language)
        # a clause that is only its date keeps it ("Two weeks ago.")
        return cut if _LETTERS.search(cut) else clause
    at = len(expression) + 1
    return clause[: found.start("cut") - at] + " " + clause[found.end("cut") - at :]


def _stands_alone(expression: str, language: str) -> bool:
    """Whether a date phrase is an adjunct with no preposition before it: it opens or closes on a
    relative, deictic or direction word or a weekday ("last week", "two weeks ago", "yesterday",
    "Wednesday", "la semana pasada", "hace dos semanas")."""
    found = _LETTERS.findall(expression.lower())
    return bool(found) and (found[0] in _bare_words(language) or found[-1] in _bare_words(language))


@functools.cache
def _bare_words(language: str) -> frozenset[str]:
    """The temporal lexicon's one-word relative, deictic and direction words and weekday names."""
    raw = temporal_lexicon(base_language(language)).raw
    tables = ("relative", "count_relative", "deictic", "directions", "weekdays")
    return frozenset(word for name in tables for word in raw.get(name, {}) if " " not in word)


def _cut_bare(clause: str, expression: str, language: str) -> str:
    """The clause without a date phrase that stands with no preposition ("were harmed last week when",
    "was capped two weeks ago."), where it is an adjunct: not after a function word ("rally for
    Sunday", "It was Tuesday"), a weekday after a name only before a verb ("Gadhafi Thursday blamed",
    not "Fox News Sunday that"), not a possessive ("Wednesday's talks"), not in brackets. A comma pair
    around it goes with it; a leading phrase takes its comma."""
    lowered, target = clause.lower(), expression.lower()
    if len(lowered) != len(clause) or not target:
        return clause
    weekday = _LETTERS.findall(target)[0] in temporal_lexicon(base_language(language)).weekdays
    at = lowered.find(target)
    while at >= 0:
        end = at + len(target)
        before = clause[:at].rstrip()
        after = clause[end:]
        if (
            (at == 0 or clause[at - 1].isspace())
            and _free_after(after, language)
            and _free_before(before, weekday and not _verb_follows(after, language), language)
        ):
            if not _LETTERS.search(before[-1:]) and not before[-1:].isdigit():
                # at the clause's start or after a dash: the comma after the date goes with it
                return before + " " + re.sub(r"^\s*,?\s*", "", after)
            if before.endswith(","):
                before = before[:-1]
                after = re.sub(r"^\s*,", "", after)
            return before + after
        at = lowered.find(target, at + 1)
    return clause


def _free_after(after: str, language: str) -> bool:
    if not after:
        return True
    if not (after[0].isspace() or after[0] in '.,;:!?…"”') or re.match(r"(?:['’]|\s+)s\b|\s*\)", after):
        return False
    following = _LETTERS.match(after.lstrip())
    return following is None or following.group().lower() not in words_of("bare_date_after.txt", language)


def _verb_follows(after: str, language: str) -> bool:
    """Whether a lower-case word that is not a function word follows: "Gadhafi Thursday blamed"."""
    following = re.match(r"\s+([^\W\d_]+)", after)
    if following is None:
        return False
    word = following.group(1)
    return word.islower() and word not in words_of("title_function_words.txt")


def _free_before(before: str, named: bool, language: str) -> bool:
    """Whether the words before a bare date leave it an adjunct; `named`: a capitalised word before it
    may end a name the date is part of ("Fox News Sunday that", "CDT Tuesday night would")."""
    if before.endswith("("):
        return False
    previous = _LETTERS.findall(before[-40:])
    if not previous or not before.strip("\"“'‘"):
        return True
    word = previous[-1]
    if named and word[0].isupper():
        return False
    lowered = word.lower()
    return lowered not in words_of("title_function_words.txt") and lowered not in words_of(
        "bare_date_before.txt", language
    )


@functools.cache
def _adjunct(language: str) -> re.Pattern[str]:
    """`date\\0clause`, with the leftmost place in the clause where the date stands as an adjunct."""
    preps = "|".join(
        re.escape(p) for p in sorted(phrases("prepositions.txt", language), key=len, reverse=True)
    )
    tails = "|".join(re.escape(t) for t in lines("date_tails.txt"))
    start = r"(?<=\x00)"
    # after a preposition; a leading date with its comma, or without one before the subject
    # ("Earlier on Wednesday he")
    cut = (
        rf"(?:,\s*)?(?:\b(?:{preps})\s+)+(?P=date)(?:\s+(?:{tails}))?(?:\s*,)?"
        rf"|{start}(?P=date)\s*,|{start}(?P=date)\s+(?=(?-i:[A-Z])|(?:he|she|they|it|we)\b)"
        # an entry of a timeline in the article: "April 29 - Obama pledges ...", "10 April: Troops ..."
        rf"|{start}(?P=date)\s*[-–—:]\s+"
    )
    return re.compile(rf"(?P<date>[^\x00]*)\x00.*?(?P<cut>{cut})", re.I | re.S)


def resolve_pronoun(clause: str, expression: str, actor: str | None) -> str:
    """The clause with "he"/"she" opening it, alone or after its date phrase, replaced by the actor
    named before it: "earlier on Wednesday he urged" after "Lopez Obrador pledged ..." -> "earlier on
    Wednesday Lopez Obrador urged"."""
    if not actor:
        return clause
    lead = _leading(expression).match(clause) if expression else None
    at = lead.end() if lead else 0
    pronoun = re.match(r"(?:he|she)\b", clause[at:], re.IGNORECASE)
    if pronoun is None:
        return clause
    return clause[:at] + actor + clause[at + pronoun.end() :]


@functools.lru_cache(maxsize=4096)
def _leading(expression: str) -> re.Pattern[str]:
    """The date phrase opening a clause, with the comma and space after it."""
    return re.compile(rf"(?:{re.escape(expression)}\s*,?\s+)?", re.IGNORECASE)


def _phrase_end(words: Sequence[str], limit: int) -> int:
    """How many words to keep: the longest run of at most `limit` that ends a phrase."""
    function = words_of("title_function_words.txt")
    best = 0
    for k in range(min(limit, len(words) - 1), 0, -1):
        last, following = words[k - 1], words[k].lower().strip("\"“'‘(")
        if last.lower().strip(",;:") in function:
            continue
        # "of" binds its noun phrase ("Secretary of State"): no phrase ends before it
        if last.endswith((",", ";", ":")) or (following in function and following != "of"):
            return k
        best = best or k
    return best or limit
