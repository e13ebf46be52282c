"""Handlers for years and the periods made of them: 2024, fiscal 2023, the 1990s, the 20th century, the
third quarter, the first half, last winter, and holidays (Christmas Eve, Thanksgiving, Easter).

Each handler reads a rule's named groups and returns a `Found` (or None to reject the match); without
a year in the text, the tense of the sentence picks one (see `context.choose`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from timeline.temporal import calendar as cal
from timeline.temporal.context import (
    Context,
    Found,
    around,
    choose,
    first_after,
    last_before,
    narrow,
    need,
    two_digit_year,
    written_year,
)
from timeline.temporal.lexicon import Lexicon, normalise, year_from_words

Groups = dict[str, str | None]
_MOD = {"early": "START", "start": "START", "mid": "MID", "late": "END", "end": "END"}
_PART = {"START": "start", "MID": "mid", "END": "end"}


def fiscal_year(g: Groups, ctx: Context) -> list[tuple[str, Found]] | Found | None:
    """fiscal year 2023 / FY2023 / fiscal years 2022 and 2023: US federal fiscal years (Oct-Sep)."""
    if g.get("fy"):
        y = written_year(need(g, "fy"), ctx.anchor)
        a = cal.fiscal_year(y)
        return Found("DATE", a.value, a)
    out = [("head" if g.get("year2") else "", _fiscal(int(need(g, "year"))))]
    if g.get("year2"):
        out.append(("year2", _fiscal(int(need(g, "year2")))))
    return out


def _fiscal(y: int) -> Found:
    a = cal.fiscal_year(y)
    return Found("DATE", a.value, a)


def fiscal_short(g: Groups, ctx: Context) -> Found | None:
    """fiscal 1990: TimeBank writes the bare year as value; the interval is the federal fiscal year."""
    y = int(need(g, "year"))
    a = cal.fiscal_year(y)
    return Found("DATE", str(y), cal.Anchored(a.start, a.end, str(y), "year"))


def year(g: Groups, ctx: Context) -> Found | None:
    """A year in a year context: in 2024, since 1990, the 2024 election, mid-2023, since '82."""
    if g.get("yy"):
        # a year written short is the latest one not more than a year ahead ("since '82", "in '09")
        now = ctx.anchor.year if ctx.anchor else 2000
        y = now // 100 * 100 + int(need(g, "yy"))
        y = y - 100 if y > now + 1 else y
    else:
        y = int(g.get("year") or need(g, "year2"))
    if not 1000 <= y <= 2100:
        return None
    a = cal.year(y)
    mod = _MOD.get((g.get("mod") or "").lower())
    if mod:
        return Found("DATE", a.value, narrow(a, _PART[mod]), mod=mod)
    return Found("DATE", a.value, a)


def decade(g: Groups, ctx: Context) -> Found | None:
    """the 1990s / the '90s / the nineties, optionally early/mid/late."""
    if g.get("dec"):
        first = int(need(g, "dec"))
    elif g.get("dec2"):
        first = two_digit_year(need(g, "dec2"), ctx.anchor)
        if ctx.anchor and first > ctx.anchor.year:
            first -= 100
    else:
        article = ctx.text[ctx.start : ctx.end].split(maxsplit=1)[0].lower()
        if article not in ctx.lexicon.raw["modifier_words"]["articles"]:
            return None  # "in his sixties" is an age
        tens = ctx.lexicon.raw["decade_words"][normalise(g["decw"])]
        base = (ctx.anchor.year if ctx.anchor else 2000) // 100 * 100
        first = (
            base + tens * 10
            if base + tens * 10 <= (ctx.anchor.year if ctx.anchor else 2000)
            else base - 100 + tens * 10
        )
    a = cal.decade(first)
    mod = _MOD.get((g.get("mod") or "").lower())
    return Found("DATE", a.value, narrow(a, _PART[mod]) if mod else a, mod=mod)


def century(g: Groups, ctx: Context) -> Found | None:
    """the 20th century: value 19, interval 1900-1999."""
    n = ctx.lexicon.ordinal(need(g, "ord")) or _roman(need(g, "ord"))
    if not n or n > 30:
        return None
    a = cal.century((n - 1) * 100)
    mod = _MOD.get((g.get("mod") or "").lower())
    return Found("DATE", a.value, narrow(a, _PART[mod]) if mod else a, mod=mod)


_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}


def _roman(text: str) -> int | None:
    """The value of a Roman numeral ("XXI" -> 21), as Spanish numbers centuries; None otherwise."""
    lowered = text.lower()
    if not lowered or any(c not in _ROMAN for c in lowered):
        return None
    digits = [_ROMAN[c] for c in lowered]
    return sum(-d if i + 1 < len(digits) and d < digits[i + 1] else d for i, d in enumerate(digits))


def _period(g: Groups, ctx: Context, n: int, build, per_year: int) -> Found | None:
    """Quarters and halves: explicit year, 'of this/last year', or the most recent such period."""
    year_text = g.get("year") or g.get("year0")
    if year_text:
        a = build(written_year(year_text, ctx.anchor), n)
        return Found("DATE", a.value, a)
    if ctx.anchor is None:
        return Found("DATE", "XXXX-" + build(2000, n).value[5:])
    if g.get("yrel"):
        a = build(ctx.anchor.year + ctx.lexicon.raw["relative"][normalise(g["yrel"])], n)
        return Found("DATE", a.value, a)
    rel = normalise(g.get("rel") or "")
    options = around(ctx.anchor, lambda y: build(y, n))
    shift = ctx.lexicon.raw["relative"].get(rel)
    if shift is not None and shift < 0:
        a = last_before(options, ctx.anchor, by_end=True)
    elif shift is not None and shift > 0:
        a = first_after(options, ctx.anchor)
    elif g.get("theyear") or shift == 0:
        a = build(ctx.anchor.year, n)
    else:
        # Financial news: "the third quarter" is the most recent one, whatever the tense.
        a = choose(options, ctx.anchor, None, "past")
    return Found("DATE", a.value, a) if a else None


def quarter(g: Groups, ctx: Context) -> Found | None:
    """the third quarter (of 2023) / Q3 2023 / fourth-quarter: in news, the most recent such quarter."""
    q = g.get("q") or g.get("q0")
    if q and not _code_in_context(q, g.get("year") or g.get("year0"), ctx):
        return None
    if q:
        n: int | None = int(q[1])
    else:
        word = need(g, "ord")
        n = 4 if normalise(word) in ("final", "last") else ctx.lexicon.ordinal(word)
    if not n or not 1 <= n <= 4:
        return None
    found = _period(g, ctx, n, cal.quarter, 4)
    a = found.anchored if found is not None else None
    # A quarter not over yet ("expects the trend to continue into the fourth quarter") reports nothing,
    # unless the text says it ended or reports it (a fiscal one: "its fourth quarter ended Sept. 30",
    # "reported a decline in fourth-quarter earnings").
    ended = bool(_ENDED.match(ctx.text, ctx.end))
    over = ctx.anchor is None or (a is not None and (a.end < ctx.anchor or ended or ctx.tense() == "past"))
    if a is not None and over and not _BACKGROUND.search(ctx.before(24)):
        ctx.period = a
    return found


# "After a flat second quarter, the company's third-quarter profit rose": a quarter after these words
# is the background of the one being reported, not the period the next "the year-ago period" means.
_ENDED = re.compile(r"\s+(?:that\s+|which\s+)?end(?:ed|ing)\b", re.I)
_BACKGROUND = re.compile(r"\b(?:after|following|since|before)\s+(?:an?|the|its|their)\s+(?:\w+\s+)?$", re.I)


def _code_in_context(code: str, year: str | None, ctx: Context) -> bool:
    """Whether a Q1/H2 code names a period: upper case or beside a year, else a lower-case code between
    words that name periods ("q1 and q2", "in q3"), not inside junk ("h2o q1 h2")."""
    if code[0].isupper() or year:
        return True
    spec = ctx.lexicon.raw["period_codes"]
    before = re.search(r"(\w+)\s+$", ctx.before(16))
    after = re.match(r"\s+(\w+)", ctx.text[ctx.end : ctx.end + 16])
    return bool(
        (before and before.group(1).lower() in spec["before"])
        or (after and after.group(1).lower() in spec["after"])
    )


def half(g: Groups, ctx: Context) -> Found | None:
    """the first half (of 2023) / H2 2023."""
    code = g.get("h") or g.get("h2")
    if code and not _code_in_context(code, g.get("year0") or g.get("year1"), ctx):
        return None
    n = int(code[1]) if code else ctx.lexicon.ordinal(need(g, "ord"))
    if not code and (n == -1 or normalise(g["ord"]) == "latter"):
        if ctx.text[ctx.start : ctx.start + 4].lower() != "the ":
            return None  # "at last half the staff left"
        n = 2  # "the last half of 1989", "the latter half"
    if g.get("year1"):
        g = g | {"year": g["year1"]}
    if n not in (1, 2):
        return None
    return _period(g, ctx, n, cal.half, 2)


def season(g: Groups, ctx: Context) -> Found | None:
    """this summer / last winter / spring 2024 / (in the) fall."""
    code = ctx.lexicon.raw["seasons"][normalise(g["season"])]
    rel = g.get("rel")
    written, words = g.get("year"), g.get("yw")
    year = int(written) if written else year_from_words(ctx.lexicon, words) if words else None
    if year is not None:
        named = cal.season(year, code)
        return Found("DATE", named.value, named)
    if not rel and not re.search(
        r"\b(?:in|during|by|until|since|over|through|this|the|early|late|mid)\s*-?\s*$", ctx.before(16)
    ):
        return None
    if ctx.anchor is None:
        return Found("DATE", f"XXXX-{code}")
    options = around(ctx.anchor, lambda y: cal.season(y, code))
    shift = ctx.lexicon.raw["relative"].get(normalise(rel or ""))
    a: cal.Anchored | None
    if shift is not None and shift < 0:
        # none within a year each way when the season named is the current one ("last winter" in
        # January): left unread here
        a = last_before(options, ctx.anchor, by_end=True)
    elif shift is not None and shift > 0:
        a = first_after(options, ctx.anchor)
    elif shift == 0:
        current = [o for o in options if o.start <= ctx.anchor <= o.end]
        a = current[0] if current else cal.season(ctx.anchor.year, code)
    else:
        a = choose(options, ctx.anchor, ctx.tense(), "same_year")
    return Found("DATE", a.value, a) if a else None


def holiday(g: Groups, ctx: Context) -> Found | None:
    """Christmas Eve / Thanksgiving / Easter 2024 / Christmas week: past within a week, else by tense."""
    spec = ctx.lexicon.holiday_by_name.get(normalise(g["hol"]))
    if spec is None:
        return None
    span = ctx.lexicon.raw["holiday_spans"][normalise(g["span"])] if g.get("span") else None

    def build(y: int) -> cal.Anchored | None:
        return holiday_days(spec, y, span)

    words, written = g.get("yw"), g.get("year")
    year_words = year_from_words(ctx.lexicon, words) if words else None
    if written:
        a = build(int(written))
        return Found("DATE", a.value, a) if a else None
    if year_words:
        a = build(year_words)
        return Found("DATE", a.value, a) if a else None
    if ctx.anchor is None:
        value = f"XXXX-{spec['month']:02d}-{spec['day']:02d}" if spec["rule"] == "fixed" else "XXXX-XX-XX"
        return Found("DATE", value)
    relative = ctx.lexicon.raw["relative"]
    if g.get("yrel"):
        a = build(ctx.anchor.year + relative[normalise(g["yrel"])])
        return Found("DATE", a.value, a) if a else None
    options = around(ctx.anchor, build, spread=spec.get("every_years", 1))
    if not options:
        return None
    shift = relative.get(normalise(g.get("rel") or ""))
    if shift is not None:
        if shift < 0:
            a = last_before(options, ctx.anchor)
        elif shift > 0:
            a = first_after(options, ctx.anchor)
        else:
            a = build(ctx.anchor.year) or options[0]
        return Found("DATE", a.value, a) if a else None
    tense = ctx.tense()
    if tense is None:
        past = [o for o in options if o.start <= ctx.anchor]
        recent = past and (ctx.anchor - past[-1].start).days <= 7
        a = past[-1] if recent else choose(options, ctx.anchor, None, "same_year")
    else:
        a = choose(options, ctx.anchor, tense, "same_year")
    return Found("DATE", a.value, a)


def holiday_days(spec: dict[str, Any], y: int, span: str | None = None) -> cal.Anchored | None:
    """A holiday's days in year y: the day (a lasting one's whole run), or with `span` the "day", "week"
    or "weekend" around it; None in a year without it (Super Tuesday comes with election years)."""
    cycle = spec.get("every_years")
    if cycle and (y - spec.get("from_year", 0)) % cycle:
        return None
    d = cal.holiday_date(spec, y)
    if d is None:
        return None  # a lunar holiday its calendar does not give for that year
    if spec.get("until") and not span:
        end = cal.holiday_end(spec, d)
        return None if end is None else cal.Anchored(d, end, d.isoformat(), "day")
    if span == "week":
        return cal.week(d)
    if span == "weekend":
        return holiday_weekend(d)
    return cal.day(d)


def holiday_weekend(d: dt.date) -> cal.Anchored:
    """The weekend a holiday gives its name to: Saturday to a Monday holiday, a Thursday or Friday one to
    Sunday, one on a weekend its own, and the weekend before one midweek ("the Christmas weekend")."""
    weekday = d.isoweekday()
    if weekday == 1:
        first, last = d - dt.timedelta(days=2), d
    elif weekday in (4, 5):
        first, last = d, d + dt.timedelta(days=7 - weekday)
    elif weekday >= 6:
        first = d - dt.timedelta(days=weekday - 6)
        last = first + dt.timedelta(days=1)
    else:
        first = d - dt.timedelta(days=weekday + 1)
        last = first + dt.timedelta(days=1)
    saturday = first if first.isoweekday() == 6 else first + dt.timedelta(days=6 - first.isoweekday())
    return cal.Anchored(first, last, cal.weekend(saturday).value, "weekend")


def holiday_in_year(lexicon: Lexicon, phrase: str, y: int) -> cal.Anchored | None:
    """The days a holiday phrase names in year y ("Christmas", "last Thanksgiving", "the Christmas
    holidays" in 2019), looked up by name; None when the phrase is not a holiday alone."""
    m = lexicon.bare_holiday.match(phrase.strip())
    if m is None:
        return None
    span = lexicon.raw["holiday_spans"][normalise(m.group("span"))] if m.group("span") else None
    return holiday_days(lexicon.holiday_by_name[normalise(m.group("hol"))], y, span)


def year_words(g: Groups, ctx: Context) -> Found | None:
    """nineteen ninety-six / January nineteen ninety-seven / the year two thousand."""
    y = year_from_words(ctx.lexicon, g.get("yw") or g.get("yw2") or need(g, "yw3"))
    if y is None or not 1000 <= y <= 2100:
        return None
    if not g.get("month"):
        a = cal.year(y)
        return Found("DATE", a.value, a)
    m = ctx.lexicon.months[normalise(g["month"])]
    day_text = g.get("day") or g.get("day2")
    if day_text:
        dom = ctx.lexicon.ordinal(day_text) or ctx.lexicon.number(day_text)
        d = cal.safe_date(y, m, int(dom)) if dom else None
        return Found("DATE", d.isoformat(), cal.day(d)) if d else None
    a = cal.month(y, m)
    return Found("DATE", a.value, a)


# How far (characters) after the date it points back to "the same period" may stand.
SAME_REACH = 400
_SAME_UNITS = frozenset({"quarter", "half", "year"})


def same_period(g: dict[str, str | None], ctx: Context) -> Found | None:
    """the same period / the same time frame: the period the text has just named ("Exports fell in 2012.
    Imports rose in the same period."), else the quarter being reported."""
    # a quarter, half or year: a day or month named last may be the end of a range ("from December
    # through next March")
    if ctx.ref is not None and ctx.start - ctx.ref_end <= SAME_REACH and ctx.ref.granularity in _SAME_UNITS:
        return Found("DATE", ctx.ref.value, ctx.ref)
    if ctx.period is not None:
        return Found("DATE", ctx.period.value, ctx.period)
    return None
