"""Handlers for expressions relative to the publication date or to a date earlier in the text.

today / last week / earlier this month / three days ago / two weeks later / the next day / Friday,
plus durations, sets, vague references (now, recently) and clock times.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from timeline.temporal import calendar as cal
from timeline.temporal.context import Context, Found, need
from timeline.temporal.lexicon import Lexicon, normalise

Groups = dict[str, str | None]
_UNRESOLVED = {-1: "PAST_REF", 0: "PRESENT_REF", 1: "FUTURE_REF"}


def _unit(ctx: Context, word: str) -> dict:
    return ctx.lexicon.raw["units"][normalise(word)]


def _number(ctx: Context, word: str | None) -> float | None:
    return ctx.lexicon.number(word) if word else None


def earlier_this(g: Groups, ctx: Context) -> Found | None:
    """earlier this month / later this week: the unit cut at the publication day."""
    gran = _unit(ctx, need(g, "unit"))["granularity"]
    earlier = direction(ctx, need(g, "dir"))[0] < 0
    if ctx.anchor is None:
        return Found("DATE", "PAST_REF" if earlier else "FUTURE_REF")
    whole = cal.unit_containing(ctx.anchor, gran)
    if earlier:
        # "earlier" is before the publication day ("earlier today" says the day itself)
        a = cal.Anchored(whole.start, max(whole.start, ctx.anchor - dt.timedelta(days=1)), whole.value, gran)
    else:
        a = cal.Anchored(ctx.anchor, whole.end, whole.value, gran)
    return Found("DATE", whole.value, a)


def relative_unit(g: Groups, ctx: Context) -> Found | None:
    """last week / this month / next year / the past year: the unit before, at or after the anchor."""
    gran = _unit(ctx, need(g, "unit"))["granularity"]
    rel = ctx.lexicon.raw["relative"][normalise(g["rel"])]
    if ctx.anchor is None:
        return Found("DATE", _UNRESOLVED[rel])
    if normalise(g["unit"]) == "fortnight" and rel:
        # A fortnight is the two weeks before or after the current one.
        near = cal.week(cal.shift(ctx.anchor, "week", rel))
        far = cal.week(cal.shift(ctx.anchor, "week", 2 * rel))
        first, last = (far, near) if rel < 0 else (near, far)
        return Found("DATE", first.value, cal.Anchored(first.start, last.end, first.value, "week"))
    if gran == "quarter" and rel == 0 and ctx.period is not None and ctx.tense() != "future":
        # Earnings news: "This quarter's loss includes charges" is the quarter being reported.
        return Found("DATE", ctx.period.value, ctx.period)
    a = cal.unit_containing(cal.shift(ctx.anchor, gran, rel), gran)
    return Found("DATE", a.value, a)


_RANK = {"day": 1, "weekend": 2, "week": 2, "month": 3, "quarter": 4, "half": 5, "season": 4, "year": 6}


def text_relative_unit(g: Groups, ctx: Context) -> Found | None:
    """the next day / the following week / that month / the previous year / the day before / the next
    morning."""
    if g.get("unit2"):
        unit, rel = g["unit2"], direction(ctx, need(g, "dir"))[0]
    else:
        unit, rel = g["unit"], ctx.lexicon.raw["text_relative"][normalise(g["trel"])]
    if g.get("pod"):
        unit = "day"  # "the next morning": the morning of the next day
    if unit is None:
        raise KeyError("group 'unit' is empty: the rule's pattern should fill it unless 'pod' is there")
    gran = _unit(ctx, unit)["granularity"]
    base = ctx.base()
    if base is None:
        return Found("DATE", _UNRESOLVED[rel])
    if rel == 0 and ctx.ref is not None and _RANK.get(ctx.ref.granularity or "", 0) > _RANK.get(gran, 0):
        return None  # "that day" after "in 1987" names no day of its own: a generic "then"
    a = cal.unit_containing(cal.shift(base, gran, rel), gran)
    if g.get("pod"):
        pod = ctx.lexicon.raw["parts_of_day"][normalise(g["pod"])]
        return Found("TIME", f"{a.value}T{pod}", a, granularity="part_of_day")
    return Found("DATE", a.value, a)


def _year_to_date(ctx: Context) -> bool:
    """Whether the sentence before the expression speaks of the year to date ("for the nine months")."""
    spec = ctx.lexicon.raw["year_to_date"]
    before = ctx.text[max(0, ctx.start - 240) : ctx.start]
    sentence = _pattern(spec["stop"]).split(before)[-1]
    return _pattern(spec["span"]).search(sentence) is not None


@cache
def _pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@cache
def _ended_after(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def the_unit(g: Groups, ctx: Context) -> Found | None:
    """the week / the year / the quarter / the weekend: the current one (quarter: the last complete)."""
    unit = _unit(ctx, need(g, "unit"))
    gran = unit["granularity"]
    ended = ctx.lexicon.raw["ended_unit"]
    if gran in ended["units"] and _ended_after(ended["after"]).match(ctx.text, ctx.end):
        return Found("DURATION", f"P1{unit['letter']}")
    if ctx.anchor is None:
        return Found("DATE", "PRESENT_REF")
    if gran == "quarter":
        # Earnings news: "the quarter" is the one being reported (the last named, else the last complete).
        a = ctx.period or cal.unit_containing(cal.shift(ctx.anchor, "quarter", -1), "quarter")
    elif gran == "weekend":
        future = ctx.tense() == "future"
        d = ctx.anchor + dt.timedelta(days=(5 - ctx.anchor.weekday()) % 7) if future else ctx.anchor
        if not future and d.weekday() < 5:
            d = d - dt.timedelta(days=d.weekday() + 1)
        a = cal.weekend(d if d.weekday() >= 5 else d + dt.timedelta(days=5 - d.weekday()))
    else:
        a = cal.unit_containing((ctx.story(gran) if gran in _STORY_UNITS else None) or ctx.anchor, gran)
    return Found("DATE", a.value, a)


def direction(ctx: Context, word: str) -> tuple[int, bool]:
    """Which way a direction word shifts ("ago": -1, "later": 1) and whether it counts from the
    publication date ("ago", "from now") rather than from the last date the text named ("later")."""
    spec = ctx.lexicon.raw["directions"][normalise(word)]
    return spec["sign"], spec["from"] == "anchor"


def offset(g: Groups, ctx: Context) -> Found | None:
    """three days ago / two weeks later / a year earlier / a month from now."""
    sign, from_anchor = direction(ctx, need(g, "dir"))
    return shifted(g, ctx, sign, from_anchor)


def shifted(g: Groups, ctx: Context, sign: int, from_anchor: bool) -> Found | None:
    """The day (or unit) `num` `unit`s from the publication date or the last date named."""
    unit = _unit(ctx, need(g, "unit"))
    gran = unit["granularity"]
    n = _number(ctx, g["num"])
    base = ctx.anchor if from_anchor else ctx.base()
    mod = "APPROX" if g.get("approx") else None
    if n is None or base is None:
        return Found("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", mod=mod)
    if sign > 0 and not from_anchor and ctx.ref is None and gran in _LONG_UNITS:
        # "Ten years later, the USA remains there" with no date before it counts from some event the
        # text tells, not from the publication day: a length, as TimeBank writes it, not years ahead.
        return Found("DURATION", cal.duration_value(n, unit["letter"]), mod=mod)
    n = n * unit.get("times", 1)
    if gran == "year" and n == 1 and ctx.period is not None:
        # Earnings news: "a year ago" is the same quarter of the year before (or that year, beside
        # the year to date).
        q = ctx.period.start
        if _year_to_date(ctx):
            a = cal.year(q.year + sign)
            return Found("DATE", a.value, a, mod=mod)
        a = cal.quarter(q.year + sign, (q.month - 1) // 3 + 1)
        return Found("DATE", a.value, a, mod=mod)
    if gran in ("hour", "minute"):
        target = base + dt.timedelta(hours=sign * n if gran == "hour" else sign * n / 60)
        a = cal.day(target)
    elif gran in ctx.lexicon.raw["offsets"]["as_day"]:
        # "three weeks ago" names a day (TimeBank writes the day; the peers agree).
        a = cal.day(cal.shift(base, "week" if gran == "weekend" else gran, sign * n))
        if gran not in _DAY_VALUES:
            # "hace tres meses": the day counted, its value written at the month (TimeML "2023-09")
            return Found("DATE", cal.unit_containing(a.start, gran).value, a, mod=mod)
    else:
        a = cal.unit_containing(cal.shift(base, gran, sign * n), "day" if gran == "weekend" else gran)
    return Found("DATE", a.value, a, mod=mod)


def weekday(g: Groups, ctx: Context) -> Found | None:
    """Friday / last Friday / next Monday / Friday night / Tuesday of next week."""
    lex = ctx.lexicon
    wd = lex.weekdays[normalise(g["wd"])]
    pod = lex.raw["parts_of_day"].get(normalise(g.get("pod") or ""))
    habitual = _HABITUAL_AFTER.match(ctx.text, ctx.end)
    if g.get("pods") or (habitual and not g.get("pod")):
        # "Tuesday nights", "on Monday and Tuesday nights": every such evening, a SET, not one day
        plural = normalise(g.get("pods") or habitual.group(1))  # type: ignore[union-attr]
        return Found("SET", f"XXXX-WXX-{wd}T{lex.raw['parts_of_day'][plural]}")
    if ctx.anchor is None or (not g.get("rel") and not g.get("when") and _INDEFINITE.search(ctx.before(16))):
        # "No one watches TV on a Friday night": some Friday, not a day the article can be dated by.
        return Found("TIME" if pod else "DATE", f"XXXX-WXX-{wd}" + (f"T{pod}" if pod else ""))
    anchor = ctx.anchor
    this_week = anchor - dt.timedelta(days=anchor.weekday()) + dt.timedelta(days=wd - 1)
    mode = lex.raw["weekday_relative"].get(normalise(g.get("rel") or ""))
    when = normalise(g.get("when") or "")
    if when:
        step = lex.raw["relative"].get(when, lex.raw["text_relative"].get(when, 0))
        d = this_week + dt.timedelta(days=7 * step)
    elif mode == "next_week":
        d = this_week + dt.timedelta(days=7)
    elif mode == "this_week":
        d = this_week  # "este jueves" in Spanish news: this week's, whether gone or to come
    elif mode == "this":
        d = anchor + dt.timedelta(days=(wd - anchor.isoweekday()) % 7)
    elif mode == "coming":
        d = anchor + dt.timedelta(days=(wd - anchor.isoweekday()) % 7 or 7)
    elif mode == "following":
        base = ctx.base() or anchor
        d = base + dt.timedelta(days=(wd - base.isoweekday()) % 7 or 7)
    elif mode == "previous" and ctx.ref is not None and ctx.ref.granularity == "day":
        # "down 4.5% from the previous Friday" after "closed lower Friday": the one before that day
        base = ctx.ref.start
        d = base - dt.timedelta(days=(base.isoweekday() - wd) % 7 or 7)
    elif mode in ("last", "previous"):
        d = anchor - dt.timedelta(days=(anchor.isoweekday() - wd) % 7 or 7)
    elif (joined := _joined_weekday(ctx, wd)) is not None:
        d = joined
    elif (tense := ctx.tense(prospective=True)) == "future":
        d = anchor + dt.timedelta(days=(wd - anchor.isoweekday()) % 7)
    elif tense == "prospective":
        # "asked his team to work out a plan overnight Tuesday": ahead of a past moment, the nearest
        # such day either way
        ahead = (wd - anchor.isoweekday()) % 7
        d = anchor + dt.timedelta(days=ahead if ahead <= 3 else ahead - 7)
    else:
        d = anchor - dt.timedelta(days=(anchor.isoweekday() - wd) % 7)
    a = cal.day(d)
    if pod:
        return Found("TIME", f"{d.isoformat()}T{pod}", a, granularity="part_of_day")
    return Found("DATE", a.value, a)


def _joined_weekday(ctx: Context, wd: int) -> dt.date | None:
    """Weekday `wd` after the weekday a connector alone joins it to ("by Thursday or Friday": one
    cue governs both, and the second follows the first); None when nothing joins them, or when
    following would carry a day gone by past the publication ("fighting on Monday and Friday")."""
    ref, anchor = ctx.ref, ctx.anchor
    if ref is None or anchor is None or ref.granularity != "day":
        return None
    if not 0 < ctx.start - ctx.ref_end <= _JOIN_REACH:
        return None
    connector, weekday = _weekday_join(ctx.lexicon)
    if not connector.fullmatch(ctx.text, ctx.ref_end, ctx.start):
        return None
    if not weekday.search(ctx.text, max(0, ctx.ref_end - 24), ctx.ref_end):
        return None
    d = ref.start + dt.timedelta(days=(wd - ref.start.isoweekday()) % 7 or 7)
    return None if ref.start <= anchor < d else d


@cache
def _weekday_join(lex: Lexicon) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The gap that joins two weekdays, and a weekday (with its part of day) ending where the first ends."""
    words = lex.raw["ranges"]["pair_connectors"]
    connector = re.compile(rf"\s*(?:{'|'.join(map(re.escape, words))})\s*", re.IGNORECASE)
    weekday = re.compile(
        rf"(?<![^\W_])(?:{lex.classes['WDANY']})\.?(?:\s+(?:{lex.classes['POD']}))?$", re.IGNORECASE
    )
    return connector, weekday


def deictic(g: Groups, ctx: Context) -> Found | None:
    """today / yesterday / tomorrow / tonight / last night / this morning / yesterday afternoon."""
    lex = ctx.lexicon
    entry = lex.raw["deictic"].get(normalise(g["deic"]))
    if entry is None:
        return None
    pod = lex.raw["parts_of_day"].get(normalise(g.get("pod") or "")) or entry.get("pod")
    after = re.match(r"['’]s\s+(\w+)", ctx.text[ctx.end : ctx.end + 24])
    if after and after.group(1).lower() in lex.raw["generic_today"]["nouns"]:
        return None  # "today's youth", "today's world": the present age, not the publication day
    text, start, end = ctx.text, ctx.start, ctx.end
    if _TITLE.fullmatch(text, start, end) and (
        _NAME_BEFORE.search(text, max(0, start - 24), start) or _SHOW_AFTER.match(text, end)
    ):
        return None  # "USA Today", "This is VOA Today", "the Today show": a name, not the day
    if ctx.anchor is None:
        return Found("DATE", _UNRESOLVED[max(-1, min(1, entry["days"]))])
    d = ctx.anchor + dt.timedelta(days=entry["days"])
    a = cal.day(d)
    if pod:
        return Found("TIME", f"{d.isoformat()}T{pod}", a, granularity="part_of_day")
    return Found("DATE", a.value, a)


def reference(g: Groups, ctx: Context) -> Found | None:
    """now / currently / recently / the future: TIMEX3 PRESENT_REF, PAST_REF, FUTURE_REF."""
    value = ctx.lexicon.references[normalise(g["ref"])]
    if value == "PRESENT_REF" and ctx.anchor is not None:
        return Found("DATE", value, cal.Anchored(ctx.anchor, ctx.anchor, value, "present"))
    return Found(
        "DATE", value, granularity={"PAST_REF": "past", "FUTURE_REF": "future"}.get(value, "present")
    )


def clock(g: Groups, ctx: Context) -> Found | None:
    """3 p.m. / 10:30 a.m. EST / 14:00 GMT / noon: a TIME on the publication day (or the last day named)."""
    words = ctx.lexicon.raw["clock"]
    if g.get("named"):
        hour, minute = (0, 0) if normalise(g["named"]) in words["midnight"] else (12, 0)
    elif g.get("hour24"):
        hour, minute = int(need(g, "hour24")), int(need(g, "minute24"))
    elif hhmm := g.get("hhmm"):
        hour, minute = int(hhmm[:2]), int(hhmm[2:])  # "1400 BST": a clock, not the year 1400
    else:
        hour, minute = int(need(g, "hour")) % 12, int(g.get("minute") or 0)
        if normalise(g["ampm"]).startswith(tuple(words["pm"])):
            hour += 12
    # A day written beside it is joined later (ranges.join); alone, it is on the last day named ("on
    # Friday the blast occurred at about 10:35 a.m."), else on the publication day.
    d = ctx.ref.start if ctx.ref is not None and ctx.ref.granularity == "day" else ctx.anchor
    if d is not None and ctx.anchor is not None and d < ctx.anchor and ctx.tense() == "future":
        d = ctx.anchor  # "expected to pass through by 3:30 p.m.": not on a day gone by named before
    if d is None:
        return Found("TIME", f"XXXX-XX-XXT{hour:02d}:{minute:02d}")
    return Found("TIME", f"{d.isoformat()}T{hour:02d}:{minute:02d}", cal.day(d), granularity="minute")


def reporting_period(g: Groups, ctx: Context) -> Found | None:
    """the latest quarter / the year-ago period / the year-earlier third quarter (earnings news)."""
    what = normalise(g["what"] or "quarter")
    if ctx.anchor is None:
        return Found("DATE", "PAST_REF")
    latest = cal.unit_containing(cal.shift(ctx.anchor, "quarter", -1), "quarter")
    base = ctx.period if ctx.period is not None else latest
    if g.get("latest"):
        ctx.period = base
    if g.get("ord"):
        n = ctx.lexicon.ordinal(need(g, "ord"))
        if not n or n > 4:
            return None
        base = cal.quarter(base.start.year, n)
    back = 1 if g.get("ago") or g.get("adj") else 0
    if what == "year":
        a = cal.year(ctx.anchor.year - 1 - back)
    elif g.get("adj") and _year_to_date(ctx):
        a = cal.year(base.start.year - 1)
    elif what in ("nine months", "six months"):
        # "the latest nine months": the year to date, a length by TimeML (P9M) over its months
        months = 9 if what.startswith("nine") else 6
        end = cal.quarter(base.start.year - back, (base.start.month - 1) // 3 + 1).end
        first = cal.shift(dt.date(end.year, end.month, 1), "month", 1 - months)
        return Found("DURATION", f"P{months}M", cal.Anchored(first, end, f"P{months}M", "month"))
    else:
        a = cal.quarter(base.start.year - back, (base.start.month - 1) // 3 + 1)
    return Found("DATE", a.value, a)


def year_period(g: Groups, ctx: Context) -> Found | None:
    """the 1988 quarter / the 1989 period / last year's quarter: the quarter being reported, in that year."""
    if ctx.anchor is None:
        return None
    base = ctx.period or cal.unit_containing(cal.shift(ctx.anchor, "quarter", -1), "quarter")
    if g.get("year"):
        year = int(need(g, "year"))
    else:
        year = ctx.anchor.year + ctx.lexicon.raw["relative"][normalise(g["yrel"])]
    a = cal.quarter(year, (base.start.month - 1) // 3 + 1)
    return Found("DATE", a.value, a)


def weekdays_ago(g: Groups, ctx: Context) -> Found | None:
    """3 fridays from now / 2 thursdays ago: the n-th such weekday after or before the anchor."""
    n = _number(ctx, g["num"])
    wd = ctx.lexicon.weekdays.get(normalise(g["wd"])[:-1])
    if ctx.anchor is None or not n or n != int(n) or wd is None:
        return None
    forward = direction(ctx, need(g, "dir"))[0] > 0
    if forward:
        d = ctx.anchor + dt.timedelta(days=(wd - ctx.anchor.isoweekday()) % 7 or 7)
    else:
        d = ctx.anchor - dt.timedelta(days=(ctx.anchor.isoweekday() - wd) % 7 or 7)
    d += dt.timedelta(days=7 * (int(n) - 1) * (1 if forward else -1))
    return Found("DATE", d.isoformat(), cal.day(d))


def after_next(g: Groups, ctx: Context) -> Found | None:
    """Friday after next / March after next / the week after next."""
    if ctx.anchor is None:
        return Found("DATE", "FUTURE_REF")
    lex = ctx.lexicon
    if g.get("wd"):
        wd = lex.weekdays[normalise(g["wd"])]
        d = ctx.anchor + dt.timedelta(days=((wd - ctx.anchor.isoweekday()) % 7 or 7) + 7)
        return Found("DATE", d.isoformat(), cal.day(d))
    if g.get("month"):
        m = lex.months[normalise(g["month"])]
        y = ctx.anchor.year + (1 if m > ctx.anchor.month else 2)
        a = cal.month(y, m)
        return Found("DATE", a.value, a)
    gran = _unit(ctx, need(g, "unit"))["granularity"]
    a = cal.unit_containing(cal.shift(ctx.anchor, gran, 2), gran)
    return Found("DATE", a.value, a)


def unit_edge(g: Groups, ctx: Context) -> Found | None:
    """the end of the month / beginning of year / by the end of the week: part of the current unit."""
    from timeline.temporal.context import narrow

    if ctx.anchor is None:
        return Found("DATE", "PRESENT_REF")
    if g.get("abbr"):
        # EOD/EOM/EOY: end of day/month/year; BOM/BOY: their beginning.
        abbr = need(g, "abbr").upper()
        unit = {"D": "day", "W": "week", "M": "month", "Y": "year"}[abbr[2]]
        part = "end" if abbr.startswith("E") else "start"
        g = g | {"unit": unit}
    else:
        part = ctx.lexicon.raw["unit_edges"].get(normalise(g["edge"]), "end")
    gran = _unit(ctx, need(g, "unit"))["granularity"]
    story = ctx.story(gran) if gran in _STORY_UNITS else None
    whole = cal.unit_containing(story or ctx.anchor, gran)
    if g.get("by") and story is None:
        a = cal.Anchored(min(ctx.anchor, whole.end), whole.end, whole.value, gran)
        return Found("DATE", whole.value, a, mod="END")
    return Found("DATE", whole.value, narrow(whole, part), mod=part.upper())


def to_date(g: Groups, ctx: Context) -> Found | None:
    """year to date / month-to-date: from the start of the unit to the publication day."""
    if ctx.anchor is None:
        return Found("DATE", "PRESENT_REF")
    gran = _unit(ctx, need(g, "unit"))["granularity"]
    whole = cal.unit_containing(ctx.anchor, gran)
    return Found("DATE", whole.value, cal.Anchored(whole.start, ctx.anchor, whole.value, gran))


def rest_of(g: Groups, ctx: Context) -> Found | None:
    """the rest of the week / the remainder of the year: from the publication day to the unit's end."""
    if ctx.anchor is None:
        return Found("DATE", "FUTURE_REF")
    gran = _unit(ctx, need(g, "unit"))["granularity"]
    whole = cal.unit_containing(ctx.anchor, gran)
    return Found("DATE", whole.value, cal.Anchored(ctx.anchor, whole.end, whole.value, gran))


def compound_offset(g: Groups, ctx: Context) -> Found | None:
    """1 month and 21 days ago / 2 years 21 days later: every part shifts the same base."""
    lex = ctx.lexicon
    sign, from_anchor = direction(ctx, need(g, "dir"))
    base = ctx.anchor if from_anchor else ctx.base()
    if base is None:
        return Found("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF")
    units = lex.classes["UNIT"]
    pairs = re.findall(rf"({lex.classes['NUM']})\s+({units})", need(g, "parts"), re.IGNORECASE)
    target = base
    for number, unit_word in pairs:
        n = _number(ctx, number)
        unit = _unit(ctx, unit_word)
        if n is None or unit["granularity"] in ("hour", "minute"):
            continue
        target = cal.shift(target, unit["granularity"], sign * n * unit.get("times", 1))
    return Found("DATE", target.isoformat(), cal.day(target))


_SINCE = re.compile(r"\bsince\s+$")
_JOIN_REACH = 16  # the longest gap two joined weekdays leave between them ("Tuesday and then on Friday")
_HABITUAL_AFTER = re.compile(
    r"\s*(?:,|and|or|,\s*and)\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day\s+(morning|afternoon|evening|night)s\b",
    re.IGNORECASE,
)
_LONG_UNITS = frozenset({"year", "decade", "century"})
_DAY_VALUES = frozenset({"day", "week", "weekend"})  # offsets whose value is the day itself
# Units whose "the end of the ..." / "the ..." in a past sentence follow the story's last date.
_STORY_UNITS = frozenset({"month", "year"})
# A capitalised deictic word after an acronym, or before "show", is part of a title (a headline's
# "Stocks Fall Today" keeps its day).
_TITLE = re.compile(r"(?-i:[A-Z][a-z]+)")
_NAME_BEFORE = re.compile(r"\b(?-i:[A-Z]{2,})\s+$")
_SHOW_AFTER = re.compile(r"\s+(?:show|programme|program|newspaper)\b")
_INDEFINITE = re.compile(r"\bon\s+(?:a|any|a\s+given)\s+$")


def unit_end_day(g: Groups, ctx: Context) -> Found | None:
    """year-end / month-end: the last day of the current unit (TimeBank writes the day)."""
    if ctx.anchor is None:
        return Found("DATE", "FUTURE_REF")
    gran = _unit(ctx, need(g, "unit"))["granularity"]
    d = cal.unit_containing(ctx.anchor, gran).end
    if _SINCE.search(ctx.before(12)):
        d = cal.unit_containing(cal.shift(ctx.anchor, gran, -1), gran).end  # "since year-end": the last one
    return Found("DATE", d.isoformat(), cal.day(d))
