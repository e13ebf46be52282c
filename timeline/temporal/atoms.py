"""Atom handlers: anchor a pattern match where the scan found nothing ("2015-3-3", "this wk").

Each takes the match groups, the reference day, the lexicon and the expressions the atom covers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import cache
from typing import Any

from timeline.temporal import calendar as cal
from timeline.temporal.context import Found, spanned
from timeline.temporal.expressions import (
    _date,
    _month,
    _unit_at,
    _year,
)
from timeline.temporal.lexicon import Lexicon, normalise


def _ymd(g: dict[str, str | None], anchor: dt.date | None, lex: Lexicon, covered: list) -> Found | None:
    y, m = _year(g, anchor), _month(g, lex)
    return None if y is None or m is None else _date(cal.day(dt.date(y, m, int(g["d"] or ""))))


def _ymd_range(g: dict[str, str | None], anchor: dt.date | None, lex: Lexicon, covered: list) -> Found | None:
    first = _ymd({**g, "y": g.get("y") or g.get("y2"), "m": g.get("m") or g.get("m2")}, anchor, lex, covered)
    if first is None or not g.get("d2"):
        return first
    last = _ymd({"d": g["d2"], "m": g["m2"], "y": g.get("y2") or g.get("y")}, anchor, lex, covered)
    if last is None or last.start is None or first.start is None or last.start < first.start:
        return None
    return spanned("DATE", first.value, first.start, last.end, "day")


def _ym(g: dict[str, str | None], anchor: dt.date | None, lex: Lexicon, covered: list) -> Found | None:
    y, m = int(g["y"] or ""), _month(g, lex)
    if m is None:
        return None
    if g.get("m") and len(g["m"] or "") == 2 and m == (y + 1) % 100:
        return None  # "2011-12" is a season or fiscal span, not December
    return _date(cal.month(y, m))


def _ends(first: Found | None, last: Found | None) -> tuple[Found, Found] | None:
    """Both ends of a range, each keeping its own value and carrying the whole interval."""
    if first is None or last is None or first.start is None or last.end is None or last.end < first.start:
        return None
    return _spanning(first, first.start, last.end), _spanning(last, first.start, last.end)


def _spanning(end: Found, first: dt.date, last: dt.date) -> Found:
    """One end of a range with its own value, carrying the whole range's days."""
    return spanned(end.type, end.value, first, last, end.granularity, end.mod, end.keep)


def _numeric_range(
    g: dict, anchor: dt.date | None, lex: Lexicon, covered: list
) -> tuple[Found, Found] | None:
    y = g.get("y") or g["y2"]
    if not g.get("y") and (int(g["m"]), int(g["d"])) > (int(g["m2"]), int(g["d2"])):
        y = str(int(g["y2"]) - 1)  # "12/28-1/3/2020" starts in the year before
    return _ends(
        _ymd({**g, "y": y}, anchor, lex, covered),
        _ymd({"d": g["d2"], "m": g["m2"], "y": g["y2"]}, anchor, lex, covered),
    )


def _month_span(g: dict, anchor: dt.date | None, lex: Lexicon, covered: list) -> tuple[Found, Found] | None:
    y, m1, m2 = int(g["y"]), lex.months[normalise(g["mon"])], lex.months[normalise(g["mon2"])]
    first = _date(cal.month(y - 1 if m1 > m2 else y, m1))
    last = _date(cal.day(dt.date(y, m2, int(g["d2"])))) if g.get("d2") else _date(cal.month(y, m2))
    return _ends(first, last)


def _month_day_span(
    g: dict, anchor: dt.date | None, lex: Lexicon, covered: list
) -> tuple[Found, Found] | None:
    last = _ymd({"d": g["d2"], "mon": g["mon2"], "y": g.get("y")}, anchor, lex, covered)
    if last is None or last.start is None:
        return None
    y = last.start.year - (1 if lex.months[normalise(g["mon"])] > last.start.month else 0)
    return _ends(_ymd({**g, "y": str(y)}, anchor, lex, covered), last)


_CLOCK_UNITS = {"hour": "H", "hours": "H", "minute": "M", "minutes": "M", "second": "S", "seconds": "S"}
# The units whose spans are laid by calendar arithmetic here (a weekend or a decade is not counted).
_SPAN_UNITS = frozenset({"day", "week", "month", "quarter", "year"})
_LETTERS = {"day": "D", "week": "W", "month": "M", "quarter": "M", "year": "Y"}


@cache
def _parts(lex: Lexicon) -> re.Pattern[str]:
    """The counted units of a span ("1 year and 2 months"), clock units included."""
    return re.compile(lex.expand(r"(\d{1,3}|@COUNT)\s+(@UNIT|hours?|minutes?|seconds?)\b"), re.IGNORECASE)


def _within(g: dict, anchor: dt.date | None, lex: Lexicon, covered: list) -> Found | None:
    if anchor is None or normalise(g["unit"]) in _CLOCK_UNITS:
        return None  # "less than an hour": a length of clock time lays no span of days
    amounts: dict[str, int] = {}
    for m in _parts(lex).finditer(g["_text"]):
        unit, n = normalise(m.group(2)), lex.count(m.group(1))
        clock = _CLOCK_UNITS.get(unit)
        if n is None or clock is None and lex.unit(unit)["granularity"] not in _SPAN_UNITS:
            return None  # "half a year", "within two decades": no whole span this handler lays
        key = clock or lex.unit(unit)["granularity"]
        times = 1 if clock else lex.unit(unit).get("times", 1)
        amounts[key] = amounts.get(key, 0) + n * times
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
        return spanned(e.type, e.value, anchor, end, e.granularity, e.mod, keep=e)
    date_part = "".join(
        f"{amounts[k]}{c}"
        for k, c in (("year", "Y"), ("month", "M"), ("week", "W"), ("day", "D"))
        if amounts.get(k)
    )
    clock_part = "".join(f"{amounts[k]}{k}" for k in ("H", "M", "S") if amounts.get(k))
    return spanned("DURATION", f"P{date_part}" + (f"T{clock_part}" if clock_part else ""), anchor, end, None)


def _relative_unit(g: dict, anchor: dt.date | None, lex: Lexicon, covered: list) -> Found | None:
    if anchor is None:
        return None
    gran = lex.unit(g["unit"])["granularity"]
    return _date(_unit_at(anchor, gran, lex.relations[normalise(g["rel"])]))


def _year_ordinal_quarter(g: dict, anchor: dt.date | None, lex: Lexicon, covered: list) -> Found | None:
    """'the 1988 third quarter', "last year's second quarter": the year comes before the quarter."""
    q = lex.ordinal(g["ord"])
    if g.get("y"):
        year = int(g["y"])
    elif anchor is not None:
        year = anchor.year + lex.relations[normalise(g["rel"])]
    else:
        return None
    return _date(cal.quarter(year, q)) if q is not None and 1 <= q <= 4 else None


def _n_units(g: dict, anchor: dt.date | None, lex: Lexicon, covered: list) -> Found | None:
    if g.get("n2") and not g["unit"].lower().endswith("s"):
        return None  # "only 3 next week": a count, then "next week"
    rel = lex.relations[normalise(g["rel"] or g["rel2"])]
    if anchor is None or rel == 0:
        return None
    unit = lex.unit(g["unit"])
    gran, count = unit["granularity"], lex.count(g["n"] or g["n2"])
    if gran not in _SPAN_UNITS or count is None or count < 1:
        return None  # a weekend, an hour, "half a": no run of whole units
    n = count * unit.get("times", 1)
    here = cal.unit_containing(anchor, gran).start
    if rel < 0:
        start, end = cal.shift(here, gran, -n), here - dt.timedelta(days=1)
    else:
        first = cal.shift(here, gran, 1)
        start, end = first, cal.shift(first, gran, n) - dt.timedelta(days=1)
    durations = [e for e in covered if e.type == "DURATION"]
    if len(durations) == 1:
        d = durations[0]
        return spanned(d.type, d.value, start, end, d.granularity, d.mod, keep=d)
    n_value = n * 3 if gran == "quarter" else n
    return spanned("DURATION", f"P{n_value}{_LETTERS[gran]}", start, end, None)


def _business_days(g: dict, anchor: dt.date | None, lex: Lexicon, covered: list) -> Found | None:
    n = lex.count(g["n"])
    if anchor is None or n is None or not 0 < n <= 60:
        return None
    step = -1 if g.get("rel") and lex.relations[normalise(g["rel"])] < 0 else 1
    days: list[dt.date] = []
    d = anchor
    while len(days) < n:
        d += dt.timedelta(days=step)
        if d.isoweekday() <= 5:
            days.append(d)
    first, last = min(days), max(days)
    if g.get("in") and g["in"].lower() == "in":
        first = last  # "in four business days": the day itself
    elif g.get("in"):
        first = anchor  # "within four business days": from today to that day
    return spanned("DURATION", f"P{n}D", first, last, None)


def _working_week(g: dict, anchor: dt.date | None, lex: Lexicon, covered: list) -> Found | None:
    if anchor is None:
        return None
    week = _unit_at(anchor, "week", lex.relations[normalise(g["rel"])])
    return spanned("DATE", week.value, week.start, week.start + dt.timedelta(days=4), "week")


ATOMS: dict[str, Callable[..., Any]] = {
    "ymd": _ymd,
    "ymd_range": _ymd_range,
    "ym": _ym,
    "relative_unit": _relative_unit,
    "year_ordinal_quarter": _year_ordinal_quarter,
    "n_units": _n_units,
    "numeric_range": _numeric_range,
    "month_span": _month_span,
    "month_day_span": _month_day_span,
    "within": _within,
    "business_days": _business_days,
    "working_week": _working_week,
}
