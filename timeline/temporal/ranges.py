"""Join neighbouring expressions that a reader takes as one: ranges, a weekday beside its date, and an
offset counted from a date ("from May 3 to May 7", "Friday 28/06", "three weeks from tomorrow").

One pass over the anchored expressions in text order, reading only the text between neighbours.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from timeline.models import TimeExpression
from timeline.temporal import calendar as cal
from timeline.temporal.lexicon import Lexicon, _alternation

_GAP = 24  # longest text between two expressions that can still join them
_HAS_YEAR = re.compile(r"(?<!\d)(?:1\d{3}|20\d\d)(?!\d)|['’]\d\d\b")
_DURATION = re.compile(r"P(\d+)(D|W|M|Y)")
_RELATIVE = re.compile(r"\b(?:next|last|this|coming|previous|today|tomorrow|yesterday)\b", re.IGNORECASE)
_WEEK_OF = re.compile(r"(?:the\s+)?week", re.IGNORECASE)
_CLOCK = re.compile(r"T(\d\d:\d\d)$")
_THIS_YEAR = re.compile(r"\b(?:this|the|current)\s+year$", re.IGNORECASE)
_OFFSET_GRANULARITY = {"D": "day", "W": "week", "M": "month", "Y": "year"}


@dataclass(frozen=True)
class Joiner:
    """Compiled connector patterns of one language."""

    range_gap: re.Pattern[str]
    pair_gap: re.Pattern[str]
    range_lead: re.Pattern[str]
    same_gap: re.Pattern[str]
    clock_gap: re.Pattern[str]
    of_gap: re.Pattern[str]
    offset_gap: re.Pattern[str]
    weekdays: frozenset[str]
    backward: frozenset[str]
    uncounted: re.Pattern[str]


@cache
def joiner(lexicon: Lexicon) -> Joiner:
    """Compile the [ranges] table of a lexicon."""
    spec = lexicon.raw["ranges"]
    return Joiner(
        range_gap=re.compile(r"\s*(?:" + "|".join(spec["connectors"]) + r")\s*$", re.IGNORECASE),
        pair_gap=re.compile(r"\s*(?:" + "|".join(spec["pair_connectors"]) + r")\s*$", re.IGNORECASE),
        range_lead=re.compile(_alternation(spec["leads"]) + r"\s+(?:the\s+)?$", re.IGNORECASE),
        same_gap=re.compile(r"\s*,?\s*(?:the\s+)?$"),
        of_gap=re.compile(r"\s+of\s+", re.IGNORECASE),
        clock_gap=re.compile(r"\s*,?\s*(?:" + "|".join(spec["clock_gap"]) + r")?\s*$", re.IGNORECASE),
        offset_gap=re.compile(r"\s*(" + "|".join(spec["offset_connectors"]) + r")\s*$", re.IGNORECASE),
        weekdays=frozenset(lexicon.raw["weekdays"]) | frozenset(lexicon.raw["weekday_abbreviations"]),
        backward=frozenset(spec["backward"]),
        uncounted=re.compile(
            _alternation(spec.get("not_calendar_days")) if spec.get("not_calendar_days") else "(?!)",
            re.IGNORECASE,
        ),
    )


def join(text: str, found: list[TimeExpression], lexicon: Lexicon) -> list[TimeExpression]:
    """Merge neighbours that form one expression; everything else passes through unchanged."""
    j = joiner(lexicon)
    out: list[TimeExpression] = []
    joined = False  # a joined expression never joins again: "A - B - C" is not one range
    for e in found:
        prev = out[-1] if out else None
        if prev is not None and not joined and e.start_char - prev.end_char <= _GAP:
            try:
                merged = _merge(text, prev, e, j, out[-2].end_char if len(out) > 1 else 0)
            except (ValueError, OverflowError):
                merged = None  # a shift past the calendar's edge: keep the two expressions
            if isinstance(merged, tuple):
                # TimeML marks "from 1991 to 1997" as two expressions: keep both, each with its own
                # value, carrying the whole range as their interval.
                out[-1], e = merged
                out.append(e)
                joined = True
                continue
            if merged is not None:
                out[-1] = merged
                joined = True
                continue
        out.append(e)
        joined = False
    return out


def _merge(
    text: str, a: TimeExpression, b: TimeExpression, j: Joiner, floor: int
) -> TimeExpression | tuple[TimeExpression, TimeExpression] | None:
    gap = text[a.end_char : b.start_char]
    if a.type == "DURATION" and b.anchored and (offset := j.offset_gap.match(gap)):
        if j.uncounted.search(a.text):
            return None  # "eight trading days after Oct. 12": no calendar day to count to
        return _offset(text, a, b, offset.group(1).lower() in j.backward)
    if a.start is None or a.end is None or b.start is None or b.end is None:
        return None
    if a.type not in ("DATE", "TIME") or b.type not in ("DATE", "TIME"):
        return None
    if (
        a.granularity == "week"
        and _WEEK_OF.fullmatch(a.text)
        and j.of_gap.fullmatch(gap)
        and b.granularity == "day"
    ):
        week = cal.week(b.start)  # "the week of March 6"
        return _span(text, a.start_char, b.end_char, a, week.start, week.end, week.value)
    clock = _clock(a) or _clock(b)
    if clock and j.clock_gap.fullmatch(gap) and not (_clock(a) and _clock(b)):
        day, (day_start, day_end) = (b, (b.start, b.end)) if _clock(a) else (a, (a.start, a.end))
        if day.granularity != "day":
            return None
        value = f"{day_start.isoformat()}T{clock}"
        return _span(text, a.start_char, b.end_char, _clock(a) and a or b, day_start, day_end, value)
    if j.same_gap.fullmatch(gap) and (_is_weekday(a, j) or _is_weekday(b, j)):
        day = b if _is_weekday(a, j) else a
        if day.granularity == "day" and not (_is_weekday(a, j) and _is_weekday(b, j)):
            return _span(text, a.start_char, b.end_char, day, day.start, day.end)
        return None
    lead = j.range_lead.search(text, max(floor, a.start_char - 12), a.start_char)
    if not (j.range_gap.fullmatch(gap) or (lead and j.pair_gap.fullmatch(gap))):
        return None
    if lead and lead.group(0).lower().startswith("from") and re.fullmatch(r"\s*(?:and|or)\s*", gap, re.I):
        return None  # "from 2015 and 2016" lists two years
    b_start, b_end = b.start, b.end
    if _is_weekday(b, j) and b_end < a.start:
        # "from next Monday to Friday": the second weekday follows the first.
        ahead = ((a.start - b_start).days + 6) // 7 * 7
        b_start, b_end = b_start + dt.timedelta(days=ahead), b_end + dt.timedelta(days=ahead)
        b = b.model_copy(update={"start": b_start, "end": b_end})
    first: dt.date | None = a.start
    if not _HAS_YEAR.search(a.text) and _HAS_YEAR.search(b.text) and not _RELATIVE.search(a.text):
        first = _safe_replace(a.start, b_start.year)
        if first and first > b_start:
            first = _safe_replace(first, b_start.year - 1)
    if (
        _THIS_YEAR.search(a.text)
        and b.granularity in ("month", "day")
        and b_start.year != a.start.year
        and not _HAS_YEAR.search(b.text)
        and b.value.startswith(f"{b_start.year:04d}-")
    ):
        # "this year through August": a month with no year of its own ends a span inside this year
        # ("from 1987 through August" and "last year to March" may well run into this year: left alone)
        moved_start, moved_end = _safe_replace(b_start, a.start.year), _safe_replace(b_end, a.start.year)
        if moved_start and moved_end:
            value = f"{a.start.year:04d}" + b.value[4:]
            b_start, b_end = moved_start, moved_end
            b = b.model_copy(update={"start": b_start, "end": b_end, "value": value})
    if first is None or first > b_end or (b_end - first).days > 366 * 200:
        return None
    value = a.value
    if first.year != a.start.year and value.startswith(f"{a.start.year:04d}"):
        value = f"{first.year:04d}" + value[4:]
    head = _span(text, a.start_char, a.end_char, a, first, b_end, value)
    return head, b.model_copy(update={"start": first, "end": b_end})


def _clock(e: TimeExpression) -> str | None:
    """The HH:MM of a clock-time expression, else None."""
    m = _CLOCK.search(e.value) if e.type == "TIME" else None
    return m.group(1) if m else None


def _is_weekday(e: TimeExpression, j: Joiner) -> bool:
    word = re.split(r"[\s,.’']+", e.text.strip().lower())[0]
    return e.granularity == "day" and word in j.weekdays


def _safe_replace(d: dt.date, year: int) -> dt.date | None:
    try:
        return d.replace(year=year)
    except ValueError:
        return None


def _offset(text: str, a: TimeExpression, b: TimeExpression, backward: bool) -> TimeExpression | None:
    m = _DURATION.fullmatch(a.value)
    if not m or b.start is None:
        return None
    gran = _OFFSET_GRANULARITY[m.group(2)]
    n = int(m.group(1)) * (-1 if backward else 1)
    target = cal.shift(b.start, gran, n)
    result = cal.day(target) if b.granularity == "day" else cal.unit_containing(target, b.granularity)
    return _span(text, a.start_char, b.end_char, b, result.start, result.end, result.value)


def _span(
    text: str,
    lo: int,
    hi: int,
    like: TimeExpression,
    start: dt.date | None,
    end: dt.date | None,
    value: str | None = None,
) -> TimeExpression:
    return TimeExpression(
        text=text[lo:hi],
        start_char=lo,
        end_char=hi,
        type=like.type,
        value=value or like.value,
        start=start,
        end=end,
        granularity=like.granularity,
        mod=like.mod,
    )
