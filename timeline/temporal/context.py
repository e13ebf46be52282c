"""What a rule handler sees while anchoring one expression, and the policies that pick a year.

`Context` carries the text, the anchor (publication date), the tense reader and the most recent
date mentioned so far (for "the next day", "two weeks later", "that month").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from timeline.models import TimeExpression
from timeline.temporal import calendar as cal
from timeline.temporal.lexicon import Lexicon
from timeline.temporal.tense import TenseReader

# Weighted distance under which a tense cue is taken to govern the expression ("resumed on Jan. 5").
STRONG_CUE = 14.0
# "1979, the year ...": a unit in apposition to the date before it.
_APPOSITION = re.compile(r"\s*[,(]\s*|\s+-+\s+")


@dataclass(frozen=True)
class Found:
    """What every rule's handler reads: TIMEX3 type and value, and the interval where anchored.

    `granularity`, when given, is the expression's own (else the interval's). A compose rule that only
    re-anchors an expression the scan found names it in `keep`: its span and words stay.
    """

    type: str
    value: str
    anchored: cal.Anchored | None = None
    mod: str | None = None
    granularity: str | None = None
    keep: TimeExpression | None = None

    @property
    def start(self) -> dt.date | None:
        """The first day of the interval, when anchored."""
        return self.anchored.start if self.anchored else None

    @property
    def end(self) -> dt.date | None:
        """The last day of the interval, when anchored."""
        return self.anchored.end if self.anchored else None

    def expression(self, text: str, start: int, end: int) -> TimeExpression:
        """The expression text[start:end] reads as (start/end dates only for a DATE, TIME or DURATION)."""
        a = self.anchored
        dated = a if self.type in ("DATE", "TIME", "DURATION") else None
        return TimeExpression(
            text=text[start:end],
            start_char=start,
            end_char=end,
            type=self.type,
            value=self.value,
            start=dated.start if dated else None,
            end=dated.end if dated else None,
            granularity=self.granularity if self.granularity is not None else a.granularity if a else None,
            mod=self.mod,
        )


def need(groups: Mapping[str, str | None], name: str) -> str:
    """The text of a group that every pattern of the rule fills; one left empty is a bug in the rule."""
    text = groups[name]
    if text is None:
        raise KeyError(f"group {name!r} is empty: the rule's pattern should always fill it")
    return text


def spanned(
    type_: str,
    value: str,
    start: dt.date | None,
    end: dt.date | None,
    granularity: str | None,
    mod: str | None = None,
    keep: TimeExpression | None = None,
) -> Found:
    """A reading given by its first and last day (both or neither) rather than an interval."""
    anchored = cal.Anchored(start, end, value, granularity) if start and end else None
    return Found(type_, value, anchored, mod, granularity, keep)


@dataclass
class Context:
    """The state shared by the handlers over one text."""

    text: str
    anchor: dt.date | None
    lexicon: Lexicon
    tenses: TenseReader
    ref: cal.Anchored | None = None
    start: int = 0
    end: int = 0
    last_end: int = -1000
    ref_end: int = -1000  # where the expression that set `ref` ends
    period: cal.Anchored | None = None  # the last reporting quarter named ("the third quarter")
    # Days whose year the tagger chose (no year in the text): they lend it to no later day.
    guessed: set[dt.date] = field(default_factory=set)
    _tense: dict[tuple[int, int], tuple[str, float] | None] = field(default_factory=dict)
    low: str | None = None  # `scan.foldable(text)`, when computed: the tense reader's scan is faster on it

    def tense(
        self, strong: bool = False, reach: float = float("inf"), prospective: bool = False
    ) -> str | None:
        """Tense of the sentence around the current expression ('past', 'future', 'present' or None);
        with `strong`, only a cue close enough to be the governing verb counts. An infinitive a past
        verb governs ("asked them to meet") reads 'future' unless the caller asks for 'prospective'."""
        key = (self.start, self.end)
        if key not in self._tense:
            self._tense[key] = self.tenses.cue_near(self.text, self.start, self.end, self.low)
        found = self._tense[key]
        if found is None or found[1] > (STRONG_CUE if strong else reach):
            return None
        return "future" if found[0] == "prospective" and not prospective else found[0]

    def before(self, width: int = 30) -> str:
        """The text just before the current expression (lower case), to read its context."""
        return self.text[max(0, self.start - width) : self.start].lower()

    def base(self) -> dt.date | None:
        """The date text-relative expressions count from: the last date mentioned, else the anchor."""
        return self.ref.start if self.ref is not None else self.anchor

    def story(self, granularity: str) -> dt.date | None:
        """The day whose `granularity` unit "the year", "the end of the year" mean when the story has
        just moved to another such unit than the publication's: the date before it in the same sentence
        with a past verb governing it ("In December, prices rose 25% for the year" written in January),
        or the date it stands in apposition to ("since 1979, the year his father left office"). None
        when the publication's own unit is meant."""
        ref, anchor = self.ref, self.anchor
        if ref is None or anchor is None:
            return None
        if cal.unit_containing(ref.start, granularity) != cal.unit_containing(ref.end, granularity):
            return None  # "the 1990s", "2011-2012": no one unit to point into
        if ref.end >= anchor or cal.unit_containing(ref.start, granularity).end >= anchor:
            return None  # the story is at the publication's unit (or after it)
        if _APPOSITION.fullmatch(self.text, self.ref_end, self.start):
            return ref.start
        if self.ref_end < self.tenses.sentence(self.text, self.start, self.end)[0]:
            return None
        return ref.start if self.tense(strong=True) == "past" else None

    def original(self, group_text: str) -> bool:
        """Whether a matched word is capitalised in the text (month 'May' vs modal 'may')."""
        return group_text[:1].isupper()


def choose(candidates: list[cal.Anchored], anchor: dt.date, tense: str | None, default: str) -> cal.Anchored:
    """Pick among the same calendar item in neighbouring years by tense.

    'past' takes the latest one starting on or before the anchor, 'future' the earliest one ending on or
    after it; with no cue `default` decides: 'past', 'future', 'same_year' or 'nearest'.
    """
    rule = tense or default
    if rule == "present":
        rule = "nearest"
    ordered = sorted(candidates, key=lambda a: a.start)
    if rule == "past":
        past = [a for a in ordered if a.start <= anchor]
        return past[-1] if past else ordered[0]
    if rule == "future":
        future = [a for a in ordered if a.end >= anchor]
        return future[0] if future else ordered[-1]
    if rule == "nearest":
        return min(ordered, key=lambda a: (_distance(a, anchor), a.start > anchor))
    same = [a for a in ordered if a.start.year == anchor.year or a.end.year == anchor.year]
    return same[0] if same else ordered[len(ordered) // 2]


def last_before(options: list[cal.Anchored], day: dt.date, *, by_end: bool = False) -> cal.Anchored | None:
    """The latest option that starts (with `by_end`: ends) before `day`; None when none does."""
    before = [o for o in options if (o.end if by_end else o.start) < day]
    return before[-1] if before else None


def first_after(options: list[cal.Anchored], day: dt.date) -> cal.Anchored | None:
    """The earliest option that starts after `day`; None when none does."""
    return next((o for o in options if o.start > day), None)


def _distance(a: cal.Anchored, anchor: dt.date) -> int:
    if a.start <= anchor <= a.end:
        return 0
    return min(abs((a.start - anchor).days), abs((a.end - anchor).days))


def around(
    anchor: dt.date, build: Callable[[int], cal.Anchored | None], spread: int = 1
) -> list[cal.Anchored]:
    """The item built for the anchor's year and its neighbours (`spread` years each way), skipping years
    where it does not exist."""
    out = []
    for y in range(anchor.year - spread, anchor.year + spread + 1):
        if 1 <= y <= 9998:
            item = build(y)
            if item is not None:
                out.append(item)
    return out


def two_digit_year(text: str, anchor: dt.date | None) -> int:
    """Read "'98" or "98" as a year near the anchor (around 2000 without one)."""
    yy = int(re.sub(r"\D", "", text)[-2:])
    pivot = anchor.year if anchor else 2000
    # A two-digit year at most ten years ahead of the anchor is in its century, else the one before.
    year = pivot // 100 * 100 + yy
    return year if year <= pivot + 10 else year - 100


def written_year(text: str, anchor: dt.date | None) -> int:
    """A year as written: four digits as they are, two ("'98", "98") near the anchor."""
    return two_digit_year(text, anchor) if len(re.sub(r"\D", "", text)) == 2 else int(text)


def narrow(a: cal.Anchored, part: str) -> cal.Anchored:
    """The part of an interval a modifier points at: early/mid/late thirds (whole months or years for
    the longer units), or a half."""
    if part in ("first_half", "second_half"):
        days = (a.end - a.start).days + 1
        cut = a.start + dt.timedelta(days=days // 2)
        if a.granularity in ("year", "decade", "century", "half", "quarter"):
            cut = cal.add_months(a.start, _months(a) // 2)
        lo, hi = (a.start, cut - dt.timedelta(days=1)) if part == "first_half" else (cut, a.end)
        return cal.Anchored(lo, hi, a.value, a.granularity)
    index = {"start": 0, "mid": 1, "end": 2}[part]
    if a.granularity in _FIXED_PARTS:
        return _fixed_part(a, _FIXED_PARTS[a.granularity][index])
    if a.granularity in ("decade", "century"):
        years = a.end.year - a.start.year + 1
        bounds = [0, round(years * 0.4), round(years * 0.7), years]
        lo = dt.date(a.start.year + bounds[index], 1, 1)
        hi = dt.date(a.start.year + bounds[index + 1] - 1, 12, 31)
        return cal.Anchored(lo, hi, a.value, a.granularity)
    if a.granularity in ("year", "half", "quarter"):
        months = _months(a)
        step = [0, months // 3, 2 * months // 3, months]
        lo = cal.add_months(a.start, step[index])
        hi = cal.add_months(a.start, step[index + 1]) - dt.timedelta(days=1)
        return cal.Anchored(lo, hi, a.value, a.granularity)
    days = (a.end - a.start).days + 1
    third = max(days // 3, 1)
    lo = a.start + dt.timedelta(days=third * index)
    hi = a.end if index == 2 else a.start + dt.timedelta(days=third * (index + 1) - 1)
    if index == 2:
        lo = a.end - dt.timedelta(days=third - 1)
    return cal.Anchored(lo, hi, a.value, a.granularity)


# Where the peers agree with plain usage: early/mid/late month = days 1-10/11-20/21-end, the start and
# end of a week its first and last three days, the start of a year its first quarter, its end Sep-Dec.
_FIXED_PARTS = {
    "month": (("d", 1, 10), ("d", 11, 20), ("d", 21, 31)),
    "week": (("d", 1, 3), ("d", 3, 5), ("d", 5, 7)),
    "year": (("m", 1, 3), ("m", 5, 8), ("m", 9, 12)),
}


def _fixed_part(a: cal.Anchored, part: tuple[str, int, int]) -> cal.Anchored:
    kind, lo, hi = part
    if kind == "m":
        first = dt.date(a.start.year, lo, 1)
        return cal.Anchored(first, cal.month_end(a.start.year, hi), a.value, a.granularity)
    first = a.start + dt.timedelta(days=lo - 1)
    last = min(a.start + dt.timedelta(days=hi - 1), a.end)
    return cal.Anchored(first, last, a.value, a.granularity)


def _months(a: cal.Anchored) -> int:
    return (a.end.year - a.start.year) * 12 + a.end.month - a.start.month + 1
