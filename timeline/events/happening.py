"""Which happening a date phrase dates: the clause's verb, or a noun phrase that names a happening.

"a key issue in next year's US elections": "next year" dates the elections, not the sentence's main verb.
Three shapes of a noun phrase own their date (the nouns that name happenings are data,
`data/event_nouns.txt`):

- possessive: "next year's US elections", "Tuesday's vote";
- after its noun, directly or through "of": "the US election of 2024", "Biden's re-election bid next year";
- before its noun: "the 20 April explosion", "the 2024 election";
- inside an appositive to a name: "Trump, the leading candidate to take on Biden in 2024, has ...".

A date inside a temporal subordinate clause dates that clause's happening, not the main clause's:
"Oil has been leaking since the Deepwater Horizon rig exploded on 20 April" dates the explosion
(`subordinate_happening`; the subordinators are data, `data/subordinators.txt`).

A noun phrase that opens its sentence is the sentence's subject, whose happening is the clause's own
("The talks on Wednesday ended without a deal"): the clause keeps the date there.
"""

from __future__ import annotations

import functools
import re

from timeline.events.lexicon import lines

# a word of a noun phrase: a name, an adjective or noun, a possessive; hyphens and initials allowed
_WORD = r"[A-Za-z][\w.'’-]*"
MAX_PHRASE_WORDS = 6


@functools.cache
def _bounds() -> dict[str, frozenset[str]]:
    """(determiners, stops) of `data/phrase_bounds.txt`, by tag."""
    table: dict[str, set[str]] = {}
    for line in lines("phrase_bounds.txt"):
        tag, *members = line.split()
        table.setdefault(tag, set()).update(members)
    return {tag: frozenset(members) for tag, members in table.items()}


@functools.cache
def _nouns() -> re.Pattern[str]:
    alternation = "|".join(re.escape(n) for n in sorted(lines("event_nouns.txt"), key=len, reverse=True))
    return re.compile(rf"(?:{alternation})(?:e?s)?", re.IGNORECASE)


def _is_event_noun(word: str) -> bool:
    return _nouns().fullmatch(word.strip(".,;:'’\"")) is not None


def noun_happening(sentence: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of the noun phrase (without the date) whose happening the expression at
    sentence[start:end] dates, or None when the date belongs to the clause's verb."""
    for finder in (_possessive, _after_noun, _before_noun):
        span = finder(sentence, start, end)
        if span is not None:
            first, last = span
            while last > first and sentence[last - 1] in ".,;:":
                last -= 1
            # a phrase (or its possessive date) that opens the sentence is the subject: the clause's own
            return (first, last) if sentence[: min(first, start)].strip(" \"“'‘(") else None
    return _appositive(sentence, start, end)


def _possessive(sentence: str, start: int, end: int) -> tuple[int, int] | None:
    """ "next year's US elections": the phrase after the possessive, up to its event noun."""
    match = re.match(r"['’]s\s+", sentence[end:])
    if not match:
        return None
    cursor = end + match.end()
    words = list(re.finditer(_WORD, sentence[cursor:]))[:MAX_PHRASE_WORDS]
    last = None
    for w in words:
        gap = sentence[cursor + (last.end() if last else 0) : cursor + w.start()]
        if gap.strip():
            break
        if w.group().lower() in _bounds()["stop"]:
            break
        last = w
        if _is_event_noun(w.group()):
            return cursor + words[0].start(), cursor + w.end()
    return None


def _after_noun(sentence: str, start: int, end: int) -> tuple[int, int] | None:
    """ "the US election of 2024", "Biden's expected re-election bid next year"."""
    before = sentence[:start]
    match = re.search(rf"({_WORD})\s+(?:of\s+)?$", before)
    if not match or not _is_event_noun(match.group(1)):
        return None
    return _walk_back(sentence, match.start(1), match.end(1))


def _before_noun(sentence: str, start: int, end: int) -> tuple[int, int] | None:
    """ "the 20 April explosion": a date between a determiner and an event noun."""
    after = re.match(rf"\s+((?:{_WORD}\s+)?)({_WORD})", sentence[end:])
    det = re.search(r"\b(the|a|an)\s+$", sentence[:start], re.IGNORECASE)
    if not after or not det or not _is_event_noun(after.group(2)):
        return None
    return det.start(), end + after.end(2)


def _appositive(sentence: str, start: int, end: int) -> tuple[int, int] | None:
    """ "Donald Trump, the leading candidate to take on Biden in 2024, has promised ...": a date inside
    an appositive dates what the appositive says of its name; the span runs from the name to the date."""
    comma = sentence.rfind(",", 0, start)
    if comma < 0 or not re.match(r",\s*(?:the|a|an)\s", sentence[comma:], re.IGNORECASE):
        return None
    if not re.match(r"\s*,", sentence[end:]) or len(sentence[comma:start].split()) > 12:
        return None
    name = re.search(r"(?:[A-Z][\w.'’-]*\s+)*[A-Z][\w.'’-]*\s*$", sentence[:comma])
    if not name:
        return None
    return name.start(), end


def _walk_back(sentence: str, noun_start: int, noun_end: int) -> tuple[int, int]:
    """Extend a noun to its phrase: modifiers before it, back to a determiner or a word no phrase holds."""
    first = noun_start
    taken = 0
    for w in reversed(list(re.finditer(_WORD, sentence[:noun_start]))):
        if sentence[w.end() : first].strip() or taken >= MAX_PHRASE_WORDS - 1:
            break
        low = w.group().lower()
        if low in _bounds()["stop"]:
            break
        first, taken = w.start(), taken + 1
        if low in _bounds()["determiner"]:
            break
    return first, noun_end


MAX_SUBORDINATE_WORDS = 14


@functools.cache
def _subordinators() -> re.Pattern[str]:
    """The words of `data/subordinators.txt`, compiled once (every dated mention asks)."""
    words = "|".join(re.escape(w) for w in lines("subordinators.txt"))
    return re.compile(rf"\b(?:{words})\s+", re.IGNORECASE)


def subordinate_happening(sentence: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of the temporal subordinate clause ("since the rig exploded on 20 April") that holds the
    expression at sentence[start:end] and tells a happening of its own, or None."""
    head = None
    for match in _subordinators().finditer(sentence[:start]):
        head = match
    if head is None or re.search(r"[,;:()\"“”]", sentence[head.end() : start]):
        return None
    stop = re.search(r"[,;:()\"“”]|\s[-–—]\s|[.!?]?$", sentence[end:])
    span_end = end + (stop.start() if stop else 0)
    told = sentence[head.end() : start] + " " + sentence[end:span_end]
    n_words = len(re.findall(r"[A-Za-z]{2,}", told))
    if n_words < 3 or len(sentence[head.end() : span_end].split()) > MAX_SUBORDINATE_WORDS:
        return None
    if not sentence[: head.start()].strip():
        return None  # a leading "After the talks on Monday, ..." is the sentence's own setting
    return head.end(), span_end
