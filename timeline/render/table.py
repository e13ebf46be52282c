"""CSV (RFC 4180): a header and one row an event, CRLF line ends, fields quoted where needed.

Spreadsheets run a cell that starts with =, +, -, @ (or a tab or carriage return) as a formula, and
titles and outlets come from feeds: such a text cell is prefixed with an apostrophe, which is what
spreadsheets themselves use to mark a cell as text (OWASP's advice for CSV injection).
"""

from __future__ import annotations

import csv
import io

from timeline.models import Event, Timeline, TimelineArticle
from timeline.render.dates import format_date
from timeline.render.query import safe_url, source_articles

COLUMNS = (
    "id",
    "start",
    "end",
    "granularity",
    "value",
    "date",
    "title",
    "summary",
    "sources",
    "supporting",
    "date_support",
    "salience",
    "doubtful",
    "conflicts",
    "outlets",
    "urls",
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def text_cell(value: str | None) -> str:
    """A text cell a spreadsheet shows as text, never runs as a formula."""
    if not value:
        return ""
    return "'" + value if value.startswith(_FORMULA) else value


def _row(event: Event, articles: dict[str, TimelineArticle]) -> list[str]:
    cited = source_articles(event)
    dated = {s.article_id for s in event.sources if not s.supporting}
    found = [articles[a] for a in cited if a in articles]
    outlets = list(dict.fromkeys(a.source for a in found if a.source))
    urls = list(dict.fromkeys(u for a in found if (u := safe_url(a.url))))
    return [
        event.id,
        event.start.isoformat(),
        event.end.isoformat(),
        event.granularity,
        event.value,
        format_date(event.start, event.end, event.granularity),
        text_cell(event.title),
        text_cell(event.summary),
        str(len(cited)),
        str(len(set(cited) - dated)),
        str(event.date_support),
        f"{event.salience:g}",
        text_cell(event.doubtful),
        str(len(event.conflicts)),
        text_cell(" | ".join(outlets)),
        " ".join(urls),
    ]


def to_csv(timeline: Timeline) -> str:
    """The timeline's events as CSV text: `sources` counts distinct articles, `supporting` those of them
    that only support the event with undated sentences; `urls` is space-separated."""
    articles = {a.id: a for a in timeline.articles}
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for event in timeline.events:
        writer.writerow(_row(event, articles))
    return out.getvalue()
