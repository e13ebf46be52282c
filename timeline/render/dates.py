"""Dates written the way a reader says them, at the precision the sources support, in the reader's
language: the words and patterns of each language are data (`data/dates.toml`), the rules one."""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import cache
from importlib.resources import files
from typing import Any

_SEASONS = {12: "winter", 1: "winter", 2: "winter", 3: "spring", 4: "spring", 5: "spring",
            6: "summer", 7: "summer", 8: "summer", 9: "autumn", 10: "autumn", 11: "autumn"}  # fmt: skip
_DAYLIKE = {"day", "part_of_day", "hour", "minute", "second"}
_DASH = "\u2013"
_ROMAN = ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


@cache
def _tables() -> dict[str, Any]:
    with files("timeline.render").joinpath("data/dates.toml").open("rb") as handle:
        return tomllib.load(handle)


def date_languages() -> list[str]:
    """The languages dates can be written in (`data/dates.toml`), English first."""
    return sorted(_tables(), key=lambda code: (code != "en", code))


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _roman(number: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while number >= value:
            out, number = out + letters, number - value
    return out


class _Words:
    """One language's date words and patterns."""

    def __init__(self, table: dict[str, Any]) -> None:
        self.t = table

    def mon(self, day: dt.date) -> str:
        return str(self.t["month_abbreviations"][day.month - 1])

    def say(self, key: str, day: dt.date, **extra: object) -> str:
        return str(self.t[key]).format(d=day.day, mon=self.mon(day), y=day.year, **extra)

    def day(self, day: dt.date) -> str:
        return self.say("day", day, wd=self.t["weekdays"][day.weekday()])

    def span(self, start: dt.date, end: dt.date) -> str:
        if start == end:
            return self.day(start)
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day}{_DASH}{end.day} {self.mon(end)} {end.year}"
        if start.year == end.year:
            return f"{start.day} {self.mon(start)} {_DASH} {end.day} {self.mon(end)} {end.year}"
        return f"{start.day} {self.mon(start)} {start.year} {_DASH} {end.day} {self.mon(end)} {end.year}"

    def months(self, start: dt.date, end: dt.date) -> str:
        if start.year == end.year:
            return f"{self.mon(start)}{_DASH}{self.mon(end)} {end.year}"
        return f"{self.mon(start)} {start.year} {_DASH} {self.mon(end)} {end.year}"


def format_date(start: dt.date, end: dt.date, granularity: str | None, language: str = "en") -> str:
    """Write an inclusive interval at its granularity: "Wed 27 Dec 2023", "week of 18 Dec 2023", "Q4 2023";
    in Spanish ("es") "miércoles 27 dic 2023", "semana del 18 dic 2023", "T4 2023".

    An interval wider than one unit of its granularity (a "month" event spanning two months) is
    written as a range instead, so the text never claims more precision than the dates hold. A
    language without a table in `data/dates.toml` is written in English.
    """
    tables = _tables()
    w = _Words(tables.get(language.replace("_", "-").split("-")[0].lower()) or tables["en"])
    if granularity in _DAYLIKE:
        return w.span(start, end)
    if granularity == "week" and (end - start).days <= 6:
        return w.say("week", start)
    if granularity == "weekend" and (end - start).days <= 2:
        return w.say("weekend", start)
    if granularity == "month":
        same_month = (start.year, start.month) == (end.year, end.month)
        return w.say("month", start) if same_month else w.months(start, end)
    if granularity == "quarter" and start.year == end.year and (start.month - 1) // 3 == (end.month - 1) // 3:
        return w.say("quarter", start, n=(start.month - 1) // 3 + 1)
    if granularity == "half" and start.year == end.year and (start.month > 6) == (end.month > 6):
        return w.say("half", start, n=1 if start.month <= 6 else 2)
    if granularity == "season" and (end - start).days <= 92:
        return w.say("season", start, season=w.t["seasons"][_SEASONS[start.month]])
    if granularity == "year":
        if start.year == end.year:
            return str(start.year)
        if (start.month, start.day, end.month, end.day) == (10, 1, 9, 30) and end.year == start.year + 1:
            # the only year the tagger starts off January: a US federal fiscal year, named by its end
            return w.say("fiscal_year", end)
        if (start.month, start.day) != (1, 1):
            return f"{w.mon(start)} {start.year} {_DASH} {w.mon(end)} {end.year}"
        return f"{start.year}{_DASH}{end.year}"
    if granularity == "decade" and start.year // 10 == end.year // 10:
        return w.say("decade", start, decade=start.year // 10 * 10)
    if granularity == "century" and (start.year - 1) // 100 == (end.year - 1) // 100:
        number = (start.year - 1) // 100 + 1
        return w.say("century", start, ordinal=_ordinal(number), roman=_roman(number))
    return w.span(start, end)
