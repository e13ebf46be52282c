"""Wrap handlers: re-anchor one expression with the words right around it ("third tuesday of" + month).

Each takes the expression, the groups matched before/after/inside it, the reference day and the lexicon.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from timeline.models import TimeExpression
from timeline.temporal import calendar as cal
from timeline.temporal.absolute import yearless_day
from timeline.temporal.context import Found, spanned
from timeline.temporal.expressions import (
    _DURATION,
    _HAS_MONTH_DAY,
    _PERIODS,
    _YEAR_IN_TEXT,
    _YEARS_ON,
    _bare_month,
    _bare_weekday,
    _date,
    _nth_weekday_from,
    _same_year,
    _span,
    _year,
)
from timeline.temporal.lexicon import Lexicon, normalise

# The units a day is shifted by here ("two weeks after Christmas"; not "three hours after today").
_SHIFT_UNITS = frozenset({"day", "week", "month", "quarter", "year"})


def _nth_weekday(e: TimeExpression, g: dict, anchor: dt.date | None, lex: Lexicon) -> Found | None:
    s = _span(e)
    if s is None or e.granularity not in ("month", "quarter", "year", "week"):
        return None
    weekday, n = lex.weekdays[normalise(g["wd"])], lex.ordinal(g["ord"])
    if g["ord"].lower() == "last":
        d = _nth_weekday_from(s[1] + dt.timedelta(days=1), weekday, -1)
    elif n is None or n < 1:
        return None
    else:
        d = _nth_weekday_from(s[0] - dt.timedelta(days=1), weekday, n)
    return _date(cal.day(d)) if s[0] <= d <= s[1] else None


def _nth_unit(e: TimeExpression, g: dict, anchor: dt.date | None, lex: Lexicon) -> Found | None:
    s = _span(e)
    if s is None or e.granularity not in ("month", "quarter", "half", "year"):
        return None
    n = lex.ordinal(g["ord"]) if g.get("ord") else 1
    if n is None or n < 1:
        return None
    last = bool(g.get("last"))
    unit = lex.unit(g["unit"])["granularity"]
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


def _clock_not_year(e: TimeExpression, g: dict, anchor: dt.date | None, lex: Lexicon) -> Found | None:
    if e.granularity != "day" or (int(g["hhmm"]) >= 1900 and not (g.get("span1") or g.get("span2"))):
        return None
    if e.start is None or e.start.year != int(g["hhmm"]) or anchor is None:
        return None  # the scan already read the digits as a clock: nothing to repair
    day = yearless_day(lex, anchor, e.start.month, e.start.day)  # the day as if the digits were not there
    if day is None:
        return None
    return spanned("TIME", f"{day.value}T{g['hhmm'][:2]}:{g['hhmm'][2:]}", day.start, day.end, "day")


def _to_date(e: TimeExpression, g: dict, anchor: dt.date | None, lex: Lexicon) -> Found | None:
    s = _span(e)
    if anchor is None or s is None or s[0] > anchor or e.granularity not in _PERIODS:
        return None
    return spanned("DATE", e.value, s[0], anchor, e.granularity)


def _nth_weekday_after(e: TimeExpression, g: dict, anchor: dt.date | None, lex: Lexicon) -> Found | None:
    s = _span(e)
    if s is None or e.granularity != "day":
        return None
    n = lex.ordinal(g["ord"])
    if n is None or n < 1:
        return None
    n *= -1 if g["dir"].lower() == "before" else 1
    return _date(cal.day(_nth_weekday_from(s[0], lex.weekdays[normalise(g["wd"])], n)))


def _month_in_years(e: TimeExpression, g: dict, anchor: dt.date | None, lex: Lexicon) -> Found | None:
    s = _span(e)
    if s is None or e.granularity != "day" or not _YEARS_ON.search(e.text):
        return None
    return _date(cal.month(s[0].year, lex.months[normalise(g["mon"])]))


def _day_range_of_month(e: TimeExpression, g: dict, anchor: dt.date | None, lex: Lexicon) -> Found | None:
    s = _span(e)
    if s is None or e.granularity != "month":
        return None
    first, last = dt.date(s[0].year, s[0].month, int(g["d"])), dt.date(s[0].year, s[0].month, int(g["d2"]))
    return spanned("DATE", e.value, first, last, "day") if first <= last else None


def _day_of_month(e: TimeExpression, g: dict, anchor: dt.date | None, lex: Lexicon) -> Found | None:
    s = _span(e)
    if s is None or e.granularity != "month":
        return None
    return _date(cal.day(dt.date(s[0].year, s[0].month, int(g["d"]))))


def _shift_from(e: TimeExpression, g: dict, anchor: dt.date | None, lex: Lexicon) -> Found | None:
    s = _span(e)
    if s is None or e.granularity not in ("day", "present"):
        return None
    unit = lex.unit(g["unit"])
    gran, count = unit["granularity"], lex.count(g["n"]) if g.get("n") else 1  # "the day after": one
    if gran not in _SHIFT_UNITS or count is None:
        return None
    n = count * unit.get("times", 1) * lex.raw["directions"][normalise(g["dir"])]["sign"]
    return _date(cal.day(cal.shift(s[0], gran, n)))


def _after_next(e: TimeExpression, g: dict, anchor: dt.date | None, lex: Lexicon) -> Found | None:
    if anchor is None:
        return None
    weekday, month = _bare_weekday(e, lex), _bare_month(e, lex)
    if weekday is not None:
        return _date(cal.day(_nth_weekday_from(anchor, weekday, 2)))
    if month is not None:
        y = anchor.year + (1 if month <= anchor.month else 0) + 1
        return _date(cal.month(y, month))
    return None


def _in_duration(e: TimeExpression, g: dict, anchor: dt.date | None, lex: Lexicon) -> Found | None:
    m = _DURATION.match(e.value)
    if anchor is None or e.type != "DURATION" or e.start is not None or m is None:
        return None
    if e.text[:4].lower() == "the ":
        return None  # "in the year ended March 31": a definite period, not a wait of a year
    gran = {"D": "day", "W": "week", "M": "month", "Y": "year"}[m.group(2)]
    d = cal.day(cal.shift(anchor, gran, int(m.group(1))))
    return spanned(e.type, e.value, d.start, d.end, e.granularity, e.mod, keep=e)


def _day_to_date(e: TimeExpression, g: dict, anchor: dt.date | None, lex: Lexicon) -> Found | None:
    s = _span(e)
    if s is None or e.granularity != "day" or not _HAS_MONTH_DAY.search(e.text):
        return None
    first = s[0].replace(day=int(g["d"]))
    return spanned("DATE", first.isoformat(), first, s[1], "day") if first < s[0] else None


def _to_year(e: TimeExpression, g: dict, anchor: dt.date | None, lex: Lexicon) -> Found | None:
    s = _span(e)
    last = dt.date(int(g["y"]), 12, 31)
    if s is None or e.granularity not in _PERIODS or last < s[1]:
        return None
    return spanned("DATE", e.value, s[0], last, e.granularity)


def _clock_year(e: TimeExpression, g: dict, anchor: dt.date | None, lex: Lexicon) -> Found | None:
    s = _span(e)
    if s is None or e.granularity != "day" or _YEAR_IN_TEXT.search(e.text):
        return None
    d = s[0].replace(year=int(g["y"]))
    return _date(cal.day(d))


def _weekday_nth(e: TimeExpression, g: dict, anchor: dt.date | None, lex: Lexicon) -> Found | None:
    weekday = _bare_weekday(e, lex)
    if weekday is None or anchor is None:
        return None
    day = int(g["d"])
    fits = []
    for shift in (0, -1, 1, -2, 2):
        first = cal.add_months(anchor.replace(day=1), shift)
        d = cal.safe_date(first.year, first.month, day)
        if d is not None and d.isoweekday() == weekday:
            fits.append(d)
    return _date(cal.day(min(fits, key=lambda d: abs((d - anchor).days)))) if fits else None


def _week_weekday(e: TimeExpression, g: dict, anchor: dt.date | None, lex: Lexicon) -> Found | None:
    s = _span(e)
    if s is None or e.granularity != "week":
        return None
    return _date(cal.day(s[0] + dt.timedelta(days=lex.weekdays[normalise(g["wd"])] - s[0].isoweekday())))


def _nth_weekday_here(e: TimeExpression, g: dict, anchor: dt.date | None, lex: Lexicon) -> Found | None:
    weekday = _bare_weekday(e, lex)
    if weekday is None or anchor is None or not lex.bare_weekday.match(e.text.strip()):
        return None
    n = lex.ordinal(g["ord"])
    if n is None or n < 1:
        return None
    return _date(cal.day(cal.nth_weekday(anchor.year, anchor.month, weekday, n)))


def _clock_span(e: TimeExpression, g: dict, anchor: dt.date | None, lex: Lexicon) -> Found | None:
    s = _span(e)
    if s is None or e.granularity != "day" or e.type != "DATE":
        return None
    overnight = bool(g.get("next")) or (g["h2"], g["m2"]) < (g["h1"], g["m1"])
    end = s[1] + dt.timedelta(days=1) if overnight else s[1]
    return spanned("TIME", f"{e.value}T{g['h1']}:{g['m1']}", s[0], end, "day")


_HAS_NUMERIC = re.compile(
    r"\d{1,2}[/.-]\d{1,2}|^\d|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]|[A-Za-z]\s+\d{1,2}(?:st|nd|rd|th)?\b(?!\d)"
)


def _two_digit_year(e: TimeExpression, g: dict, anchor: dt.date | None, lex: Lexicon) -> Found | None:
    s = _span(e)
    if s is None or e.granularity not in ("day", "month") or _YEAR_IN_TEXT.search(e.text):
        return None
    moved = _same_year(e, _year({"y": g["y"]}, anchor) or 0)
    if moved is None:
        return None
    return _date(cal.day(moved[0]) if e.granularity == "day" else cal.month(moved[0].year, moved[0].month))


def _holiday_weekend(e: TimeExpression, g: dict, anchor: dt.date | None, lex: Lexicon) -> Found | None:
    """A holiday with its weekend: Saturday to a Monday holiday, a Thursday or Friday one to Sunday."""
    s = _span(e)
    if (
        s is None
        or e.granularity != "day"
        or _bare_weekday(e, lex) is not None
        or _HAS_NUMERIC.search(e.text)
    ):
        return None
    day = s[0]
    weekday = day.isoweekday()
    if weekday == 1:
        return spanned("DATE", e.value, day - dt.timedelta(days=2), day, "weekend")
    if weekday in (4, 5, 6, 7):
        return spanned(
            "DATE",
            e.value,
            day if weekday != 7 else day - dt.timedelta(days=1),
            day + dt.timedelta(days=7 - weekday),
            "weekend",
        )
    return None


WRAPS: dict[str, Callable[..., Any]] = {
    "nth_weekday": _nth_weekday,
    "nth_unit": _nth_unit,
    "clock_not_year": _clock_not_year,
    "day_of_month": _day_of_month,
    "shift_from": _shift_from,
    "after_next": _after_next,
    "in_duration": _in_duration,
    "to_date": _to_date,
    "day_range_of_month": _day_range_of_month,
    "nth_weekday_after": _nth_weekday_after,
    "month_in_years": _month_in_years,
    "day_to_date": _day_to_date,
    "to_year": _to_year,
    "clock_year": _clock_year,
    "weekday_nth": _weekday_nth,
    "week_weekday": _week_weekday,
    "nth_weekday_here": _nth_weekday_here,
    "clock_span": _clock_span,
    "two_digit_year": _two_digit_year,
    "holiday_weekend": _holiday_weekend,
}


def _granularity(*names: str) -> Callable[[TimeExpression], bool]:
    allowed = frozenset(names)
    return lambda e: e.granularity in allowed


# What each handler can accept at all (it returns None for any other expression, as its first lines
# say): the compose phase checks this before it searches the words around an expression, which is most
# of its cost. A handler missing here is always tried.
ACCEPTS: dict[Callable[..., Any], Callable[[TimeExpression], bool]] = {
    _nth_weekday: _granularity("month", "quarter", "year", "week"),
    _nth_unit: _granularity("month", "quarter", "half", "year"),
    _clock_not_year: _granularity("day"),
    _day_of_month: _granularity("month"),
    _shift_from: _granularity("day", "present"),
    _after_next: _granularity("day", "month"),
    _in_duration: lambda e: e.type == "DURATION" and e.start is None,
    _to_date: _granularity(*_PERIODS),
    _day_range_of_month: _granularity("month"),
    _nth_weekday_after: _granularity("day"),
    _month_in_years: _granularity("day"),
    _day_to_date: _granularity("day"),
    _to_year: _granularity(*_PERIODS),
    _clock_year: _granularity("day"),
    _weekday_nth: _granularity("day"),
    _week_weekday: _granularity("week"),
    _nth_weekday_here: _granularity("day"),
    _clock_span: _granularity("day"),
    _two_digit_year: _granularity("day", "month"),
    _holiday_weekend: _granularity("day"),
}
