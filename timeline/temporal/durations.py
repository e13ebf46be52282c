"""Handlers for durations and sets: three years, the past two weeks, within five days, daily, every Monday.

Durations keep their TIMEX3 value (P3Y); those tied to the publication day ("the last two weeks",
"within five days", "the first eleven months of 2023") also get the interval they cover.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from timeline.temporal import calendar as cal
from timeline.temporal.context import Context, Found, need
from timeline.temporal.lexicon import normalise
from timeline.temporal.relative import _number, _unit, shifted

Groups = dict[str, str | None]
# Weighted distance (`TenseReader.cue_near`) within which a past verb makes "in <n> <units>" the time
# something took ("sold 5,000 tickets in three days"); a reporting verb farther off weighs triple and
# does not ("officials said talks resume in two weeks").
PAST_LENGTH_REACH = 40.0


def in_units(g: Groups, ctx: Context) -> Found | None:
    """in two weeks (a date ahead) / within three days (a duration)."""
    if g.get("num"):
        found = duration({"num": g["num"], "unit": g["unit"]}, ctx)
        n = _number(ctx, g["num"])
        if found is None or ctx.anchor is None or not n or n != int(n):
            return found
        # "within three weeks": from the publication day to the end of that span.
        gran = _unit(ctx, need(g, "unit"))["granularity"]
        if gran in ("hour", "minute"):
            return found
        last = cal.shift(ctx.anchor, gran, int(n)) - dt.timedelta(days=1)
        span = cal.Anchored(ctx.anchor, max(last, ctx.anchor), found.value, gran)
        return Found("DURATION", found.value, span, mod=found.mod, granularity=gran)
    if _lookback(ctx.lexicon.raw["lookback"]["before"]).search(ctx.before(80)):
        return duration({"num": g["num2"], "unit": g["unit2"]}, ctx)  # "the worst attack in 14 days"
    length = ctx.lexicon.raw["lookback"].get("length")
    if ctx.tense(reach=PAST_LENGTH_REACH) == "past" or (length and _lookback(length).search(ctx.before(80))):
        # "built it in three weeks", "we can do it in 100 days": how long it took, not a day ahead
        return duration({"num": g["num2"], "unit": g["unit2"]}, ctx)
    found = shifted({"num": g["num2"], "unit": g["unit2"]}, ctx, 1, True)
    if found is None or found.anchored is None or ctx.anchor is None:
        return found
    d = cal.shift(ctx.anchor, _unit(ctx, need(g, "unit2"))["granularity"], _number(ctx, g["num2"]) or 0)
    # The day counted is the interval; TIMEX3 writes the value at the expression's own unit, as for
    # "five years ago" ("redeemed in five years": 1994, not 1994-11-02).
    return Found("DATE", found.value, cal.day(d))


# A capitalised set word inside a name: a capitalised word (or its possessive) before it, or after it.
_NAME_BEFORE = re.compile(r"(?<![.!?]\s)\b[A-Z][\w-]*(?:['’]s)?\s+$")
_NAME_AFTER = re.compile(r"\s+[A-Z][a-z]")


@cache
def _pattern(pattern: str) -> re.Pattern[str]:
    """A lexicon pattern, case-sensitive: "72 YEARS OLD" in a shouted headline stays a length."""
    return re.compile(pattern)


@cache
def _lookback(pattern: str) -> re.Pattern[str]:
    """The compiled cue before "in <n> <units>" that makes it a span looked back over."""
    return re.compile(pattern, re.IGNORECASE)


def set_word(g: Groups, ctx: Context) -> Found | None:
    """daily / annually / every year / (twice) a year: TIMEX3 SET."""
    key = normalise(g["set"])
    spec = ctx.lexicon.raw["set_amounts"]
    if key.split(" ")[0] in spec["heads"] and not re.search(spec["before"], ctx.before(20)):
        return None
    text, start = ctx.text, ctx.start
    if text[start : start + 1].isupper() and (
        _NAME_BEFORE.search(text, max(0, start - 24), start) or _NAME_AFTER.match(text, ctx.end)
    ):
        return None  # "China Daily", "People's Daily", "the Daily Mail": a newspaper's name
    return Found("SET", ctx.lexicon.raw["sets"][key])


def every(g: Groups, ctx: Context) -> Found | None:
    """every Monday / each July / every two weeks / every other day / every morning / each winter."""
    lex = ctx.lexicon
    if g.get("pod"):
        return Found("SET", f"XXXX-XX-XXT{lex.raw['parts_of_day'][normalise(g['pod'])]}")
    if g.get("season"):
        return Found("SET", f"XXXX-{lex.raw['seasons'][normalise(g['season'])]}")
    if g.get("wd"):
        return Found("SET", f"XXXX-WXX-{lex.weekdays[normalise(g['wd'])]}")
    if g.get("month"):
        return Found("SET", f"XXXX-{lex.months[normalise(g['month'])]:02d}")
    if g.get("other"):
        unit = normalise(g["other"]).split(" ")[-1]
        return Found("SET", cal.duration_value(2, _unit(ctx, unit)["letter"]))
    n = _number(ctx, g.get("num")) if g.get("num") else 1
    return Found("SET", cal.duration_value(n, _unit(ctx, need(g, "unit"))["letter"]))


def frequency(g: Groups, ctx: Context) -> Found | None:
    """twice a year / three times a week: SET with the period as value."""
    return Found("SET", cal.duration_value(1, _unit(ctx, need(g, "unit"))["letter"]))


# After "a quarter", "three quarters": "of" and a determiner other than of a year makes it a fraction
# ("a quarter of the market", not "several quarters of losses" or "two quarters of the year").
_FRACTION_OF = re.compile(
    r"\s+of\s+(?:the|a|an|all|its|their|his|her|our|those|these)\s+(?!(?:fiscal\s+)?(?:year|\d))", re.I
)
# "about a quarter of dealers": one quarter of a bare plural is a share too ("several quarters of
# losses" are not, nor "a quarter of this year", "a quarter of a century")
_ONE_QUARTER = re.compile(r"\b(?:a|one)\s+quarter$", re.I)
_SHARE_OF = re.compile(
    r"\s+of\s+(?!(?:this|last|next|that|fiscal|calendar|year|decade|century|\d)\b)[a-z]+s\b", re.I
)


def duration(g: Groups, ctx: Context) -> Found | None:
    """three years / the past two weeks / a decade / several months / five-year: TIMEX3 DURATION."""
    unit_word = g.get("unit") or g.get("unit2") or g.get("unit3") or g.get("one")
    ages = ctx.lexicon.raw["ages"]
    if _pattern(ages["after"]).match(ctx.text, ctx.end) or _pattern(ages["before"]).search(ctx.before(24)):
        return None  # "a 6-year-old boy", "tiene 34 años": an age
    if re.search(r"-quarters?$", ctx.text[ctx.start : ctx.end], re.IGNORECASE):
        return None  # "three-quarters of" is a fraction
    quarters = re.search(r"quarters?$", ctx.text[ctx.start : ctx.end], re.IGNORECASE)
    span_text = ctx.text[ctx.start : ctx.end]
    share = _ONE_QUARTER.search(span_text) and _SHARE_OF.match(ctx.text, ctx.end)
    if quarters and not g.get("edge") and (_FRACTION_OF.match(ctx.text, ctx.end) or share):
        return None  # "more than a quarter of the market", "three quarters of the vote": a fraction
    if _someday(ctx):
        return None  # "one day I will": some day ahead, not a length of one day
    if unit_word is None:
        raise KeyError("no unit group is filled: the rule's pattern should always fill one")
    unit = _unit(ctx, unit_word)
    if (
        g.get("num")
        and re.fullmatch(r"1\d{3}|20\d\d", need(g, "num"))
        and not unit_word.lower().endswith("s")
    ):
        return None  # "the 1988 quarter" names a year's quarter, not 1,988 quarters
    n = _number(ctx, g.get("num")) if g.get("num") else (1 if g.get("one") else None)
    if g.get("num") and n is None:
        return None
    if n is not None:
        n = n * unit.get("times", 1)
        if "and a half" in ctx.text[ctx.start : ctx.end].lower():
            n += 0.5
    mod = (
        "APPROX"
        if g.get("approx")
        and normalise(g["approx"])
        in ("about", "around", "roughly", "some", "approximately", "nearly", "almost")
        else None
    )
    value = cal.duration_value(n, unit["letter"])
    edge = normalise(g.get("edge") or "")
    span = _edge_span(ctx, edge, n, unit["granularity"]) if edge and n and n == int(n) else None
    return Found("DURATION", value, span, mod=mod, granularity=unit["granularity"] if span else None)


def unit_length(g: Groups, ctx: Context) -> Found | None:
    """over the next decade / throughout the past century: the length of one unit, laid before or after
    the current one (a decade of growth, not the 2020s)."""
    unit = _unit(ctx, need(g, "unit"))
    edge = normalise(g["edge"])
    span = _edge_span(ctx, edge, 1, unit["granularity"])
    value = cal.duration_value(1, unit["letter"])
    return Found("DURATION", value, span, granularity=unit["granularity"] if span else None)


def _someday(ctx: Context) -> bool:
    """Whether "one day" here means some day (after a modal or a subject, or opening a clause
    before its subject), not a length."""
    spec = ctx.lexicon.raw["someday"]
    if normalise(ctx.text[ctx.start : ctx.end]) != spec["phrase"]:
        return False
    before = ctx.text[max(0, ctx.start - 12) : ctx.start]
    word = re.search(r"(\w+)\s+$", before)
    if word and word.group(1).lower() in spec["before"]:
        return True
    if before.strip() and before.rstrip()[-1] not in '.!?"“':
        return False
    subject = re.match(r",?\s+(\w+)", ctx.text[ctx.end : ctx.end + 16])
    return bool(subject and subject.group(1).lower() in spec["subjects"])


def _edge_span(ctx: Context, edge: str, n: float, gran: str) -> cal.Anchored | None:
    """The whole units before or after the current one: 'the last two weeks', 'the next 3 days'."""
    if ctx.anchor is None or gran not in ("day", "week", "month", "quarter", "year", "decade", "century"):
        return None
    sign = ctx.lexicon.relations.get(edge)
    if not sign:
        return None
    near = cal.unit_containing(cal.shift(ctx.anchor, gran, sign), gran)
    far = cal.unit_containing(cal.shift(ctx.anchor, gran, sign * int(n)), gran)
    first, last = (far, near) if sign < 0 else (near, far)
    return cal.Anchored(first.start, last.end, first.value, gran)


def edge_units(g: Groups, ctx: Context) -> list[tuple[str, Found]] | None:
    """the first eleven months of 2023 / the last two weeks of December: a length, covering part of a
    year or month, and that year or month; the first two quarters of 1990: its first half."""
    lex = ctx.lexicon
    n = _number(ctx, g["num"])
    if n is None or n != int(n):
        return None
    unit = _unit(ctx, need(g, "unit"))
    length = Found("DURATION", cal.duration_value(n, unit["letter"]))
    if g.get("month"):
        m = lex.months[normalise(g["month"])]
        if g.get("myear"):
            whole = cal.month(int(need(g, "myear")), m)
        elif ctx.anchor:
            whole = cal.month(ctx.anchor.year, m)
        else:
            return [("part" if g.get("part") else "", length)]
    elif g.get("year"):
        whole = cal.year(int(need(g, "year")))
    elif ctx.anchor is None:
        return [("part" if g.get("part") else "", length)]
    elif g.get("yrel"):
        whole = cal.year(ctx.anchor.year + lex.raw["relative"][normalise(g["yrel"])])
    else:
        whole = cal.year(ctx.anchor.year)
    gran = unit["granularity"]
    edge = normalise(g["edge"])
    first = lex.ordinal(edge) == 1 or lex.relations.get(edge) == 1
    if gran == "quarter" and n == 2 and whole.granularity == "year":
        h = cal.half(whole.start.year, 1 if first else 2)
        return [("", Found("DATE", h.value, h))]
    if first:
        end = cal.shift(whole.start, gran, n) - dt.timedelta(days=1)
        a = cal.Anchored(whole.start, min(end, whole.end), whole.value, whole.granularity)
    else:
        start = cal.shift(whole.end + dt.timedelta(days=1), gran, -n)
        a = cal.Anchored(max(start, whole.start), whole.end, whole.value, whole.granularity)
    part = Found("DURATION", length.value, a, granularity=gran)
    if g.get("part") is None:
        return [("", part)]  # a grammar that reads the phrase as one expression
    return [("part", part), ("whole", Found("DATE", whole.value, whole))]
