"""What the atom, wrap and pair handlers share: reading a found expression (a bare weekday or month,
its days, its year), the calendar steps they take and the patterns that tell numbers apart."""

from __future__ import annotations

import datetime as dt
import re

from timeline.models import TimeExpression
from timeline.temporal import calendar as cal
from timeline.temporal.context import Found
from timeline.temporal.lexicon import Lexicon, normalise
from timeline.temporal.periods import holiday_in_year

_YEAR_IN_TEXT = re.compile(r"(?<!\d)(?:\d{4}|'\d\d)(?!\d)|\d[/.-]\d{1,2}[/.-]\d{2}\b")


_PERIODS = {"day", "week", "weekend", "month", "quarter", "half", "season", "year", "decade"}


_ORDER = ["day", "week", "weekend", "month", "quarter", "half", "season", "year", "decade", "century"]


def _date(a: cal.Anchored, type_: str = "DATE") -> Found:
    return Found(type_, a.value, a, granularity=a.granularity)


def _year(g: dict[str, str | None], anchor: dt.date | None) -> int | None:
    y = g.get("y")
    if not y:
        return anchor.year if anchor else None
    n = int(y)
    if len(y) == 2:
        pivot = (anchor.year if anchor else 2000) + 10
        n = 2000 + n if 2000 + n <= pivot else 1900 + n
    return n


def _month(g: dict[str, str | None], lex: Lexicon) -> int | None:
    if g.get("m"):
        return int(g["m"])  # type: ignore[arg-type]
    name = g.get("mon")
    return lex.months[normalise(name)] if name else None  # "on 12." names a day of no month


_ISO_DURATION = re.compile(
    r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$"
)


def _unit_at(d: dt.date, gran: str, n: int) -> cal.Anchored:
    return cal.unit_containing(cal.shift(cal.unit_containing(d, gran).start, gran, n), gran)


def _nth_weekday_from(d: dt.date, weekday: int, n: int) -> dt.date:
    """The n-th given weekday strictly after d (n > 0) or strictly before it (n < 0)."""
    step = 1 if n > 0 else -1
    first = d + dt.timedelta(days=step)
    while first.isoweekday() != weekday:
        first += dt.timedelta(days=step)
    return first + dt.timedelta(days=7 * (n - step))


def _bare_weekday(e: TimeExpression, lex: Lexicon) -> int | None:
    m = lex.bare_weekday.match(e.text.strip())
    return lex.weekdays[normalise(m.group("w"))] if m and e.granularity == "day" else None


def _bare_month(e: TimeExpression, lex: Lexicon) -> int | None:
    m = lex.bare_month.match(e.text.strip())
    return lex.months[normalise(m.group("w"))] if m and e.granularity == "month" else None


def _span(e: TimeExpression) -> tuple[dt.date, dt.date] | None:
    return (e.start, e.end) if e.start and e.end and e.type in ("DATE", "TIME") else None


_FRACTION = re.compile(r"^\d{1,2}/\d{1,2}$")


_DURATION = re.compile(r"^P(\d{1,3})([DWMY])$")


def _holiday_in(a: TimeExpression, year: int, anchor: dt.date | None, lex: Lexicon) -> Found | None:
    """A holiday or bare month moved to the given year ("Christmas" + "2019", "November" + "in a year")."""
    month = _bare_month(a, lex)
    if month is not None:
        return _date(cal.month(year, month))
    if a.granularity != "day" or _bare_weekday(a, lex) is not None or any(ch.isdigit() for ch in a.text):
        return None
    days = holiday_in_year(lex, a.text, year)
    return _date(days) if days and days.granularity == "day" else None


_HAS_MONTH_DAY = re.compile(r"\d{1,2}\s*[/.-]\s*\d{1,2}|[A-Za-z]{3}")


_CLOCK = re.compile(r"^((?:[01]\d|2[0-3])[0-5]\d)(\s*[-–]\s*(?:[01]\d|2[0-3])[0-5]\d)?$")


_YEARS_ON = re.compile(r"\byears?\b", re.IGNORECASE)


def _same_year(e: TimeExpression, year: int) -> tuple[dt.date, dt.date] | None:
    """A day or month with no year in its text, moved into the given year."""
    s = _span(e)
    if s is None or _YEAR_IN_TEXT.search(e.text) or e.granularity not in ("day", "month"):
        return s
    if e.granularity == "day":
        d = s[0].replace(year=year)
        return d, d
    m = cal.month(year, s[0].month)
    return m.start, m.end
