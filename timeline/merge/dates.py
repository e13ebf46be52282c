"""Interval arithmetic for events: agreement (intersection), conflicts and the TIMEX3 value of a span."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from timeline.models import Mention

Interval = tuple[dt.date, dt.date]


def overlaps(a: Interval, b: Interval) -> bool:
    """Whether two inclusive intervals share at least one day."""
    return a[0] <= b[1] and b[0] <= a[1]


def intersect(a: Interval, b: Interval) -> Interval | None:
    """The days two inclusive intervals share, or None."""
    start, end = max(a[0], b[0]), min(a[1], b[1])
    return (start, end) if start <= end else None


def span_days(a: Interval) -> int:
    """Number of days an inclusive interval covers."""
    return (a[1] - a[0]).days + 1


def describe(interval: Interval, members: list[Mention]) -> tuple[str, str]:
    """(granularity, TIMEX3 value) of an interval: a calendar unit, else its tightest source's."""
    start, end = interval
    if start == end:
        return "day", start.isoformat()
    iso = start.isocalendar()
    if start.weekday() == 0 and (end - start).days == 6:
        return "week", f"{iso.year}-W{iso.week:02d}"
    if start.day == 1 and end.month == start.month and (end + dt.timedelta(days=1)).day == 1:
        return "month", f"{start.year}-{start.month:02d}"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return "year", str(start.year)
    # an intersection that is no calendar unit: the tightest source that contains it speaks for it
    containing = [m for m in members if m.start <= start and end <= m.end] or list(members)
    best = min(containing, key=lambda m: span_days((m.start, m.end)))
    return best.granularity, best.value


def consensus(mentions: Sequence[Mention], prefer: Interval | None = None) -> tuple[Interval, int]:
    """The interval most of the mentions' independent sources support, and how many articles support it.

    An article supports an interval when one of its mentions' intervals holds it. Candidates are the
    mentions' own intervals; the one with the most supporting articles wins; among those the most
    specific (the shortest), then the one more articles name exactly (three "July 15" against one "July
    12" when "last week" and "mid-July" hold both), then `prefer` (what the clustering agreed on), then
    the earliest. A minority that dates the happening elsewhere (one "nearly six weeks ago" against 67
    "20 April") neither wins nor narrows the date.
    """
    by_article: dict[str, list[Interval]] = {}
    for m in mentions:
        by_article.setdefault(m.article_id, []).append((m.start, m.end))

    def support(candidate: Interval) -> int:
        return sum(
            any(a[0] <= candidate[0] and candidate[1] <= a[1] for a in spans) for spans in by_article.values()
        )

    def named(candidate: Interval) -> int:
        return sum(candidate in spans for spans in by_article.values())

    candidates = sorted({(m.start, m.end) for m in mentions})
    best = max(
        candidates, key=lambda c: (support(c), -span_days(c), named(c), c == prefer, -c[0].toordinal())
    )
    return best, support(best)
