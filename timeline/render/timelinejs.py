"""TimelineJS JSON (timeline.knightlab.com/docs/json-format.html): a title slide and one slide an event.

Dates carry only the parts the event's precision supports (a month event has no day); the slide's
`display_date` is our own wording ("week of 18 Dec 2023"). TimelineJS shows `headline` and `text` as
HTML, so every string from a feed is escaped here, links are http(s) only, and `autolink` is off.
"""

from __future__ import annotations

import calendar
import datetime as dt
from html import escape
from typing import Any

from timeline.models import Event, Timeline, TimelineArticle
from timeline.render.dates import format_date
from timeline.render.query import count_of, safe_url, source_articles

_DAY_PARTS = {"day", "part_of_day", "hour", "minute", "second", "week", "weekend"}
_MONTH_PARTS = {"month", "quarter", "half", "season"}
_YEAR_PARTS = {"year", "decade", "century"}


def _month_aligned(start: dt.date, end: dt.date) -> bool:
    return start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]


def _precision(event: Event) -> str:
    """The finest date part TimelineJS should be given: "day", "month" or "year"."""
    start, end = event.start, event.end
    if event.granularity in _YEAR_PARTS and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return "year"
    if event.granularity in _YEAR_PARTS | _MONTH_PARTS and _month_aligned(start, end):
        return "month"
    return "day"


def date_parts(day: dt.date, precision: str) -> dict[str, int]:
    """A TimelineJS date object for `day` down to `precision` ("year", "month" or "day")."""
    parts = {"year": day.year}
    if precision in ("month", "day"):
        parts["month"] = day.month
    if precision == "day":
        parts["day"] = day.day
    return parts


def _source_item(article_id: str, articles: dict[str, TimelineArticle]) -> str:
    article = articles.get(article_id)
    if article is None:
        return f"<li>{escape(article_id)}</li>"
    name = escape(article.title or article.id)
    url = safe_url(article.url)
    link = f'<a href="{escape(url)}" rel="noopener noreferrer">{name}</a>' if url else name
    details = [escape(p) for p in (article.source,) if p]
    if article.published:
        details.append(article.published.date().isoformat())
    return f"<li>{link}{', ' + ', '.join(details) if details else ''}</li>"


def slide(event: Event, articles: dict[str, TimelineArticle]) -> dict[str, Any]:
    """One event as a TimelineJS slide."""
    precision = _precision(event)
    text = [f"<p>{escape(event.summary)}</p>"]
    if event.doubtful:
        text.append(f"<p><strong>Date in doubt:</strong> {escape(event.doubtful)}</p>")
    for conflict in event.conflicts:
        text.append(
            f"<p><strong>Conflicting date:</strong> {escape(conflict.expression)} "
            f"({escape(format_date(conflict.start, conflict.end, None))}): {escape(conflict.note)}</p>"
        )
    items = "".join(_source_item(a, articles) for a in source_articles(event))
    text.append(f"<p>Sources:</p><ul>{items}</ul>")
    result: dict[str, Any] = {
        "unique_id": event.id,
        "start_date": date_parts(event.start, precision),
        "display_date": format_date(event.start, event.end, event.granularity),
        "text": {"headline": escape(event.title), "text": "".join(text)},
        "autolink": False,
    }
    end = date_parts(event.end, precision)
    if end != result["start_date"]:
        result["end_date"] = end
    return result


def to_timelinejs(timeline: Timeline, *, title: str = "Timeline") -> dict[str, Any]:
    """The timeline as a TimelineJS document: `title` slide, `events` in order, the human scale."""
    articles = {a.id: a for a in timeline.articles}
    summary = (
        f"{count_of(len(timeline.events), 'event')} from {count_of(len(timeline.articles), 'article')}, "
        f"generated {timeline.generated_at:%Y-%m-%d %H:%M} UTC"
    )
    return {
        "title": {"text": {"headline": escape(title), "text": f"<p>{escape(summary)}</p>"}},
        "events": [slide(event, articles) for event in timeline.events],
        "scale": "human",
    }
