"""Dates written the way a reader says them, at the precision the sources support."""

from __future__ import annotations

import datetime as dt

_SEASONS = {12: "winter", 1: "winter", 2: "winter", 3: "spring", 4: "spring", 5: "spring",
            6: "summer", 7: "summer", 8: "summer", 9: "autumn", 10: "autumn", 11: "autumn"}  # fmt: skip
_DAYLIKE = {"day", "part_of_day", "hour", "minute", "second"}


def _day(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def _span(start: dt.date, end: dt.date) -> str:
    if start == end:
        return _day(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}\u2013{end.day} {end:%b %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%b} \u2013 {end.day} {end:%b %Y}"
    return f"{start.day} {start:%b %Y} \u2013 {end.day} {end:%b %Y}"


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def format_date(start: dt.date, end: dt.date, granularity: str | None) -> str:
    """Write an inclusive interval at its granularity: "Wed 27 Dec 2023", "week of 18 Dec 2023", "Q4 2023".

    An interval wider than one unit of its granularity (a "month" event spanning two months) is
    written as a range instead, so the text never claims more precision than the dates hold.
    """
    if granularity in _DAYLIKE:
        return _span(start, end)
    if granularity == "week" and (end - start).days <= 6:
        return f"week of {start.day} {start:%b %Y}"
    if granularity == "weekend" and (end - start).days <= 2:
        return f"weekend of {start.day} {start:%b %Y}"
    if granularity == "month":
        if (start.year, start.month) == (end.year, end.month):
            return f"{start:%b %Y}"
        if start.year == end.year:
            return f"{start:%b}\u2013{end:%b %Y}"
        return f"{start:%b %Y} \u2013 {end:%b %Y}"
    if granularity == "quarter" and start.year == end.year and (start.month - 1) // 3 == (end.month - 1) // 3:
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    if granularity == "half" and start.year == end.year and (start.month > 6) == (end.month > 6):
        return f"H{1 if start.month <= 6 else 2} {start.year}"
    if granularity == "season" and (end - start).days <= 92:
        return f"{_SEASONS[start.month]} {start.year}"
    if granularity == "year":
        if start.year == end.year:
            return str(start.year)
        if (start.month, start.day, end.month, end.day) == (10, 1, 9, 30) and end.year == start.year + 1:
            # the only year the tagger starts off January: a US federal fiscal year, named by its end
            return f"FY{end.year}"
        if (start.month, start.day) != (1, 1):
            return f"{start:%b %Y} \u2013 {end:%b %Y}"
        return f"{start.year}\u2013{end.year}"
    if granularity == "decade" and start.year // 10 == end.year // 10:
        return f"{start.year // 10 * 10}s"
    if granularity == "century" and (start.year - 1) // 100 == (end.year - 1) // 100:
        return f"{_ordinal((start.year - 1) // 100 + 1)} century"
    return _span(start, end)
