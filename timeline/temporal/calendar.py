"""Calendar arithmetic for anchoring: unit intervals, shifts, holidays and their TIMEX3 values.

Language independent: every function takes numbers and dates, never words.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import warnings
from dataclasses import dataclass
from functools import cache
from typing import Any

from dateutil.easter import EASTER_ORTHODOX, EASTER_WESTERN, easter

SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


@dataclass(frozen=True)
class Anchored:
    """An inclusive date interval with its TIMEX3 value and granularity."""

    start: dt.date
    end: dt.date
    value: str
    granularity: str | None  # None: a length laid from a day ("within 10 days"), no calendar unit


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month."""
    return dt.date(year, month, _calendar.monthrange(year, month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """Shift by whole months, clamping the day to the target month's length."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    year = min(max(year, 1), 9999)
    return dt.date(year, month + 1, min(day.day, _calendar.monthrange(year, month + 1)[1]))


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    """A date, or None when the numbers name no day."""
    try:
        return dt.date(year, month, day)
    except (ValueError, OverflowError):
        return None


def day(d: dt.date) -> Anchored:
    """The day itself."""
    return Anchored(d, d, d.isoformat(), "day")


def week(d: dt.date) -> Anchored:
    """The ISO week (Monday to Sunday) containing d."""
    monday = d - dt.timedelta(days=d.weekday())
    iso = d.isocalendar()
    return Anchored(monday, monday + dt.timedelta(days=6), f"{iso[0]}-W{iso[1]:02d}", "week")


def weekend(d: dt.date) -> Anchored:
    """The Saturday and Sunday of d's ISO week."""
    saturday = d - dt.timedelta(days=d.weekday()) + dt.timedelta(days=5)
    iso = d.isocalendar()
    return Anchored(saturday, saturday + dt.timedelta(days=1), f"{iso[0]}-W{iso[1]:02d}-WE", "weekend")


def month(year: int, m: int) -> Anchored:
    """A calendar month."""
    return Anchored(dt.date(year, m, 1), month_end(year, m), f"{year:04d}-{m:02d}", "month")


def quarter(year: int, q: int) -> Anchored:
    """A calendar quarter (1-4)."""
    return Anchored(dt.date(year, 3 * q - 2, 1), month_end(year, 3 * q), f"{year:04d}-Q{q}", "quarter")


def half(year: int, h: int) -> Anchored:
    """A calendar half year (1-2)."""
    return Anchored(dt.date(year, 6 * h - 5, 1), month_end(year, 6 * h), f"{year:04d}-H{h}", "half")


def year(y: int) -> Anchored:
    """A calendar year."""
    return Anchored(dt.date(y, 1, 1), dt.date(y, 12, 31), f"{y:04d}", "year")


def fiscal_year(y: int) -> Anchored:
    """A US federal fiscal year: October of the year before to September."""
    return Anchored(dt.date(y - 1, 10, 1), dt.date(y, 9, 30), f"FY{y:04d}", "year")


def decade(first_year: int) -> Anchored:
    """The decade starting at first_year (a multiple of ten); TIMEX3 value drops the last digit."""
    return Anchored(
        dt.date(first_year, 1, 1), dt.date(first_year + 9, 12, 31), f"{first_year // 10:03d}", "decade"
    )


def century(first_year: int) -> Anchored:
    """The hundred years from first_year (a multiple of 100); value is its first two digits."""
    return Anchored(
        dt.date(max(first_year, 1), 1, 1),
        dt.date(first_year + 99, 12, 31),
        f"{first_year // 100:02d}",
        "century",
    )


def season(y: int, code: str) -> Anchored:
    """A meteorological season; winter starts in December of year y."""
    first = dt.date(y, SEASON_START[code], 1)
    last = add_months(first, 2)
    return Anchored(first, month_end(last.year, last.month), f"{y:04d}-{code}", "season")


def unit_containing(d: dt.date, granularity: str | None) -> Anchored:
    """The unit-sized interval of the given granularity that contains d (a year for any other)."""
    if granularity == "day":
        return day(d)
    if granularity == "week":
        return week(d)
    if granularity == "weekend":
        return weekend(d)
    if granularity == "month":
        return month(d.year, d.month)
    if granularity == "quarter":
        return quarter(d.year, (d.month - 1) // 3 + 1)
    if granularity == "half":
        return half(d.year, 1 if d.month <= 6 else 2)
    if granularity == "decade":
        return decade(d.year - d.year % 10)
    if granularity == "century":
        return century(d.year - d.year % 100)
    return year(d.year)


def shift(d: dt.date, granularity: str, n: float) -> dt.date:
    """Move d by n units of a granularity (fractions of a unit round to days)."""
    if granularity == "day":
        return d + dt.timedelta(days=round(n))
    if granularity in ("week", "weekend"):
        return d + dt.timedelta(days=round(7 * n))
    months = {"month": 1, "quarter": 3, "half": 6, "year": 12, "decade": 120, "century": 1200}.get(
        granularity
    )
    if months is None:
        return d
    whole = int(n)
    shifted = add_months(d, whole * months)
    extra = n - whole
    return shifted + dt.timedelta(days=round(extra * months * 30.44)) if extra else shifted


def nth_weekday(y: int, m: int, weekday: int, n: int) -> dt.date:
    """The n-th (or last, n=-1) ISO weekday (1=Monday) of a month."""
    if n > 0:
        first = dt.date(y, m, 1)
        return first + dt.timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (n - 1))
    last = month_end(y, m)
    return last - dt.timedelta(days=(last.isoweekday() - weekday) % 7)


def holiday_date(spec: dict[str, Any], y: int) -> dt.date | None:
    """The day a holiday falls on in year y (None: a calendar of the `holidays` package lacks it then)."""
    rule = spec["rule"]
    if rule == "fixed":
        base = dt.date(y, spec["month"], spec["day"])
    elif rule == "nth_weekday":
        base = nth_weekday(y, spec["month"], spec["weekday"], spec["n"])
    elif rule == "package":
        found = _package_holiday(spec["country"], y, spec["match"])
        if found is None:
            return None
        base = found
    else:
        base = easter(y, EASTER_ORTHODOX if spec.get("method") == "orthodox" else EASTER_WESTERN)
    override = spec.get("overrides", {}).get(str(y))
    if override:  # a year the rule does not hold ("2008-02-05": Super Tuesday moved to February)
        return dt.date.fromisoformat(override)
    day_ = base + dt.timedelta(days=spec.get("offset", 0))
    if spec.get("business_day"):
        # Filing deadlines: the first weekday on or after the date that is not the named holiday.
        avoid = spec.get("avoid")
        while day_.isoweekday() > 5 or (avoid and day_ == holiday_date(avoid, y)):
            day_ += dt.timedelta(days=1)
        return day_
    if spec.get("observed") and day_.isoweekday() > 5:
        # Observed on the nearest weekday: Saturday's on Friday, Sunday's on Monday.
        day_ += dt.timedelta(days=-1 if day_.isoweekday() == 6 else 1)
    return day_


def holiday_end(spec: dict[str, Any], start: dt.date) -> dt.date | None:
    """The last day of a holiday that lasts ("Ramadan" runs until the day before Eid al-Fitr); None when
    the holiday that ends it is not known for that year."""
    until = spec.get("until")
    if not until:
        return start
    last = holiday_date(until, start.year)
    if last is None:
        return None
    end = last + dt.timedelta(days=until.get("offset_end", 0))
    return end if end >= start else start


@cache
def _package_holidays(country: str, y: int) -> tuple[tuple[dt.date, str], ...]:
    """Every holiday the `holidays` package knows for a country and year, in all its categories
    (lunar and religious calendars we do not compute ourselves)."""
    import holidays

    calendar = holidays.country_holidays(country)
    categories = getattr(calendar, "supported_categories", ()) or None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # years outside a calendar's range simply have no holidays
        found = holidays.country_holidays(country, years=y, categories=categories)
    return tuple(sorted((day_, name.lower()) for day_, name in found.items()))


def _package_holiday(country: str, y: int, match: str) -> dt.date | None:
    """The first day whose holiday name contains `match` (names vary by year); None if none."""
    key = match.lower()
    days = _package_holidays(country, y)
    # Calendars join names that share a day ("ali's birthday; holi"): match a part exactly first.
    for test in (
        lambda n: key in (p.strip() for p in n.split(";")),
        lambda n: any(p.strip().startswith(key) for p in n.split(";")),
        lambda n: key in n,
    ):
        for day_, name in days:
            if test(name):
                return day_
    return None


def duration_value(n: float | None, letter: str) -> str:
    """A TIMEX3 duration such as P3Y, P2W, PT4H, P10Y for a decade, PXY when the number is vague;
    a fraction spills into the next smaller unit (P1Y6M, PT1M30S)."""
    # TimeML writes quarters in their own unit (P2Q, PXQ), as TimeBank does.
    scale = {"DE": ("Y", 10), "CE": ("Y", 100), "WE": ("D", 2)}
    unit, times = scale.get(letter, (letter, 1))
    time_units = {"H": "H", "MIN": "M", "S": "S"}
    smaller = {
        "Y": ("M", 12),
        "M": ("D", 30),
        "W": ("D", 7),
        "D": ("H", 24),
        "H": ("MIN", 60),
        "MIN": ("S", 60),
    }
    if n is None:
        return f"PTX{time_units[unit]}" if unit in time_units else f"PX{unit}"
    total = n * times
    if unit == "Q" and total != int(total):
        unit, total = "M", total * 3  # a fraction of a quarter is written in months
    whole = int(total)
    parts = [(whole, unit)] if whole else []
    rest = total - whole
    if rest and unit in smaller:
        small, factor = smaller[unit]
        parts.append((int(round(rest * factor)), small))
    if not parts:
        parts = [(0, unit)]
    date_part = "".join(f"{k}{u}" for k, u in parts if u not in time_units)
    time_part = "".join(f"{k}{time_units[u]}" for k, u in parts if u in time_units)
    return "P" + date_part + (f"T{time_part}" if time_part else "")
