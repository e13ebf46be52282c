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
from timeline.render.query import safe_url

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
    if event.doubtful:
        line.append("  [doubtful date]", style="bold yellow")
    return line


def _url(article_id: str, articles: dict[str, TimelineArticle]) -> str | None:
    article = articles.get(article_id)
    url = safe_url(article.url) if article is not None else None
    return safe_text(url) if url else None


def _details(event: Event, articles: dict[str, TimelineArticle], language: str = "en") -> list[Text]:
    lines = []
    if event.doubtful:
        lines.append(Text("    ? doubtful: " + safe_text(event.doubtful), style="yellow"))
    for source in event.sources:
        # an undated sentence that supports the event: "+" where dated sources have "-"
        line = Text("    + " if source.supporting else "    - ")
        line.append(safe_text(_label(source.article_id, articles)), style="green")
        url = _url(source.article_id, articles)
        if url:
            line.append(f" <{url}>", style="blue")
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

    `verbose` adds the event's id, each source's outlet, date, URL and sentence and every conflict;
    undated supporting sentences are marked "+ ... [supporting, undated]" and are not counted as the
    event's sources. `language` is the language dates are written in ("es": "miércoles 27 dic 2023").
    """
    console = console or Console(highlight=False)
    if not timeline.events:
        console.print(Text(f"no events in {len(timeline.articles)} articles"), soft_wrap=True)
        return
    articles = {article.id: article for article in timeline.articles}
    dates = [format_date(e.start, e.end, e.granularity, language) for e in timeline.events]
    width = min(max(len(d) for d in dates), 24)
    for event in timeline.events:
        line = _event_line(event, width, language)
        if verbose:
            line.append(f"  {event.id}", style="dim")
        console.print(line, soft_wrap=True, highlight=False)
        if verbose:
            for line in _details(event, articles, language):
                console.print(line, soft_wrap=True, highlight=False)


def print_event(
    event: Event, timeline: Timeline, *, console: Console | None = None, language: str = "en"
) -> None:
    """Print one event in full: date, title, summary and marks, then each article that reports it
    (title, outlet, date, URL) with its sentences, then the conflicting dates."""
    console = console or Console(highlight=False)
    articles = {article.id: article for article in timeline.articles}

    def out(text: Text) -> None:
        console.print(text, soft_wrap=True, highlight=False)

    out(_event_line(event, 0, language))
    out(Text(f"  {event.id}  value={event.value} granularity={event.granularity}", style="dim"))
    out(Text("  " + safe_text(event.summary)))
    if event.doubtful:
        out(Text(f"  date in doubt: {safe_text(event.doubtful)}", style="yellow"))
    for article_id in dict.fromkeys(source.article_id for source in event.sources):
        article = articles.get(article_id)
        out(Text(""))
        out(Text("  " + safe_text(article.title or article_id if article else article_id), style="bold"))
        label = Text("    " + safe_text(_label(article_id, articles)), style="green")
        url = _url(article_id, articles)
        if url:
            label.append(f" <{url}>", style="blue")
        out(label)
        for source in event.sources:
            if source.article_id != article_id:
                continue
            line = Text("    + [supporting, undated] " if source.supporting else "    - ")
            if source.expression and not source.supporting:
                line.append(f'["{safe_text(source.expression)}"] ', style="magenta")
            line.append(safe_text(source.sentence))
            if source.doubtful:
                line.append(f" [date in doubt: {safe_text(source.doubtful)}]", style="yellow")
            out(line)
    for line in _details(event.model_copy(update={"sources": []}), articles, language):
        out(line)
