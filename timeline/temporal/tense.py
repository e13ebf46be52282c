"""Read the tense around an expression: does the sentence point back (said, was) or forward (will)?

A bare weekday, month name or holiday is anchored before or after the publication date by the
tense cue nearest to it in its sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from timeline.temporal.lexicon import Lexicon, _alternation
from timeline.temporal.wordscan import TextMatch, twin

WINDOW = 200
_QUOTE = re.compile(r"''|``|[“”\"]")
# Weighted distance of the future cue a deadline preposition gives ("by February"): a verb closer
# than this still decides ("had been repaid by February").
DEADLINE = 15.0
DEADLINE_PAST = 45.0
# Characters between a past verb and the infinitive it governs ("asked his national security team to
# work out a plan"): such an infinitive points ahead of that past moment, not of the publication.
PROSPECTIVE_REACH = 40
# A full stop after a single letter ("a.m.", "U.S."), a title ("Mr.", "Gen.") or "vs." ends no sentence.
# (The punctuation comes first so the look-behinds run only at a candidate full stop.) The branches
# `[.!?;]...|\n|[!?]\s|[“”"]\s` share their first character, consumed before them: a pattern that
# opens on one character class lets the regex engine skip to it, one that opens on a choice does not.
_BOUNDARY = re.compile(
    r"[.!?;\n“”\"](?:(?<=[.!?;])(?<!\b[A-Za-z].)(?<!\b(?:Mr|Ms|Dr|St|Lt|vs).)(?<!\b(?:Mrs|Gen|Sen|Rep|Gov|Col|Sgt).)"
    r"(?<!\b(?:Capt|Prof).)\s+(?=[A-Z\"“‘'(])|(?<=\n)|(?<=[!?])\s|(?<=[“”\"])\s)"
)
_REVERSE_BOUNDARY = re.compile(r"\n|\s+[.!?;](?![A-Za-z]\.)|\s[“”\"][.!?,]")


class TenseReader:
    """Finds the sentence around a span and the tense cue nearest to it."""

    def __init__(self, lexicon: Lexicon) -> None:
        tense = lexicon.raw["tense"]
        self.future_words = frozenset(w.lower() for w in tense["future"])
        self.past_words = frozenset(w.lower() for w in tense["past"])
        self.reporting = frozenset(w.lower() for w in tense["reporting"])
        self.present_words = frozenset(w.lower() for w in tense.get("present", []))
        self.attribution = frozenset(w.lower() for w in tense.get("attribution", []))
        self.head_not_cues = frozenset(w.lower() for w in tense.get("head_not_cues", []))
        self.refusal_modals = frozenset(w.lower() for w in tense.get("refusal_modals", []))
        self.past_plans = frozenset(w.lower() for w in tense.get("past_plans", []))
        self.prospective = frozenset(w.lower() for w in tense.get("prospective", []))
        self.was = re.compile(r"\b(?:was|were)\s+(?:not\s+|still\s+|also\s+)?$", re.IGNORECASE)
        self.refusal = re.compile(tense.get("refusal", r"(?!)"), re.IGNORECASE)
        past_suffix = tense["past_suffix"]
        suffix = "|".join(map(re.escape, [past_suffix] if isinstance(past_suffix, str) else past_suffix))
        # Languages that mark the future on the verb ("llegarán"): endings that read as future.
        future_suffix = "|".join(map(re.escape, tense.get("future_suffix", []))) or "(?!)"
        words = self.future_words | self.past_words | self.reporting | self.present_words | self.prospective
        cues = _alternation(sorted(words))
        not_verbs = _alternation(tense["not_infinitive"])
        self.perfect = re.compile(r"\b(?:had|has|have)\s+been\s+$", re.IGNORECASE)
        self.past_perfect = re.compile(r"\bhad\s+(?:been\s+|not\s+)?$", re.IGNORECASE)
        self.perfect_passive = re.compile(r"\b(?:had|has|have)\s+(?:not\s+)?been\s+$", re.IGNORECASE)
        self.passive = re.compile(_alternation(tense["passive_auxiliaries"]) + r"\s+$", re.IGNORECASE)
        self.not_cues = tuple(w.lower() for w in tense["not_cues"])
        edge = r"\s+(?:early\s+|mid-?\s*|late\s+)?$"
        self.deadline = re.compile(_alternation(tense["deadline"]) + edge, re.IGNORECASE)
        self.shifted = re.compile(_alternation(tense["shifted_to"]) + edge, re.IGNORECASE)
        self.clause_break = re.compile(tense["clause_break"], re.IGNORECASE)
        determiners = _alternation(tense["determiners"])
        self.adjective = re.compile(rf"\b{determiners}\s+(?:[a-z]+ly\s+|still\s+|yet\s+)?$", re.IGNORECASE)
        self.cue = re.compile(
            rf"(?<![^\W_])(?=[^\W_])(?:(?P<word>{cues})|(?P<inf>to\s+(?!{not_verbs})[a-z]{{3,}}\b)"
            rf"|(?P<ed>[a-z]{{2,}}(?:{suffix})\b)|(?P<will>[a-z]{{2,}}(?:{future_suffix})\b))",
            re.IGNORECASE,
        )
        # the cue scan skipping the insides of words on folded text (see wordscan); None: not proven
        self._cue_twin = twin(self.cue)

    def _cues(self, text: str, low: str | None, lo: int, hi: int) -> Iterator[re.Match[str]]:
        """The matches of `cue` in text[lo:hi], as `cue.finditer` gives them."""
        if low is None or self._cue_twin is None:
            yield from self.cue.finditer(text, lo, hi)
            return
        for start, m in self._cue_twin.starts(text, low, lo, hi):
            yield TextMatch(m, text, start)  # type: ignore[misc]

    def sentence(self, text: str, start: int, end: int) -> tuple[int, int]:
        """Bounds of the sentence holding text[start:end], looking at most WINDOW characters each way."""
        lo = max(0, start - WINDOW)
        # one character past the start, so a boundary right before the span sees the capital after it
        before = text[lo : start + 1]
        cut = lo
        for m in _BOUNDARY.finditer(before):
            if lo + m.end() <= start:
                cut = lo + m.end()
        hi = min(len(text), end + WINDOW)
        stop = _BOUNDARY.search(text, end, hi)
        return cut, (stop.start() + 1 if stop else hi)

    def tense(self, text: str, start: int, end: int, low: str | None = None) -> str | None:
        """'past', 'future' or None (see `cue`)."""
        found = self.cue_near(text, start, end, low)
        return None if found is None else "future" if found[0] == "prospective" else found[0]

    def cue_near(self, text: str, start: int, end: int, low: str | None = None) -> tuple[str, float] | None:
        """The class ('past', 'future', 'present', or 'prospective': an infinitive a past verb governs)
        of the cue nearest the span within its sentence, and its weighted distance (small: the verb
        governs the expression).

        A verb before the expression governs it more often than one after it, and a reporting verb
        ("said") is the weakest cue: it dates the statement, not what the statement is about. `low` is
        `scan.foldable(text)` when the caller has it: the cue scan then skips the insides of words.
        """
        lo, hi = self.sentence(text, start, end)
        if self.shifted.search(text, max(lo, start - 24), start):
            return "future", DEADLINE  # "was extended to Nov. 16": the new date lies ahead
        best: tuple[float, str] | None = None
        past = float("inf")  # the nearest past verb other than a reporting one
        previous: tuple[str, int] | None = None  # the class and end of the last cue read
        # "by February": a deadline lies ahead unless a past verb near it says otherwise ("had filed
        # reports by Wednesday"); "by the Feb. 23 accord" names an agent, and "Through Oct. 19," at
        # the head of a sentence sums up the past.
        deadline = text[start : start + 4].lower() != "the " and bool(
            (m := self.deadline.search(text, max(lo, start - 16), start)) and m.group(0)[:1].islower()
        )
        for m in self._cues(text, low, lo, hi):
            if m.start() < end and m.end() > start:
                continue  # overlaps the expression itself ("to Thursday")
            distance: float = start - m.end() if m.end() <= start else (m.start() - end) * 3
            if (
                m.end() > start
                and best is not None
                and distance + 1 >= best[0]
                and (not deadline or distance + 1 > DEADLINE_PAST)
            ):
                break  # no weight is below 1 and every later cue lies farther: none can win now
            if m.group("word"):
                word = m.group("word")
                if word == "May":
                    continue  # the month, not the modal
                word = word.lower().replace("’", "'")
                if " " in word or "\n" in word or "\t" in word:
                    word = " ".join(word.split())
                if text[m.start() : m.start() + 12].lower().startswith(self.not_cues):
                    continue  # "next to the embassy": a place, not a time
                if word.startswith("to ") and m.end() > start and past < float("inf"):
                    continue  # "booked on Wednesday, in time to meet": a purpose, as an infinitive below
                if word in self.head_not_cues and text[m.start()].isupper():
                    continue  # "Until Thursday, they had not": the verb decides
                if word in self.refusal_modals and self.refusal.match(text, m.end()):
                    kind = "past"  # "could not be reached Wednesday": a refusal already made
                elif word in self.prospective:
                    # "On Friday, the government planned to pay": after the date, the planning's own day
                    kind = "prospective" if m.end() <= start else "past"
                elif word in self.future_words:
                    kind = "future"
                elif word in self.present_words:
                    kind = "present"
                else:
                    kind = "past"
                if (
                    kind == "past"
                    and self.passive.search(text, max(0, m.start() - 8), m.start())
                    and not self.perfect_passive.search(text, max(0, m.start() - 14), m.start())
                ):
                    continue  # "would be paid": the auxiliary carries the tense
                if kind == "future" and word.endswith("ed"):
                    if self.perfect.search(text, max(0, m.start() - 10), m.start()):
                        kind = "past"  # "had been scheduled"
                elif kind == "future" and self.past_perfect.search(text, max(0, m.start() - 10), m.start()):
                    continue  # "had been due to expire Nov. 6": a plan seen from the past, either way
                elif word in self.past_plans and self.was.search(text, max(0, m.start() - 12), m.start()):
                    continue  # "was supposed to begin in mid-April": the past verb decides
                # A reporting verb right before the date ("said Friday") does govern it.
                weight = 3.0 if word in self.reporting and distance > 4 else 1.0
                if word.startswith("to ") and m.end() > start:
                    weight = 6.0  # after the date an infinitive is mostly a purpose, as below
                elif word.startswith("to ") and self._prospective(text, previous, m.start()):
                    kind = "prospective"  # "asked them to meet on Friday"
            elif m.group("inf"):
                verb = m.group("inf").split()[-1]
                if not verb.islower():
                    continue  # "to Thursday", "to Cuba": a preposition, not an infinitive
                if verb.endswith("s") and not verb.endswith(("ss", "us")):
                    continue  # "added to losses on Wednesday": a plural noun, not an infinitive
                if m.end() > start and past < float("inf"):
                    continue  # "met Blinken on Wednesday to discuss": a purpose; the past verb governs
                # After the date an infinitive is mostly a purpose ("fell on Friday to close at $20").
                kind, weight = "future", 2.5 if m.end() <= start else 6.0
                if m.end() <= start and self._prospective(text, previous, m.start()):
                    kind = "prospective"  # "asked his team to work out a plan overnight Tuesday"
            elif m.group("will"):
                kind, weight = "future", 1.2  # "llegarán": the future written on the verb
            elif self.perfect_passive.search(text, max(0, m.start() - 14), m.start()):
                kind, weight = "past", 1.2  # "have been killed": the perfect points back
            elif self.passive.search(text, max(0, m.start() - 8), m.start()):
                continue  # "must be returned": the auxiliary carries the tense
            elif not m.group("ed")[0].islower():
                continue  # "United", "Ted": a name, not a verb
            elif self.adjective.search(text, max(0, m.start() - 24), m.start()):
                continue  # "a still unspecified date": an adjective, no tense
            else:
                kind, weight = "past", 1.2
            if m.end() <= start:
                if self.clause_break.search(text, m.end(), start):
                    weight *= 3  # "filed a lawsuit to overturn it, but in March a judge ruled"
                if _QUOTE.search(text, m.end(), start):
                    weight *= 4  # a verb outside the quotation does not govern a date inside it
            else:
                if word_group_reporting(m, self.reporting) and word not in self.attribution:
                    weight = 1.5  # "In September, it announced plans": the clause's own verb
                if self.clause_break.search(text, end, m.start()):
                    weight *= 3
                if _QUOTE.search(text, end, m.start()):
                    weight *= 4  # "'He will leave Thursday,' Castro said"
            distance = (distance + 1) * weight
            previous = (kind, m.end())
            if best is None or distance < best[0]:
                best = (distance, kind)
            if kind == "past" and not word_group_reporting(m, self.reporting):
                past = min(past, distance)
        if deadline and past > DEADLINE_PAST:
            best = (DEADLINE, "future") if best is None or best[0] > DEADLINE else best
        return (best[1], best[0]) if best else None

    def _prospective(self, text: str, previous: tuple[str, int] | None, at: int) -> bool:
        """Whether the cue read last before an infinitive at `at` is a past verb that governs it: the
        infinitive then looks ahead from that past moment ("urged residents to evacuate"), not from now."""
        if previous is None or previous[0] != "past" or at - previous[1] > PROSPECTIVE_REACH:
            return False
        return not self.clause_break.search(text, previous[1], at) and not _QUOTE.search(
            text, previous[1], at
        )


def word_group_reporting(m: re.Match[str], reporting: frozenset[str]) -> bool:
    """Whether a cue match is a reporting verb ("said", "announced")."""
    word = m.group("word")
    return bool(word) and word.lower() in reporting


@cache
def reader(lexicon: Lexicon) -> TenseReader:
    """One compiled reader per lexicon."""
    return TenseReader(lexicon)
