"""A second pass over the tagger's output: compose neighbouring pieces into one expression, add missed atoms.

The tagger reads "third tuesday of september 2014" as a Tuesday and a month, "July 8 - 9 2019" as two
days; a reader means one day and one range. `refine` looks only at each expression, the text right
around it and the text between neighbours (a bounded window), so it stays linear in the text, and takes
every word and pattern from `data/en/compose.toml`. It never raises: a rule that cannot anchor is skipped.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import tomllib
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from timeline.models import TimeExpression
from timeline.temporal import calendar as cal

__all__ = ["refine"]

log = logging.getLogger(__name__)
DATA = Path(__file__).parent / "data" / "en" / "compose.toml"
_WINDOW = 48  # characters of context a wrap or pair rule may read around an expression


@dataclass(frozen=True)
class Rule:
    """One compose rule: its kind (atom, wrap, pair), handler and compiled patterns."""

    name: str
    kind: str
    handler: str
    pattern: re.Pattern[str] | None = None
    before: re.Pattern[str] | None = None
    after: re.Pattern[str] | None = None
    gap: re.Pattern[str] | None = None
    inner: re.Pattern[str] | None = None
    passes: int = 1
    split: bool = False
    consume: bool = False
    triggers: tuple[str, ...] = ()
    examples: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Grammar:
    """The compiled rules and the word tables their handlers read."""

    words: Words
    atoms: tuple[Rule, ...]
    wraps: tuple[Rule, ...]
    pairs: tuple[Rule, ...]
    reference: dt.date
    triggers: dict[str, re.Pattern[str]]


@dataclass(frozen=True)
class Piece:
    """What a handler anchors: type, TIMEX3 value, inclusive interval; `keep` keeps that expression's span."""

    type: str
    value: str
    start: dt.date | None
    end: dt.date | None
    granularity: str | None
    mod: str | None = None
    keep: TimeExpression | None = None


@dataclass(frozen=True)
class Words:
    """The word tables of compose.toml, keyed by lower-case word."""

    weekdays: dict[str, int]
    months: dict[str, int]
    ordinals: dict[str, int]
    numbers: dict[str, int]
    units: dict[str, tuple[str, int]]
    relations: dict[str, int]
    weekday_only: re.Pattern[str]
    month_only: re.Pattern[str]
    parts: re.Pattern[str]

    @classmethod
    def build(cls, w: dict[str, Any], weekday: str, month: str, number: str, unit: str) -> Words:
        """Tables plus the patterns that tell a bare weekday or month name from a fuller expression."""
        rel = r"(?:(?:on|this|last|next|coming|past|previous|following)\s+)?"
        return cls(
            w["weekdays"],
            w["months"],
            w["ordinals"],
            w["numbers"],
            {k: (v[0], int(v[1])) for k, v in w["units"].items()},
            w["relations"],
            re.compile(rf"^{rel}(?P<w>{weekday})\.?$", re.IGNORECASE),
            re.compile(rf"^(?:in\s+)?{rel}(?P<w>{month})\.?$", re.IGNORECASE),
            re.compile(rf"(\d{{1,3}}|{number})\s+({unit}|hours?|minutes?|seconds?)\b", re.IGNORECASE),
        )

    def number(self, word: str) -> int:
        """A count written in digits or words."""
        word = re.sub(r"\s+", " ", word.lower().strip())
        return int(word) if word.isdigit() else self.numbers[word]


_YEAR_IN_TEXT = re.compile(r"(?<!\d)(?:\d{4}|'\d\d)(?!\d)|\d[/.-]\d{1,2}[/.-]\d{2}\b")
_PERIODS = {"day", "week", "weekend", "month", "quarter", "half", "season", "year", "decade"}
_ORDER = ["day", "week", "weekend", "month", "quarter", "half", "season", "year", "decade", "century"]


def _date(a: cal.Anchored, type_: str = "DATE") -> Piece:
    return Piece(type_, a.value, a.start, a.end, a.granularity)


def _year(g: dict[str, str | None], anchor: dt.date | None) -> int | None:
    y = g.get("y")
    if not y:
        return anchor.year if anchor else None
    n = int(y)
    if len(y) == 2:
        pivot = (anchor.year if anchor else 2000) + 10
        n = 2000 + n if 2000 + n <= pivot else 1900 + n
    return n


def _month(g: dict[str, str | None], w: Words) -> int:
    return int(g["m"]) if g.get("m") else w.months[(g["mon"] or "").lower().rstrip(".")]


def _ymd(g: dict[str, str | None], anchor: dt.date | None, w: Words, covered: list) -> Piece | None:
    y = _year(g, anchor)
    return None if y is None else _date(cal.day(dt.date(y, _month(g, w), int(g["d"] or ""))))


def _ymd_range(g: dict[str, str | None], anchor: dt.date | None, w: Words, covered: list) -> Piece | None:
    first = _ymd({**g, "y": g.get("y") or g.get("y2"), "m": g.get("m") or g.get("m2")}, anchor, w, covered)
    if first is None or not g.get("d2"):
        return first
    last = _ymd({"d": g["d2"], "m": g["m2"], "y": g.get("y2") or g.get("y")}, anchor, w, covered)
    if last is None or last.start is None or first.start is None or last.start < first.start:
        return None
    return Piece("DATE", first.value, first.start, last.end, "day")


def _ym(g: dict[str, str | None], anchor: dt.date | None, w: Words, covered: list) -> Piece | None:
    y, m = int(g["y"] or ""), _month(g, w)
    if g.get("m") and len(g["m"] or "") == 2 and m == (y + 1) % 100:
        return None  # "2011-12" is a season or fiscal span, not December
    return _date(cal.month(y, m))


def _ends(first: Piece | None, last: Piece | None) -> tuple[Piece, Piece] | None:
    """Both ends of a range, each keeping its own value and carrying the whole interval."""
    if first is None or last is None or first.start is None or last.end is None or last.end < first.start:
        return None
    whole = {"start": first.start, "end": last.end}
    return Piece(**{**first.__dict__, **whole}), Piece(**{**last.__dict__, **whole})


def _numeric_range(g: dict, anchor: dt.date | None, w: Words, covered: list) -> tuple[Piece, Piece] | None:
    y = g.get("y") or g["y2"]
    if not g.get("y") and (int(g["m"]), int(g["d"])) > (int(g["m2"]), int(g["d2"])):
        y = str(int(g["y2"]) - 1)  # "12/28-1/3/2020" starts in the year before
    return _ends(
        _ymd({**g, "y": y}, anchor, w, covered),
        _ymd({"d": g["d2"], "m": g["m2"], "y": g["y2"]}, anchor, w, covered),
    )


def _day_first_range(g: dict, anchor: dt.date | None, w: Words, covered: list) -> tuple[Piece, Piece] | None:
    if max(int(g["d"]), int(g["d2"])) <= 12:
        return None  # could be month/day: leave it
    first = _ymd({**g, "y": g.get("y2")}, anchor, w, covered)
    return _ends(first, _ymd({"d": g["d2"], "m": g["m2"], "y": g.get("y2")}, anchor, w, covered))


def _month_span(g: dict, anchor: dt.date | None, w: Words, covered: list) -> tuple[Piece, Piece] | None:
    y, m1, m2 = int(g["y"]), w.months[g["mon"].lower()], w.months[g["mon2"].lower()]
    first = _date(cal.month(y - 1 if m1 > m2 else y, m1))
    last = _date(cal.day(dt.date(y, m2, int(g["d2"])))) if g.get("d2") else _date(cal.month(y, m2))
    return _ends(first, last)


def _month_day_span(g: dict, anchor: dt.date | None, w: Words, covered: list) -> tuple[Piece, Piece] | None:
    last = _ymd({"d": g["d2"], "mon": g["mon2"], "y": g.get("y")}, anchor, w, covered)
    if last is None or last.start is None:
        return None
    y = last.start.year - (1 if w.months[g["mon"].lower()] > last.start.month else 0)
    return _ends(_ymd({**g, "y": str(y)}, anchor, w, covered), last)


_ISO_DURATION = re.compile(
    r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$"
)


_CLOCK_UNITS = {"hour": "H", "hours": "H", "minute": "M", "minutes": "M", "second": "S", "seconds": "S"}


def _within(g: dict, anchor: dt.date | None, w: Words, covered: list) -> Piece | None:
    if anchor is None:
        return None
    amounts: dict[str, int] = {}
    for m in w.parts.finditer(g["_text"]):
        unit = m.group(2).lower()
        key = _CLOCK_UNITS.get(unit) or w.units[unit][0]
        times = 1 if unit in _CLOCK_UNITS else w.units[unit][1]
        amounts[key] = amounts.get(key, 0) + w.number(m.group(1)) * times
    months = 12 * amounts.get("year", 0) + amounts.get("month", 0) + 3 * amounts.get("quarter", 0)
    stop = dt.datetime.combine(cal.add_months(anchor, months), dt.time()) + dt.timedelta(
        weeks=amounts.get("week", 0),
        days=amounts.get("day", 0),
        hours=amounts.get("H", 0),
        minutes=amounts.get("M", 0),
        seconds=amounts.get("S", 0),
    )
    if stop <= dt.datetime.combine(anchor, dt.time()):
        return None
    end = (stop - dt.timedelta(microseconds=1)).date()
    if len(covered) == 1:
        e = covered[0]
        return Piece(e.type, e.value, anchor, end, e.granularity, e.mod, keep=e)
    date_part = "".join(
        f"{amounts[k]}{c}"
        for k, c in (("year", "Y"), ("month", "M"), ("week", "W"), ("day", "D"))
        if amounts.get(k)
    )
    clock_part = "".join(f"{amounts[k]}{k}" for k in ("H", "M", "S") if amounts.get(k))
    return Piece("DURATION", f"P{date_part}" + (f"T{clock_part}" if clock_part else ""), anchor, end, None)


def _unit_after_next(g: dict, anchor: dt.date | None, w: Words, covered: list) -> Piece | None:
    return None if anchor is None else _date(_unit_at(anchor, g["unit"].lower(), 2))


def _unit_at(d: dt.date, gran: str, n: int) -> cal.Anchored:
    return cal.unit_containing(cal.shift(cal.unit_containing(d, gran).start, gran, n), gran)


def _relative_unit(g: dict, anchor: dt.date | None, w: Words, covered: list) -> Piece | None:
    if anchor is None:
        return None
    gran = w.units[g["unit"].lower()][0]
    return _date(_unit_at(anchor, gran, w.relations[g["rel"].lower()]))


def _ordinal_quarter(g: dict, anchor: dt.date | None, w: Words, covered: list) -> Piece | None:
    q = w.ordinals[g["ord"].lower()]
    return _date(cal.quarter(int(g["y"]), q)) if 1 <= q <= 4 else None


def _nth_weekday_from(d: dt.date, weekday: int, n: int) -> dt.date:
    """The n-th given weekday strictly after d (n > 0) or strictly before it (n < 0)."""
    step = 1 if n > 0 else -1
    first = d + dt.timedelta(days=step)
    while first.isoweekday() != weekday:
        first += dt.timedelta(days=step)
    return first + dt.timedelta(days=7 * (n - step))


def _weekdays_from_now(g: dict, anchor: dt.date | None, w: Words, covered: list) -> Piece | None:
    if anchor is None:
        return None
    n = w.number(g["n"])
    sign = -1 if g["dir"].lower() in ("ago", "back") else 1
    return _date(cal.day(_nth_weekday_from(anchor, w.weekdays[g["wd"].lower()], sign * n)))


def _day_shift(g: dict, anchor: dt.date | None, w: Words, covered: list) -> Piece | None:
    if anchor is None:
        return None
    return _date(cal.day(anchor + dt.timedelta(days=2 if "after" in g["dir"].lower() else -2)))


def _n_units(g: dict, anchor: dt.date | None, w: Words, covered: list) -> Piece | None:
    rel = w.relations[(g["rel"] or g["rel2"]).lower()]
    if anchor is None or rel == 0:
        return None
    gran, times = w.units[g["unit"].lower()]
    n = w.number(g["n"] or g["n2"]) * times
    if n < 1:
        return None
    here = cal.unit_containing(anchor, gran).start
    if rel < 0:
        start, end = cal.shift(here, gran, -n), here - dt.timedelta(days=1)
    else:
        first = cal.shift(here, gran, 1)
        start, end = first, cal.shift(first, gran, n) - dt.timedelta(days=1)
    durations = [e for e in covered if e.type == "DURATION"]
    if len(durations) == 1:
        d = durations[0]
        return Piece(d.type, d.value, start, end, d.granularity, d.mod, keep=d)
    letter = {"day": "D", "week": "W", "month": "M", "quarter": "M", "year": "Y"}[gran]
    n_value = n * 3 if gran == "quarter" else n
    return Piece("DURATION", f"P{n_value}{letter}", start, end, None)


def _bare_weekday(e: TimeExpression, w: Words) -> int | None:
    m = w.weekday_only.match(e.text.strip())
    return w.weekdays[m.group("w").lower()] if m and e.granularity == "day" else None


def _bare_month(e: TimeExpression, w: Words) -> int | None:
    m = w.month_only.match(e.text.strip())
    return w.months[m.group("w").lower()] if m and e.granularity == "month" else None


def _span(e: TimeExpression) -> tuple[dt.date, dt.date] | None:
    return (e.start, e.end) if e.start and e.end and e.type in ("DATE", "TIME") else None


def _nth_weekday(e: TimeExpression, g: dict, anchor: dt.date | None, w: Words) -> Piece | None:
    s = _span(e)
    if s is None or e.granularity not in ("month", "quarter", "year", "week"):
        return None
    weekday = w.weekdays[g["wd"].lower()]
    if g["ord"].lower() == "last":
        d = _nth_weekday_from(s[1] + dt.timedelta(days=1), weekday, -1)
    else:
        d = _nth_weekday_from(s[0] - dt.timedelta(days=1), weekday, w.ordinals[g["ord"].lower()])
    return _date(cal.day(d)) if s[0] <= d <= s[1] else None


def _nth_unit(e: TimeExpression, g: dict, anchor: dt.date | None, w: Words) -> Piece | None:
    s = _span(e)
    if s is None or e.granularity not in ("month", "quarter", "half", "year"):
        return None
    n = w.ordinals[g["ord"].lower()] if g.get("ord") else 1
    last = bool(g.get("last"))
    unit = g["unit"].lower()
    if unit == "month":
        if e.granularity != "year" or not 1 <= n <= 12:
            return None
        return _date(cal.month(s[0].year, 13 - n if last else n))
    if unit == "day":
        d = s[1] - dt.timedelta(days=n - 1) if last else s[0] + dt.timedelta(days=n - 1)
        return _date(cal.day(d)) if s[0] <= d <= s[1] else None
    # whole weeks (weekends) inside the period, counted from its start or, with "last", its end
    first_day = 1 if unit == "week" else 6
    if last:
        anchor_day = _nth_weekday_from(s[1] + dt.timedelta(days=1), 7, -n)
        begin = anchor_day - dt.timedelta(days=6 if unit == "week" else 1)
    else:
        begin = _nth_weekday_from(s[0] - dt.timedelta(days=1), first_day, n)
    a = cal.week(begin) if unit == "week" else cal.weekend(begin)
    return _date(a) if s[0] <= a.start and a.end <= s[1] else None


def _nth_last(e: TimeExpression, g: dict, anchor: dt.date | None, w: Words) -> Piece | None:
    from timeline.temporal import tag  # the period after "last week of" is the tagger's to read

    phrase = "in " + g["rest"].rstrip()  # a bare year is only a date in context
    rest = tag(phrase, anchor)
    if len(rest) != 1 or rest[0].end_char != len(phrase):
        return None
    return _nth_unit(rest[0], {**g, "last": "last"}, anchor, w)


def _clock_not_year(e: TimeExpression, g: dict, anchor: dt.date | None, w: Words) -> Piece | None:
    if e.granularity != "day" or (int(g["hhmm"]) >= 1900 and not (g.get("span1") or g.get("span2"))):
        return None
    from timeline.temporal import tag  # the day without the clock, read as the tagger reads it

    found = tag(g["date"], anchor)
    if len(found) != 1 or found[0].granularity != "day" or found[0].end_char != len(g["date"]):
        return None
    f = found[0]
    return Piece("TIME", f"{f.value}T{g['hhmm'][:2]}:{g['hhmm'][2:]}", f.start, f.end, "day")


def _year_month(e: TimeExpression, g: dict, anchor: dt.date | None, w: Words) -> Piece | None:
    month = _bare_month(e, w)
    return None if month is None else _date(cal.month(int(g["y"]), month))


def _to_date(e: TimeExpression, g: dict, anchor: dt.date | None, w: Words) -> Piece | None:
    s = _span(e)
    if anchor is None or s is None or s[0] > anchor or e.granularity not in _PERIODS:
        return None
    return Piece("DATE", e.value, s[0], anchor, e.granularity)


def _nth_weekday_after(e: TimeExpression, g: dict, anchor: dt.date | None, w: Words) -> Piece | None:
    s = _span(e)
    if s is None or e.granularity != "day":
        return None
    n = w.ordinals[g["ord"].lower()] * (-1 if g["dir"].lower() == "before" else 1)
    return _date(cal.day(_nth_weekday_from(s[0], w.weekdays[g["wd"].lower()], n)))


def _month_in_years(e: TimeExpression, g: dict, anchor: dt.date | None, w: Words) -> Piece | None:
    s = _span(e)
    if s is None or e.granularity != "day" or not _YEARS_ON.search(e.text):
        return None
    return _date(cal.month(s[0].year, w.months[g["mon"].lower()]))


def _day_range_of_month(e: TimeExpression, g: dict, anchor: dt.date | None, w: Words) -> Piece | None:
    s = _span(e)
    if s is None or e.granularity != "month":
        return None
    first, last = dt.date(s[0].year, s[0].month, int(g["d"])), dt.date(s[0].year, s[0].month, int(g["d2"]))
    return Piece("DATE", e.value, first, last, "day") if first <= last else None


def _day_of_month(e: TimeExpression, g: dict, anchor: dt.date | None, w: Words) -> Piece | None:
    s = _span(e)
    if s is None or e.granularity != "month":
        return None
    return _date(cal.day(dt.date(s[0].year, s[0].month, int(g["d"]))))


def _shift_from(e: TimeExpression, g: dict, anchor: dt.date | None, w: Words) -> Piece | None:
    s = _span(e)
    if s is None or e.granularity not in ("day", "present"):
        return None
    gran, times = w.units[g["unit"].lower()]
    n = w.number(g["n"]) * times * (-1 if g["dir"].lower() == "before" else 1)
    return _date(cal.day(cal.shift(s[0], gran, n)))


def _after_next(e: TimeExpression, g: dict, anchor: dt.date | None, w: Words) -> Piece | None:
    if anchor is None:
        return None
    weekday, month = _bare_weekday(e, w), _bare_month(e, w)
    if weekday is not None:
        return _date(cal.day(_nth_weekday_from(anchor, weekday, 2)))
    if month is not None:
        y = anchor.year + (1 if month <= anchor.month else 0) + 1
        return _date(cal.month(y, month))
    return None


_FRACTION = re.compile(r"^\d{1,2}/\d{1,2}$")
_DURATION = re.compile(r"^P(\d{1,3})([DWMY])$")


def _in_duration(e: TimeExpression, g: dict, anchor: dt.date | None, w: Words) -> Piece | None:
    m = _DURATION.match(e.value)
    if anchor is None or e.type != "DURATION" or e.start is not None or m is None:
        return None
    gran = {"D": "day", "W": "week", "M": "month", "Y": "year"}[m.group(2)]
    d = cal.day(cal.shift(anchor, gran, int(m.group(1))))
    return Piece(e.type, e.value, d.start, d.end, e.granularity, e.mod, keep=e)


def _weekday_date(a: TimeExpression, gap: str, b: TimeExpression, lead, anchor, w: Words) -> Piece | None:
    for day_name, date in ((a, b), (b, a)):
        if date is a and _FRACTION.match(date.text):
            continue  # "rose 7/8 Thursday": a price fraction, not a date
        named = _bare_weekday(day_name, w) is not None and _bare_weekday(date, w) is None
        if named and date.granularity == "day" and date.type == "DATE" and _span(date):
            return Piece("DATE", date.value, date.start, date.end, "day")
    return None


def _weekday_week(a: TimeExpression, gap: str, b: TimeExpression, lead, anchor, w: Words) -> Piece | None:
    of = bool(re.search(r"\b(?:of|in)\b", gap))
    day_name, week = (a, b) if of else (b, a)
    weekday = _bare_weekday(day_name, w)
    s = _span(week)
    if weekday is None or s is None or week.granularity != "week":
        return None
    return _date(cal.day(s[0] + dt.timedelta(days=weekday - s[0].isoweekday())))


def _date_time(a: TimeExpression, gap: str, b: TimeExpression, lead, anchor, w: Words) -> Piece | None:
    date, clock = (a, b) if a.type == "DATE" else (b, a)
    if date.type != "DATE" or clock.type != "TIME" or date.granularity != "day" or not _span(date):
        return None
    if clock.granularity not in ("hour", "minute", "second", "part_of_day"):
        return None
    time_part = clock.value.partition("T")[2]
    value = date.value
    if time_part and re.match(r"^\d{4}-\d\d-\d\d$", date.value):
        value = f"{date.value}T{time_part}"
    return Piece("TIME", value, date.start, date.end, date.granularity)


def _holiday_in(a: TimeExpression, year: int, anchor: dt.date | None, w: Words) -> Piece | None:
    """A holiday or bare month moved to the given year, read by the tagger as "<holiday> <year>"."""
    month = _bare_month(a, w)
    if month is not None:
        return _date(cal.month(year, month))
    if a.granularity != "day" or _bare_weekday(a, w) is not None or any(ch.isdigit() for ch in a.text):
        return None
    from timeline.temporal import tag  # the tagger knows the holidays; ask it for this one's year

    phrase = f"{a.text} {year}"
    found = tag(phrase, anchor)
    if len(found) == 1 and found[0].end_char == len(phrase) and found[0].granularity == "day":
        f = found[0]
        return Piece("DATE", f.value, f.start, f.end, "day")
    return None


_HAS_MONTH_DAY = re.compile(r"\d{1,2}\s*[/.-]\s*\d{1,2}|[A-Za-z]{3}")


def _in_year(a: TimeExpression, gap: str, b: TimeExpression, lead, anchor, w: Words) -> Piece | None:
    if a.granularity == "year" and _YEAR_IN_TEXT.search(a.text) and _bare_month(b, w) and a.start:
        return _date(cal.month(a.start.year, _bare_month(b, w) or 0))  # "2017 april"
    s = _span(b)
    if b.granularity != "year" or s is None or _YEAR_IN_TEXT.search(a.text) or not _span(a):
        return None
    clock = _CLOCK.match(b.text)
    if (
        clock
        and not gap.strip()
        and a.granularity == "day"
        and (int(clock.group(1)) < 1900 or clock.group(2))
    ):
        return Piece("TIME", a.value, a.start, a.end, "day")  # "19/12 1510-1640": a day and a time span
    if a.granularity == "day" and any(ch.isdigit() for ch in a.text) and _HAS_MONTH_DAY.search(a.text):
        moved = _same_year(a, s[0].year)
        return None if moved is None else _date(cal.day(moved[0]))
    return _holiday_in(a, s[0].year, anchor, w)


_CLOCK = re.compile(r"^((?:[01]\d|2[0-3])[0-5]\d)(\s*[-–]\s*(?:[01]\d|2[0-3])[0-5]\d)?$")
_YEARS_ON = re.compile(r"\byears?\b", re.IGNORECASE)


def _in_years(a: TimeExpression, gap: str, b: TimeExpression, lead, anchor, w: Words) -> Piece | None:
    s = _span(b)
    if s is None or b.granularity != "day" or not _YEARS_ON.search(b.text):
        return None
    return _holiday_in(a, s[0].year, anchor, w)


def _same_year(e: TimeExpression, year: int) -> tuple[dt.date, dt.date] | None:
    """A day or month with no year in its text, moved into the given year."""
    s = _span(e)
    if s is None or _YEAR_IN_TEXT.search(e.text) or e.granularity not in ("day", "month"):
        return s
    if e.granularity == "day":
        d = s[0].replace(year=year)
        return d, d
    m = cal.month(year, s[0].month)
    return m.start, m.end


def _span_from(a: TimeExpression, gap: str, b: TimeExpression, lead, anchor, w: Words) -> Piece | None:
    m = _ISO_DURATION.match(a.value)
    s = _span(b)
    if a.type != "DURATION" or m is None or s is None or b.granularity not in ("day", "present"):
        return None
    y, mo, wk, d = (int(x) if x else 0 for x in m.groups()[:4])
    stop = cal.add_months(s[0], 12 * y + mo) + dt.timedelta(weeks=wk, days=d)
    return Piece("DATE", b.value, s[0], stop - dt.timedelta(days=1), "day") if stop > s[0] else None


def _range(a: TimeExpression, gap: str, b: TimeExpression, lead, anchor, w: Words) -> Piece | None:
    if a.granularity not in _PERIODS or b.granularity not in _PERIODS:
        return None
    if "and" in gap.lower() and (lead or "").lower() != "between":
        return None
    sb = _span(b)
    if sb is None or _span(a) is None:
        return None
    sa = _span(a)
    if _YEAR_IN_TEXT.search(b.text) and not _YEAR_IN_TEXT.search(a.text):
        sa = _same_year(a, sb[0].year)
        if sa and sa[0] > sb[1]:
            sa = _same_year(a, sb[0].year - 1)
    if sa is None:
        return None
    weekday = _bare_weekday(b, w)
    if weekday is not None and a.granularity == "day":
        # "Monday to Thursday": the first such weekday from the range's start
        d = _nth_weekday_from(sa[0] - dt.timedelta(days=1), weekday, 1)
        sb = (d, d)
    if sb[1] < sa[0]:
        return None
    gran = max(a.granularity or "day", b.granularity or "day", key=_ORDER.index)
    return Piece("DATE", a.value, sa[0], sb[1], gran)


HANDLERS: dict[str, dict[str, Callable[..., Piece | None]]] = {
    "atom": {
        "ymd": _ymd,
        "ymd_range": _ymd_range,
        "ym": _ym,
        "relative_unit": _relative_unit,
        "ordinal_quarter": _ordinal_quarter,
        "weekdays_from_now": _weekdays_from_now,
        "day_shift": _day_shift,
        "n_units": _n_units,
        "numeric_range": _numeric_range,
        "day_first_range": _day_first_range,
        "month_span": _month_span,
        "month_day_span": _month_day_span,
        "unit_after_next": _unit_after_next,
        "within": _within,
    },
    "wrap": {
        "nth_weekday": _nth_weekday,
        "nth_unit": _nth_unit,
        "nth_last": _nth_last,
        "clock_not_year": _clock_not_year,
        "day_of_month": _day_of_month,
        "shift_from": _shift_from,
        "after_next": _after_next,
        "in_duration": _in_duration,
        "to_date": _to_date,
        "day_range_of_month": _day_range_of_month,
        "nth_weekday_after": _nth_weekday_after,
        "month_in_years": _month_in_years,
        "year_month": _year_month,
    },
    "pair": {
        "weekday_date": _weekday_date,
        "weekday_week": _weekday_week,
        "date_time": _date_time,
        "in_year": _in_year,
        "in_years": _in_years,
        "range": _range,
        "span_from": _span_from,
    },
}


def _alternation(words: dict[str, Any]) -> str:
    keys = sorted(words, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in keys) + r")(?![^\W_])"


@cache
def grammar(path: Path = DATA) -> Grammar:
    """Load and compile compose.toml once per process."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    w = raw["words"]
    classes = {
        "@WEEKDAY": _alternation(w["weekdays"]),
        "@MONTH": _alternation(w["months"]),
        "@ORDINAL": _alternation(w["ordinals"]),
        "@NUMBER": _alternation(w["numbers"]),
        "@UNIT": _alternation(w["units"]),
        "@RELATION": _alternation(w["relations"]),
    }
    # the same classes with no word boundary after them, for glued forms ("Nov30", "mondays")
    classes = {**{k + "_RAW": v.removesuffix(r"(?![^\W_])") for k, v in classes.items()}, **classes}

    def compile_(pattern: str | None) -> re.Pattern[str] | None:
        if pattern is None:
            return None
        for name, alternation in classes.items():
            pattern = pattern.replace(name, alternation)
        return re.compile(pattern, re.IGNORECASE)

    def rules(kind: str) -> tuple[Rule, ...]:
        out = []
        for spec in raw.get(kind, []):
            if spec["handler"] not in HANDLERS[kind]:
                raise ValueError(f"compose.toml: rule {spec['name']}: unknown handler {spec['handler']}")
            out.append(
                Rule(
                    spec["name"],
                    kind,
                    spec["handler"],
                    compile_(spec.get("pattern")),
                    compile_(spec.get("before")),
                    compile_(spec.get("after")),
                    compile_(spec.get("gap")),
                    compile_(spec.get("inner")),
                    spec.get("pass", 1),
                    spec.get("split", False),
                    spec.get("consume", False),
                    tuple(spec.get("trigger", ())),
                    tuple((e[0], e[1]) for e in spec.get("examples", [])),
                )
            )
        return tuple(out)

    words = Words.build(w, classes["@WEEKDAY"], classes["@MONTH"], classes["@NUMBER"], classes["@UNIT"])
    ref = dt.date.fromisoformat(raw["reference"])
    triggers = {name: compile_(pattern) for name, pattern in raw["triggers"].items()}
    atoms = rules("atom")
    for rule in atoms:
        if not rule.triggers or any(t not in triggers for t in rule.triggers):
            raise ValueError(f"compose.toml: atom {rule.name}: trigger must name one of {sorted(triggers)}")
    return Grammar(words, atoms, rules("wrap"), rules("pair"), ref, triggers)  # type: ignore[arg-type]


def _expression(text: str, lo: int, hi: int, piece: Piece) -> TimeExpression:
    return TimeExpression(
        text=text[lo:hi],
        start_char=lo,
        end_char=hi,
        type=piece.type,
        value=piece.value,
        start=piece.start,
        end=piece.end,
        granularity=piece.granularity,
        mod=piece.mod,
    )


def _trim(text: str, lo: int, hi: int) -> tuple[int, int]:
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    while lo < hi and text[lo].isspace():
        lo += 1
    return lo, hi


def _atoms(
    text: str, anchor: dt.date | None, found: list[TimeExpression], g: Grammar
) -> list[TimeExpression]:
    """Add atom matches where the tagger has nothing, or only shorter pieces inside the atom."""
    candidates = []
    starts = {name: [m.start() for m in trigger.finditer(text)] for name, trigger in g.triggers.items()}
    for rule in g.atoms:
        assert rule.pattern is not None
        positions = (
            starts[rule.triggers[0]]
            if len(rule.triggers) == 1
            else sorted({p for t in rule.triggers for p in starts[t]})
        )
        for pos in positions:
            m = rule.pattern.match(text, pos)
            if m is None:
                continue
            lo, hi = m.span("x") if "x" in rule.pattern.groupindex else m.span()
            lo, hi = _trim(text, lo, hi)
            if hi > lo:
                candidates.append((lo, -hi, rule, m))
    if not candidates:
        return found
    candidates.sort(key=lambda c: (c[0], c[1]))
    starts = [e.start_char for e in found]
    removed: set[int] = set()
    added: list[TimeExpression] = []
    taken_until = -1
    for lo, neg_hi, rule, m in candidates:
        hi = -neg_hi
        if lo < taken_until:
            continue
        i = bisect_left(starts, lo)
        overlapping = []
        for j in range(max(0, i - 1), len(found)):
            if found[j].start_char >= hi:
                break
            if found[j].end_char > lo:
                overlapping.append(j)
        inside = all(
            found[j].start_char >= lo
            and found[j].end_char <= hi
            and found[j].end_char - found[j].start_char < hi - lo
            for j in overlapping
        )
        if (
            len(overlapping) == 1
            and found[overlapping[0]].type == "DURATION"
            and found[overlapping[0]].start is None
        ):
            inside = True  # "the next three days" read as a bare duration: anchor it, keep its span
        if overlapping and not inside:
            continue
        covered = [found[j] for j in overlapping]
        groups = {**m.groupdict(), "_text": m.group(0)}
        piece = _call(HANDLERS["atom"][rule.handler], groups, anchor, g.words, covered)
        if piece is None:
            continue
        if isinstance(piece, tuple):
            for group, end in zip(("a", "b"), piece, strict=True):
                added.append(_expression(text, *_trim(text, *m.span(group)), end))
        elif piece.keep is not None:
            added.append(_expression(text, piece.keep.start_char, piece.keep.end_char, piece))
        else:
            added.append(_expression(text, lo, hi, piece))
        removed.update(overlapping)
        taken_until = hi
    kept = [e for j, e in enumerate(found) if j not in removed]
    return sorted(kept + added, key=lambda e: e.start_char)


def _call(handler: Callable[..., Any], *args: Any) -> Any:
    try:
        return handler(*args)
    except (ValueError, OverflowError, KeyError, IndexError, TypeError, ArithmeticError):
        return None  # numbers that name no date: leave the tagger's reading alone


def _absorb(out: list[TimeExpression], lo: int) -> bool:
    """Drop the kept expressions that lie inside [lo, ...); False, dropping none, if one straddles lo."""
    k = len(out)
    while k and out[k - 1].end_char > lo:
        if out[k - 1].start_char < lo:
            return False
        k -= 1
    del out[k:]
    return True


def _wrap(
    text: str,
    e: TimeExpression,
    out: list[TimeExpression],
    anchor: dt.date | None,
    g: Grammar,
    limit: int,
    far: int,
) -> TimeExpression:
    for rule in g.wraps:
        lo, hi, groups = e.start_char, e.end_char, {}
        if rule.before is not None:
            window_lo = max(0, lo - _WINDOW)
            m = rule.before.search(text, window_lo, lo)
            if m is None:
                continue
            lo, groups = m.start(), m.groupdict()
        if rule.inner is not None:
            m = rule.inner.match(e.text)
            if m is None:
                continue
            groups = {**groups, **m.groupdict()}
        if rule.after is not None:
            m = rule.after.match(text, hi, min(far if rule.consume else limit, hi + _WINDOW))
            if m is None:
                continue
            hi, groups = m.end(), {**groups, **m.groupdict()}
        piece = _call(HANDLERS["wrap"][rule.handler], e, groups, anchor, g.words)
        if piece is None:
            continue
        if piece.keep is not None:
            return _expression(text, e.start_char, e.end_char, piece)
        if not _absorb(out, lo):
            continue
        lo, hi = _trim(text, lo, hi)
        return _expression(text, lo, hi, piece)
    return e


def _pair(
    text: str, a: TimeExpression, b: TimeExpression, anchor: dt.date | None, g: Grammar, passes: int
) -> tuple[int, Piece, bool] | None:
    if b.start_char - a.end_char > _WINDOW:
        return None
    gap = text[a.end_char : b.start_char]
    for rule in g.pairs:
        if rule.passes != passes or rule.gap is None or not rule.gap.search(gap):
            continue
        lo, lead = a.start_char, None
        if rule.before is not None:
            m = rule.before.search(text, max(0, lo - _WINDOW), lo)
            if m is not None:
                lo, lead = m.start(), m.group("lead")
        piece = _call(HANDLERS["pair"][rule.handler], a, gap, b, lead, anchor, g.words)
        if piece is not None:
            return (lo if lead else a.start_char), piece, rule.split
    return None


def _compose(
    text: str, found: list[TimeExpression], anchor: dt.date | None, g: Grammar, passes: int
) -> list[TimeExpression]:
    out: list[TimeExpression] = []
    for k, e in enumerate(found):
        if out and e.start_char < out[-1].end_char:
            continue  # consumed by the wrap before it ("Jun 7 1440-1825")
        if passes == 1:
            limit = found[k + 1].start_char if k + 1 < len(found) else len(text)
            e = _wrap(text, e, out, anchor, g, limit, len(text))
        if out:
            joined = _pair(text, out[-1], e, anchor, g, passes)
            if joined is not None and joined[2]:
                # both ends stay as TimeML marks them, each with its own value, carrying the whole range
                dates = {"start": joined[1].start, "end": joined[1].end}
                out[-1] = out[-1].model_copy(update=dates)
                out.append(e.model_copy(update=dates))
                continue
            if joined is not None:
                lo, piece, _ = joined
                a = out.pop()
                if _absorb(out, lo):
                    out.append(_expression(text, lo, e.end_char, piece))
                    continue
                out.append(a)
        out.append(e)
    return out


def refine(text: str, anchor: dt.date | None, expressions: list[TimeExpression]) -> list[TimeExpression]:
    """The tagger's expressions with neighbours composed into one and missed atoms added (never raises)."""
    if not isinstance(text, str) or not text:
        return list(expressions)
    try:
        g = grammar()
        found = sorted(expressions, key=lambda e: e.start_char)
        found = _atoms(text, anchor, found, g)
        found = _compose(text, found, anchor, g, 1)
        found = _compose(text, found, anchor, g, 2)
        return found
    except Exception:  # noqa: BLE001 - a second pass must never cost the caller the first pass
        log.warning("event=compose_failed chars=%d", len(text), exc_info=True)
        return list(expressions)
