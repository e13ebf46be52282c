"""The chronology on a terminal: one line an event, colour on a terminal, plain text on a pipe.

Article text is untrusted: control characters and escape sequences are removed and nothing in it
is read as rich markup (lines are built from `Text` pieces, never from markup strings).
"""

from __future__ import annotations

import re

from rich.console import Console
from rich.text import Text

from timeline.controls import UNSAFE_OUTPUT
from timeline.models import Event, Timeline, TimelineArticle
from timeline.render.dates import format_date

# CSI / OSC / other ESC sequences, then any C0 or C1 control character or DEL, and bidi overrides
# (they can make a line display as something other than what it says).
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: titles, hyperlinks
    r"|\x1b[@-_]"  # other two-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # C1 CSI
)


def safe_text(text: str) -> str:
    """One printable line from untrusted text: escape sequences and control characters removed."""
    text = _ESCAPES.sub("", text)
    text = UNSAFE_OUTPUT.sub(lambda m: " " if m.group(0) in "\t\n\r\x0b\x0c" else "", text)
    return " ".join(text.split())


def _count(event: Event) -> tuple[int, int]:
    """(articles that date the event, further articles that only support it with undated sentences)."""
    dated = {source.article_id for source in event.sources if not source.supporting}
    return len(dated), len({source.article_id for source in event.sources} - dated)


def _label(article_id: str, articles: dict[str, TimelineArticle]) -> str:
    article = articles.get(article_id)
    if article is None:
        return article_id
    parts = [article.source or article.id]
    if article.published:
        parts.append(article.published.date().isoformat())
    return ", ".join(parts)


def _event_line(event: Event, width: int, language: str = "en") -> Text:
    count, supporting = _count(event)
    line = Text()
    date = format_date(event.start, event.end, event.granularity, language)
    line.append(date.ljust(width), style="bold cyan")
    line.append("  ")
    line.append(safe_text(event.title))
    extra = f", +{supporting} supporting" if supporting else ""
    line.append(f"  ({count} source{'s' if count != 1 else ''}{extra})", style="dim")
    return line


def _details(event: Event, articles: dict[str, TimelineArticle], language: str = "en") -> list[Text]:
    lines = []
    for source in event.sources:
        # an undated sentence that supports the event: "+" where dated sources have "-"
        line = Text("    + " if source.supporting else "    - ")
        line.append(safe_text(_label(source.article_id, articles)), style="green")
        if source.supporting:
            line.append(" [supporting, undated]", style="dim")
        elif source.expression:
            line.append(f' ["{safe_text(source.expression)}"]', style="magenta")
        line.append(": " + safe_text(source.sentence))
        lines.append(line)
    for conflict in event.conflicts:
        line = Text("    ! conflict: ", style="bold yellow")
        line.append(safe_text(_label(conflict.article_id, articles)), style="green")
        line.append(f' says "{safe_text(conflict.expression)}" ')
        line.append(format_date(conflict.start, conflict.end, None, language))
        line.append(": " + safe_text(conflict.note))
        lines.append(line)
    return lines


def print_chronology(
    timeline: Timeline, *, verbose: bool = False, console: Console | None = None, language: str = "en"
) -> None:
    """Print the timeline one event a line (date at its granularity, title, number of sources).

    `verbose` adds each source's sentence and every conflict under its event; undated supporting
    sentences are marked "+ ... [supporting, undated]" and are not counted as the event's sources.
    `language` is the language dates are written in ("es": "miércoles 27 dic 2023").
    """
    console = console or Console(highlight=False)
    if not timeline.events:
        console.print(Text(f"no events in {len(timeline.articles)} articles"), soft_wrap=True)
        return
    articles = {article.id: article for article in timeline.articles}
    dates = [format_date(e.start, e.end, e.granularity, language) for e in timeline.events]
    width = min(max(len(d) for d in dates), 24)
    for event in timeline.events:
        console.print(_event_line(event, width, language), soft_wrap=True, highlight=False)
        if verbose:
            for line in _details(event, articles, language):
                console.print(line, soft_wrap=True, highlight=False)
