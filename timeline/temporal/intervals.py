"""Handlers for intervals written as one expression: Dec. 18-20, 2014-2018, Jan-Feb 2017, 5/1-5/7/2020.

Each reads both ends from one match; neighbouring expressions joined by "to"/"and" are ranges.py's job.
"""

from __future__ import annotations

import datetime as dt
import re

from timeline.temporal import calendar as cal
from timeline.temporal.absolute import month, month_day, numeric_date
from timeline.temporal.context import Context, Found, need
from timeline.temporal.lexicon import normalise

Groups = dict[str, str | None]


def day_range(g: Groups, ctx: Context) -> Found | None:
    """Dec. 18-20 / 18 to 20 December: one interval over the days."""
    first = month_day(g, ctx)
    lex = ctx.lexicon
    last_day = lex.ordinal(need(g, "day2"))
    if not first or not first.anchored or last_day is None:
        return first if first and not first.anchored else None
    end = cal.safe_date(first.anchored.start.year, first.anchored.start.month, last_day)
    if end is None or end < first.anchored.start:
        return None
    a = cal.Anchored(first.anchored.start, end, first.value, "day")
    return Found("DATE", first.value, a)


def month_day_pair(g: Groups, ctx: Context) -> list[tuple[str, Found]] | None:
    """April 24 and 25: two days of one month, two expressions as TimeML marks them."""
    first = month_day(g, ctx)
    second = month_day({**g, "day": g["day2"]}, ctx)
    if first is None or second is None or first.value >= second.value:
        return None
    return [("head", first), ("tail", second)]


def year_range(g: Groups, ctx: Context) -> Found | list[tuple[str, Found]] | None:
    """2014-2018 / from 2014 to 2018: one interval over the years; written with a word between them,
    two expressions as TimeML marks them, each carrying the whole interval."""
    first, last = int(need(g, "year")), int(need(g, "year2"))
    if not 1000 <= first < last <= 2100:
        return None
    span = cal.Anchored(dt.date(first, 1, 1), dt.date(last, 12, 31), str(first), "year")
    if _WORD_BETWEEN.search(ctx.text, ctx.start, ctx.end):
        return [("year", Found("DATE", str(first), span)), ("year2", Found("DATE", str(last), span))]
    return Found("DATE", str(first), span)


_WORD_BETWEEN = re.compile(r"\d\s*[A-Za-z]+\s*\d")


def month_range(g: Groups, ctx: Context) -> Found | None:
    """Jan-Feb 2017 / from April to June / Nov-Feb 2017: months, the first one before the second."""
    lex = ctx.lexicon
    m1 = lex.months[normalise(g.get("month") or g["bmonth"])]
    m2 = lex.months[normalise(g["month2"])]
    if g.get("year"):
        y2 = int(need(g, "year"))
    elif ctx.anchor is not None:
        second = month(g | {"month": g["month2"]}, ctx)
        if second is None or second.anchored is None:
            return None
        y2 = second.anchored.start.year
    else:
        return None
    y1 = y2 if m1 <= m2 else y2 - 1
    first, last = cal.month(y1, m1), cal.month(y2, m2)
    return Found("DATE", first.value, cal.Anchored(first.start, last.end, first.value, "month"))


def numeric_date_range(g: Groups, ctx: Context) -> Found | None:
    """5/1-5/7/2020 / 16/05-20/05: days of one year, US month-first unless a day is over 12."""
    a, b, a2, b2 = (int(need(g, k)) for k in ("a", "b", "a2", "b2"))
    if a > 12 or a2 > 12:
        a, b, a2, b2 = b, a, b2, a2
    if g.get("year"):
        y = int(need(g, "year"))
    elif ctx.anchor is not None:
        start = numeric_date({"a": g["a"], "b": g["b"], "sep": "/"}, ctx)
        if start is None or start.anchored is None:
            return None
        y = start.anchored.start.year
    else:
        return None
    first = cal.safe_date(y, a, b)
    last = cal.safe_date(y, a2, b2)
    if first is None or last is None or last < first:
        return None
    return Found("DATE", first.isoformat(), cal.Anchored(first, last, first.isoformat(), "day"))


def numeric_day_range(g: Groups, ctx: Context) -> Found | None:
    """14-15.11.2017 / 13-14.6.: days of one month, day first."""
    last = numeric_date({"da": g["da"], "db": g["db"], "year": g.get("year")}, ctx)
    if last is None or last.anchored is None:
        return last
    first = cal.safe_date(last.anchored.start.year, last.anchored.start.month, int(need(g, "d1")))
    if first is None or first > last.anchored.start:
        return None
    return Found("DATE", first.isoformat(), cal.Anchored(first, last.anchored.end, first.isoformat(), "day"))
