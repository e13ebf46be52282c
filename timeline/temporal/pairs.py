"""Pair handlers: join two neighbouring expressions through the text between them ("Tuesday" + "19 March").

Each takes the left expression, the gap text, the right expression, the lead word ("from", "between"),
the reference day and the lexicon.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from timeline.models import TimeExpression
from timeline.temporal import calendar as cal
from timeline.temporal.context import Found, spanned
from timeline.temporal.expressions import (
    _CLOCK,
    _FRACTION,
    _HAS_MONTH_DAY,
    _ISO_DURATION,
    _ORDER,
    _PERIODS,
    _YEAR_IN_TEXT,
    _YEARS_ON,
    _bare_month,
    _bare_weekday,
    _date,
    _holiday_in,
    _nth_weekday_from,
    _same_year,
    _span,
)
from timeline.temporal.lexicon import Lexicon


def _weekday_date(a: TimeExpression, gap: str, b: TimeExpression, lead, anchor, lex: Lexicon) -> Found | None:
    for day_name, date in ((a, b), (b, a)):
        if date is a and _FRACTION.match(date.text):
            continue  # "rose 7/8 Thursday": a price fraction, not a date
        named = _bare_weekday(day_name, lex) is not None and _bare_weekday(date, lex) is None
        if named and date.granularity == "day" and date.type == "DATE" and _span(date):
            return spanned("DATE", date.value, date.start, date.end, "day")
    return None


_NUMERIC_DATE = re.compile(r"\d{1,2}[/.-]\d{1,2}")


def _date_time(a: TimeExpression, gap: str, b: TimeExpression, lead, anchor, lex: Lexicon) -> Found | None:
    date, clock = (a, b) if a.type == "DATE" else (b, a)
    if date.type != "DATE" or clock.type != "TIME" or date.granularity != "day" or not _span(date):
        return None
    if clock.granularity not in ("hour", "minute", "second", "part_of_day"):
        return None
    if clock.start != date.start and _NUMERIC_DATE.search(clock.text):
        return None  # "tomorrow, 13/04/21, at 7 PM": the clock carries its own date
    time_part = clock.value.partition("T")[2]
    value = date.value
    if time_part and re.match(r"^\d{4}-\d\d-\d\d$", date.value):
        value = f"{date.value}T{time_part}"
    return spanned("TIME", value, date.start, date.end, date.granularity)


def _in_year(a: TimeExpression, gap: str, b: TimeExpression, lead, anchor, lex: Lexicon) -> Found | None:
    if a.granularity == "year" and _YEAR_IN_TEXT.search(a.text) and _bare_month(b, lex) and a.start:
        return _date(cal.month(a.start.year, _bare_month(b, lex) or 0))  # "2017 april"
    if a.granularity == "year" and _YEAR_IN_TEXT.fullmatch(a.text) and not gap.strip() and a.start:
        held = _holiday_in(b, a.start.year, anchor, lex)  # "the 2004 boxing day tsunami"
        if held is not None:
            return held
    s = _span(b)
    if b.granularity != "year" or s is None or _YEAR_IN_TEXT.search(a.text) or not _span(a):
        return None
    if s[0].year != s[1].year:
        return None  # a span of years ("2016 to June" read as one) names no single year
    clock = _CLOCK.match(b.text)
    if (
        clock
        and not gap.strip()
        and a.granularity == "day"
        and (int(clock.group(1)) < 1900 or clock.group(2))
    ):
        return spanned("TIME", a.value, a.start, a.end, "day")  # "19/12 1510-1640": a day and a time span
    if a.granularity == "day" and any(ch.isdigit() for ch in a.text) and _HAS_MONTH_DAY.search(a.text):
        moved = _same_year(a, s[0].year)
        return None if moved is None else _date(cal.day(moved[0]))
    return _holiday_in(a, s[0].year, anchor, lex)


def _in_years(a: TimeExpression, gap: str, b: TimeExpression, lead, anchor, lex: Lexicon) -> Found | None:
    s = _span(b)
    if s is None or b.granularity != "day" or not _YEARS_ON.search(b.text):
        return None
    return _holiday_in(a, s[0].year, anchor, lex)


def _span_from(a: TimeExpression, gap: str, b: TimeExpression, lead, anchor, lex: Lexicon) -> Found | None:
    m = _ISO_DURATION.match(a.value)
    s = _span(b)
    if a.type != "DURATION" or m is None or s is None or b.granularity not in ("day", "present"):
        return None
    y, mo, wk, d = (int(x) if x else 0 for x in m.groups()[:4])
    stop = cal.add_months(s[0], 12 * y + mo) + dt.timedelta(weeks=wk, days=d)
    return spanned("DATE", b.value, s[0], stop - dt.timedelta(days=1), "day") if stop > s[0] else None


def _word_in(text: str, words: list[str]) -> bool:
    """Whether one of the words occurs in the text as a word."""
    return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.IGNORECASE) for w in words)


def _range(a: TimeExpression, gap: str, b: TimeExpression, lead, anchor, lex: Lexicon) -> Found | None:
    if a.granularity not in _PERIODS or b.granularity not in _PERIODS:
        return None
    words = lex.raw["ranges"]
    if _word_in(gap, words["conjunctions"]) and (lead or "").lower() not in words["between"]:
        return None  # "2007 and 2009": two years, a range only "between" them
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
    weekday = _bare_weekday(b, lex)
    if weekday is not None and a.granularity == "day":
        # "Monday to Thursday": the first such weekday from the range's start
        d = _nth_weekday_from(sa[0] - dt.timedelta(days=1), weekday, 1)
        sb = (d, d)
    if sb[1] < sa[0]:
        return None
    gran = max(a.granularity or "day", b.granularity or "day", key=_ORDER.index)
    return spanned("DATE", a.value, sa[0], sb[1], gran)


PAIRS: dict[str, Callable[..., Any]] = {
    "weekday_date": _weekday_date,
    "date_time": _date_time,
    "in_year": _in_year,
    "in_years": _in_years,
    "range": _range,
    "span_from": _span_from,
}
