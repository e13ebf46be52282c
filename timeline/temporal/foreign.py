"""Temporal tagging of non-English text through dateparser, mapped to intervals and TIMEX3 values.

dateparser finds date strings in many languages but returns one instant per hit, misses relative
phrases inside running text ("la semana pasada llegaron") and reads "11% de" as a date. This module
keeps what it is good at (locale data, absolute dates) and adds what it lacks: its own locale phrases
are matched directly, weekdays are resolved against the anchor, every hit becomes an inclusive interval
at the granularity the words state, and offsets are located exactly in the original text.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import logging
import unicodedata
from typing import Any

import regex

from timeline.models import Granularity, TimeExpression, TimexType
from timeline.temporal.foreign_locale import Language, is_future, load_language

log = logging.getLogger(__name__)

# dateparser's search slows down sharply on very long runs of text; chunks keep it linear.
_CHUNK = 4000
# Two distinct reference days: a span parsed to different dates against them is relative.
_PROBE_BASES = (dt.datetime(2001, 3, 14, 23, 59), dt.datetime(2010, 8, 3, 23, 59))
_EDGE_PUNCT = " \t\n\r.,;:!?¡¿\"'«»()[]{}-–—/"
_DATE_PUNCT = " .,/-:'’()ºª°\u00a0\u2009\u202f–"
_DIGIT = regex.compile(r"[0-9]")
_YEAR_IN = regex.compile(r"(?<!\d)\d{4}(?!\d)")
_NUMERIC_OR_CLOCK = regex.compile(r"^[\d\s./-]+$|\d{1,2}\s?[:h]\s?\d\d(?!\d)")
_NUMBERISH = regex.compile(r"[\d\s.,]+")
_YEAR = regex.compile(r"(1[0-9]|20|21)\d\d")


@functools.lru_cache(maxsize=256)
def _parser(code: str, base: dt.datetime, prefer: str = "past") -> Any:
    """A dateparser DateDataParser for one language and reference instant (building one is costly)."""
    from dateparser.date import DateDataParser

    settings = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": prefer,  # news reports mostly what has happened: past unless the verb says
        "RETURN_TIME_AS_PERIOD": True,
        "STRICT_PARSING": False,
    }
    return DateDataParser(languages=[code], settings=settings)


def _parse(code: str, text: str, base: dt.datetime, prefer: str = "past") -> tuple[dt.datetime, str] | None:
    """Parse one span to (instant, period) against `base`, or None when dateparser cannot."""
    try:
        data = _parser(code, base, prefer).get_date_data(text)
    except Exception:  # noqa: BLE001 - dateparser bugs must not take the tagger down with them
        log.debug("event=dateparser_failed span=%r", text)
        return None
    if data.date_obj is None or not 1000 <= data.date_obj.year <= 2199:
        return None  # outside any news calendar: a misread ("2022 à 14h30" read as year 1)
    return data.date_obj.replace(tzinfo=None), data.period or "day"


def _interval(
    moment: dt.datetime, period: str, span: str
) -> tuple[TimexType, str, dt.date, dt.date, Granularity]:
    """Turn dateparser's instant and period into a TIMEX3 type, value and inclusive interval."""
    day = moment.date()
    if period == "year":
        return "DATE", f"{day.year:04d}", dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), "year"
    if period == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        first = dt.date(day.year, day.month, 1)
        return "DATE", f"{day.year:04d}-{day.month:02d}", first, dt.date(day.year, day.month, last), "month"
    if period == "week":
        year, week, weekday = day.isocalendar()
        monday = day - dt.timedelta(days=weekday - 1)
        return "DATE", f"{year:04d}-W{week:02d}", monday, monday + dt.timedelta(days=6), "week"
    if period == "time":
        grain: Granularity = "minute" if moment.minute or ":" in span or "h" in span.lower() else "hour"
        return "TIME", f"{day.isoformat()}T{moment.hour:02d}:{moment.minute:02d}", day, day, grain
    return "DATE", day.isoformat(), day, day, "day"


def _base(anchor: dt.date) -> dt.datetime:
    """The reference instant for an anchor day: its last minute, so a bare clock time means that day."""
    return dt.datetime(anchor.year, anchor.month, anchor.day, 23, 59)


def _reading(
    text: str, start: int, end: int, lang: Language, anchor: dt.date
) -> tuple[dt.datetime, str] | None:
    """dateparser's reading of a span; a day or month without its year follows the sentence's tense."""
    span = lang.digits(text[start:end])
    prefer = "future" if is_future(text, start, end, lang) else "past"
    parsed = _parse(lang.code, span, _base(anchor), prefer)
    if parsed is None or _YEAR_IN.search(span) or parsed[1] != "day":
        return parsed
    # A day within a week of publication is that one, whatever the verb: "will meet on 27 December"
    # written on the 28th is a slip of tense, not a meeting a year away.
    other = _parse(lang.code, span, _base(anchor), "past" if prefer == "future" else "future")
    if other and abs((other[0].date() - anchor).days) <= 7 < abs((parsed[0].date() - anchor).days):
        return other
    return parsed


def _unanchored_value(granularity: Granularity) -> str:
    """The TIMEX3 value of a relative expression when there is no anchor to resolve it against."""
    return {"year": "XXXX", "month": "XXXX-XX", "week": "XXXX-WXX"}.get(granularity, "XXXX-XX-XX")


def _expression(
    text: str, start: int, end: int, lang: Language, anchor: dt.date | None
) -> TimeExpression | None:
    """Interpret text[start:end] with dateparser, anchored to `anchor`; None when it is no date."""
    span = text[start:end]
    if anchor is not None:
        parsed = _reading(text, start, end, lang, anchor)
        if parsed is None:
            return None
        kind, value, first, last, grain = _interval(*parsed, span)
        if parsed[1] == "time" and " ".join(span.lower().split()) in lang.present:
            kind, value, grain = "DATE", "PRESENT_REF", "present"
    else:
        probes = [_parse(lang.code, lang.digits(span), base) for base in _PROBE_BASES]
        if probes[0] is None or probes[1] is None:
            return None
        kind, value, first, last, grain = _interval(*probes[0], span)
        if probes[0][0] != probes[1][0]:
            value, first, last = _unanchored_value(grain), None, None
            if (probes[0][0].month, probes[0][0].day) == (
                probes[1][0].month,
                probes[1][0].day,
            ) and grain == "day":
                value = probes[0][0].strftime("XXXX-%m-%d")  # only the year was missing
    return TimeExpression(
        text=span,
        start_char=start,
        end_char=end,
        type=kind,
        value=value,
        start=first,
        end=last,
        granularity=grain,
    )


def _weekday(match: Any, lang: Language, anchor: dt.date | None, future: bool) -> TimeExpression | None:
    """Resolve a weekday by its modifier, else by the sentence's tense (news is past unless it says)."""
    index = lang.weekday_index[match.group("day").lower()]
    modifiers = {(match.group(g) or "").lower() for g in ("pre", "post")} - {""}
    span = match.group(0)
    if anchor is None:
        return TimeExpression(
            text=span,
            start_char=match.start(),
            end_char=match.end(),
            type="DATE",
            value=f"XXXX-WXX-{index + 1}",
            granularity="day",
        )
    back = (anchor.weekday() - index) % 7
    if modifiers & lang.next_words:
        day = anchor + dt.timedelta(days=(index - anchor.weekday()) % 7 or 7)
    elif modifiers & lang.last_words:
        day = anchor - dt.timedelta(days=back or 7)
    elif future:
        day = anchor + dt.timedelta(days=(index - anchor.weekday()) % 7)
    else:
        day = anchor - dt.timedelta(days=back)  # the publication weekday itself is that day
    return TimeExpression(
        text=span,
        start_char=match.start(),
        end_char=match.end(),
        type="DATE",
        value=day.isoformat(),
        start=day,
        end=day,
        granularity="day",
    )


def _trim(text: str, start: int, end: int, lang: Language) -> tuple[int, int]:
    """Shrink [start, end) past edge punctuation and edge prepositions/articles ("en marzo" -> "marzo")."""
    while True:
        while start < end and text[start] in _EDGE_PUNCT:
            start += 1
        while end > start and text[end - 1] in _EDGE_PUNCT and text[end - 1] != ")":
            end -= 1
        head = regex.match(r"\w+", text[start:end])
        if head and head.end() < end - start and head.group(0).lower() in lang.edge_words:
            start += head.end()
            continue
        tail = regex.search(r"(?<!\w)\w+$", text[start:end])
        if tail and tail.start() > 0 and tail.group(0).lower() in lang.edge_words:
            end = start + tail.start()
            continue
        return start, end


def _false_positive(text: str, start: int, end: int, lang: Language) -> bool:
    """Known dateparser misreadings: percentages, bare counts, and numbers that are not years."""
    span = text[start:end]
    after = text[end : end + 2].lstrip()
    if "%" in span or after.startswith("%"):
        return True
    if any(_junk(ch) for ch in span):
        return True  # symbols, controls or odd digits ("¾", "§"): binary junk, not a written date
    if not lang.month.search(span) and (not _DIGIT.search(span) or not _NUMERIC_OR_CLOCK.search(span)):
        # Without a month name an absolute date is all figures ("27/12/2023") or a clock time; the
        # rest is a number word ("un") or letters and digits mixed by chance ("3Y6").
        return True
    if not _NUMBERISH.fullmatch(span):
        return False
    if not _YEAR.fullmatch(span.strip()):
        return True  # "7.000", "32", "100000": quantities, not dates
    before = regex.search(r"(\w+)\W*$", text[max(0, start - 40) : start])
    # A bare year is trusted after a preposition ("en 2023") or opening a sentence, not after a noun.
    return not (
        before is None or before.group(1).lower() in lang.prepositions or _sentence_start(text, start)
    )


def _junk(ch: str) -> bool:
    """A character no written date contains: controls, symbols other than separators, non-ASCII digits."""
    if ch.isascii():
        return not (ch.isalnum() or ch in _DATE_PUNCT)
    category = unicodedata.category(ch)
    return category[0] in "CNS" or (category[0] == "P" and ch not in _DATE_PUNCT)


def _drop_count_tail(text: str, start: int, end: int, lang: Language) -> tuple[int, int]:
    """Cut a number that follows a comma and is no year off a span ("mayo, 32 personas" -> "mayo")."""
    comma = text.rfind(",", start, end)
    if comma < 0:
        return start, end
    tail = text[comma + 1 : end].strip()
    if _NUMBERISH.fullmatch(tail) and not _YEAR.fullmatch(tail):
        return _trim(text, start, comma, lang)
    return start, end


def _sentence_start(text: str, start: int) -> bool:
    """True when only whitespace and an opening bracket separate `start` from a sentence end."""
    prefix = text[max(0, start - 40) : start].rstrip(" \t([\"'«")
    return not prefix or prefix[-1] in ".!?\n"


def _chunks(text: str) -> list[tuple[int, int]]:
    """Cut text at line breaks, then at spaces, into pieces dateparser can search quickly."""
    pieces: list[tuple[int, int]] = []
    for line in regex.finditer(r"[^\n]+", text):
        lo, hi = line.span()
        while hi - lo > _CHUNK:
            cut = text.rfind(" ", lo, lo + _CHUNK)
            cut = cut if cut > lo else lo + _CHUNK
            pieces.append((lo, cut))
            lo = cut
        pieces.append((lo, hi))
    return pieces


def _locate(text: str, found: str, cursor: int, limit: int) -> tuple[int, int] | None:
    """Find dateparser's substring at or after `cursor` (exactly, else whitespace- and case-blind)."""
    at = text.find(found, cursor, limit)
    if at >= 0:
        return at, at + len(found)
    words = found.split()
    if not words:
        return None
    pattern = r"\s+".join(regex.escape(w) for w in words)
    match = regex.compile(pattern, regex.IGNORECASE).search(text, cursor, limit)
    return match.span() if match else None


def _search_spans(text: str, lang: Language, base: dt.datetime) -> list[tuple[int, int]]:
    """Spans of the substrings dateparser's search_dates reports, located left to right."""
    from dateparser.search import search_dates

    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": True}
    spans: list[tuple[int, int]] = []
    for lo, hi in _chunks(text):
        if not _DIGIT.search(text, lo, hi) and not lang.month.search(text, lo, hi):
            continue  # nothing dateparser could read as an absolute date: skip its costly search
        try:
            hits = search_dates(text[lo:hi], languages=[lang.code], settings=settings) or []
        except Exception:  # noqa: BLE001 - a dateparser crash on odd text costs only this chunk
            log.debug("event=search_dates_failed start=%d end=%d", lo, hi)
            continue
        cursor = lo
        for found, _moment in hits:
            located = _locate(text, found, cursor, hi)
            if located is None:
                log.debug("event=unlocated_substring found=%r", found)
                continue
            spans.append(located)
            cursor = located[1]
    return spans


def _subtract(span: tuple[int, int], taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of `span` not covered by any of `taken`."""
    parts = [span]
    for lo, hi in taken:
        parts = [
            piece
            for a, b in parts
            for piece in ((a, min(b, lo)), (max(a, hi), b))
            if piece[0] < piece[1] and not (lo <= piece[0] and piece[1] <= hi)
        ]
    return parts


def tag_foreign(text: str, anchor: dt.date | None, language: str) -> list[TimeExpression]:
    """Find and anchor the temporal expressions of non-English `text` through dateparser's locales."""
    if not text or not text.strip():
        return []
    # dateparser's language codes are bare ("es"); a region ("es-MX", "pt_BR") changes no date words here.
    lang = load_language(language.strip().replace("_", "-").split("-")[0].lower())
    found: list[TimeExpression] = []
    taken: list[tuple[int, int]] = []
    for match in lang.relative.finditer(text):
        words_before = regex.findall(r"\w+", text[max(0, match.start() - 30) : match.start()])
        guard = lang.not_after.get(match.group(0).lower(), frozenset())
        if words_before and words_before[-1].lower() in guard:
            taken.append(match.span())  # a different word ("esta mañana"): keep dateparser off it too
            continue
        expression = _expression(text, match.start(), match.end(), lang, anchor)
        if expression:
            found.append(expression)
            taken.append(match.span())
    for match in lang.weekday.finditer(text):
        if any(lo < match.end() and match.start() < hi for lo, hi in taken):
            continue
        expression = _weekday(match, lang, anchor, is_future(text, match.start(), match.end(), lang))
        if expression:
            found.append(expression)
            taken.append(match.span())
    base = _base(anchor) if anchor else _PROBE_BASES[0]
    for span in _search_spans(text, lang, base):
        for lo, hi in _subtract(span, taken):
            lo, hi = _trim(text, lo, hi, lang)
            lo, hi = _drop_count_tail(text, lo, hi, lang)
            if lo >= hi or _false_positive(text, lo, hi, lang):
                continue
            expression = _expression(text, lo, hi, lang, anchor)
            if expression:
                found.append(expression)
                taken.append((lo, hi))
    found.sort(key=lambda e: (e.start_char, -e.end_char))
    kept: list[TimeExpression] = []
    for expression in found:
        if not kept or expression.start_char >= kept[-1].end_char:
            kept.append(expression)
    return kept
