"""iCalendar (RFC 5545): one all-day VEVENT per event over its inclusive interval.

DTEND is exclusive for all-day events, so it is the day after the event's last day. The UID is the
event id (stable across rebuilds of the same happening), DESCRIPTION holds the summary and the
sources, URL the first source's link. Escaping and line folding are icalendar's.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar
from icalendar import Event as VEvent

from timeline.models import Event, Timeline, TimelineArticle
from timeline.render.dates import format_date
from timeline.render.query import safe_url, source_articles

UID_DOMAIN = "timeline.invalid"


def _describe(event: Event, articles: dict[str, TimelineArticle]) -> str:
    lines = [event.summary, "", f"Date: {format_date(event.start, event.end, event.granularity)}"]
    if event.doubtful:
        lines.append(f"Date in doubt: {event.doubtful}")
    for conflict in event.conflicts:
        when = format_date(conflict.start, conflict.end, None)
        lines.append(f'Conflicting date: "{conflict.expression}" ({when}): {conflict.note}')
    lines += ["", "Sources:"]
    for article_id in source_articles(event):
        article = articles.get(article_id)
        if article is None:
            lines.append(f"- {article_id}")
            continue
        parts = [article.title or article.id] + [p for p in (article.source,) if p]
        if article.published:
            parts.append(article.published.date().isoformat())
        url = safe_url(article.url)
        lines.append("- " + ", ".join(parts) + (f" <{url}>" if url else ""))
    return "\n".join(lines)


def to_ical(timeline: Timeline, *, title: str = "Timeline") -> bytes:
    """The timeline as an iCalendar file (UTF-8, CRLF line ends)."""
    articles = {a.id: a for a in timeline.articles}
    calendar = Calendar()
    calendar.add("prodid", "-//timeline//timeline export//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", title)
    for event in timeline.events:
        entry = VEvent()
        entry.add("uid", f"{event.id}@{UID_DOMAIN}")
        entry.add("dtstamp", timeline.generated_at)
        entry.add("dtstart", event.start)
        entry.add("dtend", event.end + dt.timedelta(days=1))
        entry.add("summary", event.title)
        entry.add("description", _describe(event, articles))
        url = next(
            (u for a in source_articles(event) if a in articles and (u := safe_url(articles[a].url))), None
        )
        if url:
            entry.add("url", url)
        calendar.add_component(entry)
    return calendar.to_ical()
