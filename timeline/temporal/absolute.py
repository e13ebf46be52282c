"""Handlers for calendar days and months: December 27, 2023 / 12/27 / 27 December / May / last March.

Years and the periods made of them (quarters, halves, seasons, decades, fiscal years) and holidays are
in `periods`.

Each handler reads a rule's named groups and returns a `Found` (or None to reject the match).
Without a year in the text, the tense of the sentence picks one (see `context.choose`).
"""

from __future__ import annotations

import datetime as dt
import re

from timeline.temporal import calendar as cal
from timeline.temporal.context import (
    Context,
    Found,
    around,
    choose,
    first_after,
    last_before,
    need,
    written_year,
)
from timeline.temporal.lexicon import Lexicon, normalise, year_from_words
from timeline.temporal.tense import reader

Groups = dict[str, str | None]
_CLOCK_LIKE = re.compile(r"1[0-8][0-5]\d")  # 1000-1859 with minutes under 60: read as HHMM
_DOTTED_DATE_BEFORE = re.compile(
    r"\b(?:on|from|until|till|since|by|before|after|between|and|to|mon|tue|wed|thu|fri|sat|sun)[.,]?\s+$"
    r"|(?:day|dates?|deadline)[:,]?\s+$",
    re.IGNORECASE,
)
# Characters after a dated day within which a day without its year takes that day's year.
REF_REACH = 200
# Weighted distance (see `TenseReader.cue_near`) within which a tense cue still decides a day months
# away: farther cues are other clauses' verbs or purpose infinitives ("Qatar becomes the first to
# recognise the rebels").
FALLBACK_REACH = 300.0
# A day put more than YEAR_JUMP days away by a tense cue is read as the same day if that lies within
# RECENT_BEFORE days before (or RECENT_AFTER after) the publication.
YEAR_JUMP, RECENT_BEFORE, RECENT_AFTER = 180, 60, 14
_MONTH_CONTEXT = re.compile(
    r"(?:\b(?:in|since|by|until|till|of|from|before|after|during|through|early|late|mid|end of|"
    r"beginning of|middle of|and|or|to|this|last|next|each|every)\s*-?\s*)$"
)

_ATTRIBUTIVE_BEFORE = re.compile(r"\b(?:a|an|the|its|their|his|her|our)\s+(?:(?:early|mid|late)[\s-]+)?$")
_ATTRIBUTIVE_HEAD = re.compile(r"(?:a|an|the)\s", re.IGNORECASE)
_ATTRIBUTIVE_AFTER = re.compile(
    r"\s+(?!(?:and|or|for|the|was|were|has|had|will|would|to|of|in|on|at)\b)[a-z]{3,}\b"
)


def _attributive(ctx: Context) -> bool:
    """Whether the expression names a thing after a determiner ("the 20 April explosion")."""
    held = _ATTRIBUTIVE_HEAD.match(ctx.text, ctx.start, ctx.end)  # the span may hold its own "the"
    before = held or _ATTRIBUTIVE_BEFORE.search(ctx.before())
    return bool(before and _ATTRIBUTIVE_AFTER.match(ctx.text, ctx.end))


def _date(ctx: Context, month: int, dom: int, year_text: str | None) -> Found | None:
    if year_text:
        d = cal.safe_date(written_year(year_text, ctx.anchor), month, dom)
        return Found("DATE", d.isoformat(), cal.day(d)) if d else None
    if cal.safe_date(2000, month, dom) is None:
        return None
    if ctx.anchor is None:
        return Found("DATE", f"XXXX-{month:02d}-{dom:02d}")
    options = around(
        ctx.anchor, lambda y: (lambda d: cal.day(d) if d else None)(cal.safe_date(y, month, dom))
    )
    ref = ctx.ref
    if (
        ref is not None
        and ref.granularity == "day"
        and ref.start.year != ctx.anchor.year
        and ref.start not in ctx.guessed
        and ctx.start - ctx.last_end < REF_REACH
    ):
        # "met on 3 January 2024; a second meeting on 9 January": a day without its year, just after a
        # dated day of another year than the publication's, is read in that day's year.
        a = min(options, key=lambda o: abs((o.start - ref.start).days))
        return Found("DATE", a.value, a)
    # The verb governing the date decides; without one, the nearest such day (news dates cluster).
    a = choose(options, ctx.anchor, ctx.tense(strong=True), "nearest")
    if abs((a.start - ctx.anchor).days) > 120:
        # Months away either way: any tense cue in the sentence is better than the calendar, and with
        # none ("February 17 - Activists designate a day of rage" in a chronology) news reports the past.
        tense = ctx.tense(reach=FALLBACK_REACH)
        if tense == "future" and ctx.tense(strong=True) is None and _attributive(ctx):
            tense = None  # "leading up to the 20 April explosion": a day naming a thing, no verb of its own
        a = choose(options, ctx.anchor, tense, "past")
    if (a.start - ctx.anchor).days > YEAR_JUMP:
        # A future cue sent the day most of a year ahead while the same day lies just behind the
        # publication ("to prevent another 20 April explosion" on 5 May, "to visit Homs on 7 March" on
        # 12 March): news means the day it has just reported. (Past cues are surer: "the quarter ended
        # Oct. 31" on 27 October is last year's.)
        recent = [o for o in options if -RECENT_BEFORE <= (o.start - ctx.anchor).days <= RECENT_AFTER]
        a = recent[0] if recent else a
    ctx.guessed.add(a.start)
    return Found("DATE", a.value, a)


def yearless_day(lexicon: Lexicon, anchor: dt.date, month: int, dom: int) -> cal.Anchored | None:
    """The day month/dom with no year and no words around it, as a lone "Mar 2" is read."""
    found = _date(Context(text="", anchor=anchor, lexicon=lexicon, tenses=reader(lexicon)), month, dom, None)
    return found.anchored if found else None


def numeric_date(g: Groups, ctx: Context) -> Found | None:
    """12/27/2023, 27.12.2023, 2023-12-27, 12/27: US month-first unless that cannot be a date."""
    if g.get("month"):
        a, b, day_first = int(need(g, "month")), int(need(g, "day")), False
    elif g.get("da"):
        if ctx.text[ctx.end - 1 : ctx.end] != "." and not _DOTTED_DATE_BEFORE.search(ctx.before(12)):
            return None  # "4.10 guilders", "off 17.01": a decimal unless written "23.08." or "on 4.10"
        a, b, day_first = int(need(g, "da")), int(need(g, "db")), True
    else:
        a, b = int(need(g, "a")), int(need(g, "b"))
        day_first = g.get("sep") == "." or a > 12 or ctx.lexicon.raw["numeric_dates"]["day_first"]
    month, dom = (b, a) if day_first else (a, b)
    if month > 12 and dom <= 12 and not g.get("month"):
        month, dom = dom, month  # 27/12: day first (ISO 2017-13-12 is simply invalid)
    if not g.get("year") and not g.get("month") and not g.get("da") and a < b and b in (2, 3, 4, 8, 16, 32):
        return None  # 1/2, 3/4, 7/8 (stock prices): fractions
    found = _date(ctx, month, dom, g.get("year"))
    if found and g.get("hour") and found.anchored:
        return Found("TIME", f"{found.value}T{g['hour']}:{g['minute']}", found.anchored, granularity="minute")
    return found


def month_day(g: Groups, ctx: Context) -> Found | None:
    """December 27, 2023 / 27 December / Wed, Dec. 27 / the 27th of December."""
    lex = ctx.lexicon
    month = lex.months[normalise(g["month"])]
    dom = lex.ordinal(need(g, "day"))
    if dom is None or not 1 <= dom <= 31:
        return None
    ambiguous = normalise(g["month"]) in lex.raw["ambiguous"]["months"]
    if ambiguous and not ctx.original(need(g, "month")) and not re.match(r"\d", need(g, "day")):
        return None
    year_text = g.get("year")
    if not year_text and g.get("yw"):
        written = year_from_words(lex, need(g, "yw"))  # "el 2 de octubre de dos mil veinte"
        year_text = str(written) if written else None
    if year_text and _CLOCK_LIKE.fullmatch(year_text) and "," not in ctx.text[ctx.start : ctx.end]:
        year_text = None  # "12 Nov 1115": a clock time after the date, not the year 1115
    return _date(ctx, month, dom, year_text)


def month_year(g: Groups, ctx: Context) -> Found | None:
    """December 2023 / Dec '23 / June last year."""
    month = ctx.lexicon.months[normalise(g["month"])]
    if g.get("rel"):
        if ctx.anchor is None:
            return Found("DATE", f"XXXX-{month:02d}")
        y = ctx.anchor.year + ctx.lexicon.raw["relative"][need(g, "rel").lower()]
    else:
        y = written_year(need(g, "year"), ctx.anchor)
    a = cal.month(y, month)
    return Found("DATE", a.value, a)


def month(g: Groups, ctx: Context) -> Found | None:
    """A bare month name: the sentence's tense picks the year; with no tense cue, the nearest such month
    ("the November trip" in a January article is the November just gone, not ten months ahead)."""
    lex = ctx.lexicon
    word = need(g, "month")
    key = normalise(word)
    if key in lex.raw["month_abbreviations"] and not (ctx.original(word) and word.endswith(".")):
        return None
    if key in lex.raw["ambiguous"]["months"] and not (
        ctx.original(word) and _MONTH_CONTEXT.search(ctx.before())
    ):
        return None
    m = lex.months[key]
    if ctx.anchor is None:
        return Found("DATE", f"XXXX-{m:02d}")
    tense = ctx.tense()
    # "a June agreement", "the late-November trip": a month naming a thing is put ahead only by the
    # verb that governs it, not by a purpose infinitive or a verb farther off ("to make the ... trip")
    if tense == "future" and ctx.tense(strong=True) is None and _attributive(ctx):
        tense = None
    if (m - ctx.anchor.month) % 12 == 1 and ctx.tense(strong=True) != "past":
        # The coming month is meant unless a verb right beside it says otherwise: a reporter writes
        # "last September" for the one eleven months back ("a cutback in supplies in September").
        tense = "future"
    a = choose(around(ctx.anchor, lambda y: cal.month(y, m)), ctx.anchor, tense, "nearest")
    return Found("DATE", a.value, a)


def relative_month(g: Groups, ctx: Context) -> Found | None:
    """last May / next January / this March."""
    m = ctx.lexicon.months[normalise(g["month"])]
    rel = ctx.lexicon.raw["relative"][normalise(g["rel"])]
    if normalise(need(g, "month")) in ctx.lexicon.raw["ambiguous"]["months"] and not ctx.original(
        need(g, "month")
    ):
        return None  # "this may take longer": the modal
    if g.get("day"):
        return _relative_month_day(ctx, m, rel, need(g, "day"))
    if ctx.anchor is None:
        return Found("DATE", f"XXXX-{m:02d}")
    options = around(ctx.anchor, lambda y: cal.month(y, m))
    current = cal.month(ctx.anchor.year, ctx.anchor.month).start
    if rel < 0:
        a = last_before(options, current)
    elif rel > 0:
        a = first_after(options, current)
    else:
        a = cal.month(ctx.anchor.year, m)
    return Found("DATE", a.value, a) if a else None


def _relative_month_day(ctx: Context, m: int, rel: int, day_text: str) -> Found | None:
    """last Oct. 23 / next March 5: the nearest such day before (after) the publication date; a
    relative word names the day itself, not only its month."""
    dom = ctx.lexicon.ordinal(day_text)
    if dom is None or not 1 <= dom <= 31:
        return None
    if ctx.anchor is None:
        return Found("DATE", f"XXXX-{m:02d}-{dom:02d}")
    days = around(ctx.anchor, lambda y: _valid_day(y, m, dom))
    if rel < 0:
        past = [a for a in days if a.start < ctx.anchor]
        a = past[-1] if past else None
    elif rel > 0:
        ahead = [a for a in days if a.start > ctx.anchor]
        a = ahead[0] if ahead else None
    else:
        a = _valid_day(ctx.anchor.year, m, dom)
    return Found("DATE", a.value, a) if a else None


def _valid_day(y: int, m: int, dom: int) -> cal.Anchored | None:
    """The day y-m-dom, or None when the month has no such day."""
    try:
        return cal.day(dt.date(y, m, dom))
    except ValueError:
        return None


def named_day(g: Groups, ctx: Context) -> Found | None:
    """the Sept. 11 attacks / the attacks of September 11th / post-9/11: the event's own day."""
    lex = ctx.lexicon
    dom: int | None
    if g.get("a"):
        m, dom = int(need(g, "a")), int(need(g, "b"))
    else:
        m = lex.months[normalise(g.get("month") or g["month2"])]
        dom = lex.ordinal(g.get("day") or need(g, "day2"))
    year = lex.raw["named_days"].get(f"{m}/{dom}")
    if year is None or dom is None:
        return None
    d = dt.date(year, m, dom)
    if ctx.anchor is not None and ctx.anchor < d:
        return None  # written before the event: an ordinary day
    return Found("DATE", d.isoformat(), cal.day(d))


def numeric_month_year(g: Groups, ctx: Context) -> Found | None:
    """2015-3 / 12-2015 / Dec/2018: a month."""
    if g.get("month"):
        m, y = ctx.lexicon.months[normalise(need(g, "month"))], int(need(g, "year3"))
    elif g.get("m"):
        m, y = int(need(g, "m")), int(need(g, "year"))
    else:
        m, y = int(need(g, "m2")), int(need(g, "year2"))
    a = cal.month(y, m)
    return Found("DATE", a.value, a)


def year_first_date(g: Groups, ctx: Context) -> Found | None:
    """2015/08/12 / 2015.5.13 / 2019/aug/01 / 2016 10 16: year, month, day."""
    m = ctx.lexicon.months[normalise(need(g, "mname"))] if g.get("mname") else int(need(g, "month"))
    d = cal.safe_date(int(need(g, "year")), m, int(need(g, "day")))
    return Found("DATE", d.isoformat(), cal.day(d)) if d else None
