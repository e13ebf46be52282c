"""Handlers for positions inside a period: the second Wednesday of October, the last week of 2016,
the 20th of next month, week 31, Tuesday the 11th."""

from __future__ import annotations

import datetime as dt

from timeline.temporal import calendar as cal
from timeline.temporal.context import Context, Found, need
from timeline.temporal.lexicon import normalise

Groups = dict[str, str | None]


def _month_period(g: Groups, ctx: Context, year_key: str = "year") -> cal.Anchored | None:
    """The month named by groups month (+year), rel + month, or 'the month' (the anchor's)."""
    lex = ctx.lexicon
    if g.get("month"):
        m = lex.months[normalise(g["month"])]
        if g.get(year_key):
            return cal.month(int(need(g, year_key)), m)
        if ctx.anchor is None:
            return None
        return cal.month(ctx.anchor.year, m)
    if ctx.anchor is None:
        return None
    shift = lex.raw["relative"].get(normalise(g.get("rel") or ""), 0)
    d = cal.shift(ctx.anchor, "month", shift)
    return cal.month(d.year, d.month)


def nth_weekday(g: Groups, ctx: Context) -> Found | None:
    """the second Wednesday of October 2014 / the last Monday of March / the first Monday of the month."""
    lex = ctx.lexicon
    n = lex.ordinal(need(g, "ord"))
    wd = lex.weekdays[normalise(g["wd"])]
    period = _month_period(g, ctx)
    if n is None or period is None or n > 5:
        return None
    d = cal.nth_weekday(period.start.year, period.start.month, wd, n)
    if d.month != period.start.month:
        return None
    return Found("DATE", d.isoformat(), cal.day(d))


def nth_week(g: Groups, ctx: Context) -> Found | None:
    """the first week of 2015 / the last week of September 2014 / the 3rd week of next month."""
    lex = ctx.lexicon
    n = lex.ordinal(need(g, "ord"))
    if n is None or n > 53:
        return None
    period: cal.Anchored | None
    if g.get("year"):
        period = cal.year(int(need(g, "year")))
    elif g.get("month"):
        period = _month_period(g, ctx, "myear")
    elif ctx.anchor is None:
        return None
    else:
        word = g.get("relunit") or g.get("the")
        unit = lex.unit(word)["granularity"] if word else "month"
        shift = lex.raw["relative"].get(normalise(g.get("rel") or ""), 0)
        period = cal.unit_containing(cal.shift(ctx.anchor, unit, shift), unit)
    if period is None:
        return None
    unit = lex.unit(need(g, "unit"))["granularity"]
    if g.get("fromend"):
        n = -n if n > 0 else n
    if unit == "day":
        d = period.end + dt.timedelta(days=n + 1) if n < 0 else period.start + dt.timedelta(days=n - 1)
        return Found("DATE", d.isoformat(), cal.day(d)) if period.start <= d <= period.end else None
    if unit == "weekend":
        first_saturday = period.start + dt.timedelta(days=(5 - period.start.weekday()) % 7)
        last_saturday = period.end - dt.timedelta(days=(period.end.weekday() - 5) % 7)
        d = (
            last_saturday + dt.timedelta(days=7 * (n + 1))
            if n < 0
            else first_saturday + dt.timedelta(days=7 * (n - 1))
        )
        if not period.start <= d <= period.end:
            return None
        a = cal.weekend(d)
        return Found("DATE", a.value, a)
    # As in ISO 8601, a week belongs to the period that holds its Thursday.
    first_thursday = period.start + dt.timedelta(days=(3 - period.start.weekday()) % 7)
    last_thursday = period.end - dt.timedelta(days=(period.end.weekday() - 3) % 7)
    d = (
        last_thursday + dt.timedelta(days=7 * (n + 1))
        if n < 0
        else first_thursday + dt.timedelta(days=7 * (n - 1))
    )
    if not period.start <= d <= period.end:
        return None
    a = cal.week(d)
    return Found("DATE", a.value, a)


def day_of_relative_month(g: Groups, ctx: Context) -> Found | None:
    """the 20th of next month / the 21st this month / 20th day of the previous month."""
    lex = ctx.lexicon
    dom = lex.ordinal(g.get("day") or need(g, "dayn"))
    if ctx.anchor is None or dom is None:
        return None
    rel = normalise(g["rel"])
    shift = lex.raw["relative"].get(rel, lex.raw["text_relative"].get(rel, 0))
    base = cal.shift(ctx.anchor, "month", shift)
    d = cal.safe_date(base.year, base.month, dom)
    return Found("DATE", d.isoformat(), cal.day(d)) if d else None


def week_number(g: Groups, ctx: Context) -> Found | None:
    """week 31 (of 2018): the ISO week."""
    y = int(need(g, "year")) if g.get("year") else (ctx.anchor.year if ctx.anchor else None)
    if y is None:
        return Found("DATE", f"XXXX-W{int(need(g, 'n')):02d}")
    try:
        monday = dt.date.fromisocalendar(y, int(need(g, "n")), 1)
    except ValueError:
        return None
    a = cal.week(monday)
    return Found("DATE", a.value, a)


def weekday_day(g: Groups, ctx: Context) -> Found | None:
    """Tuesday the 11th: the nearest month where that day falls on that weekday."""
    lex = ctx.lexicon
    wd = lex.weekdays[normalise(g["wd"])]
    dom = lex.ordinal(need(g, "day").replace(" ", "-"))
    anchor = ctx.anchor
    if anchor is None or dom is None or not 1 <= dom <= 31:
        return None
    options = []
    for k in range(-6, 7):
        base = cal.shift(anchor.replace(day=1), "month", k)
        d = cal.safe_date(base.year, base.month, dom)
        if d and d.isoweekday() == wd:
            options.append(d)
    if not options:
        return None
    d = min(options, key=lambda x: (abs((x - anchor).days), x < anchor))
    return Found("DATE", d.isoformat(), cal.day(d))


def counted_day(g: Groups, ctx: Context) -> Found | None:
    """today is the eighth day of the siege / it's the second day of an offensive: the publication day,
    whatever day of the count it is."""
    if ctx.anchor is None:
        return Found("DATE", "PRESENT_REF")
    a = cal.day(ctx.anchor)
    return Found("DATE", a.value, a)
