"""Markdown: a heading per event with its date, the summary, sources as links, marks for doubt.

Markdown renderers pass HTML through and read punctuation as markup, so text from feeds has its
markup characters backslash-escaped (CommonMark escapes any ASCII punctuation) and lines joined;
link targets are http(s) URLs in angle brackets.
"""

from __future__ import annotations

import re

from timeline.models import Event, Timeline, TimelineArticle
from timeline.render.dates import format_date
from timeline.render.query import count_of, safe_url, source_articles

_MARKUP = re.compile(r"([\\`*_\[\]<>#|~&])")
_BLOCK_START = re.compile(r"^(\d+)([.)])|^([-+=>])")


def md_text(text: str) -> str:
    """Inline Markdown showing `text` as written: one line, markup characters escaped."""
    line = _MARKUP.sub(r"\\\1", " ".join(text.split()))
    # a paragraph that starts "1." or "-" would be a list, "=" under a line a heading, ">" a quote
    return _BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", line)


def _link(text: str, url: str | None) -> str:
    target = safe_url(url)
    if not target:
        return md_text(text)
    return f"[{md_text(text)}](<{target.replace('<', '%3C').replace('>', '%3E')}>)"


def _source(article_id: str, event: Event, articles: dict[str, TimelineArticle]) -> list[str]:
    article = articles.get(article_id)
    if article is None:
        head = md_text(article_id)
    else:
        parts = [_link(article.title or article.id, article.url)]
        parts += [md_text(p) for p in (article.source,) if p]
        if article.published:
            parts.append(article.published.date().isoformat())
        head = ", ".join(parts)
    lines = [f"- {head}"]
    for source in event.sources:
        if source.article_id == article_id:
            mark = " (supporting, undated)" if source.supporting else ""
            doubt = f" (date in doubt: {md_text(source.doubtful)})" if source.doubtful else ""
            lines.append(f"  - \u201c{md_text(source.sentence)}\u201d{mark}{doubt}")
    return lines


def event_markdown(event: Event, articles: dict[str, TimelineArticle]) -> str:
    """One event: `## date: title`, its summary, then marks, conflicts and sources."""
    when = format_date(event.start, event.end, event.granularity)
    lines = [f"## {md_text(when)}: {md_text(event.title)}", "", md_text(event.summary), ""]
    if event.doubtful:
        lines += [f"**Date in doubt:** {md_text(event.doubtful)}", ""]
    for conflict in event.conflicts:
        other = format_date(conflict.start, conflict.end, None)
        lines.append(
            f"**Conflicting date:** \u201c{md_text(conflict.expression)}\u201d ({md_text(other)}): "
            f"{md_text(conflict.note)}"
        )
    if event.conflicts:
        lines.append("")
    cited = source_articles(event)
    lines.append(f"Sources ({len(cited)}):")
    lines.append("")
    for article_id in cited:
        lines.extend(_source(article_id, event, articles))
    return "\n".join(lines) + "\n"


def to_markdown(timeline: Timeline, *, title: str = "Timeline") -> str:
    """The timeline as one Markdown document."""
    articles = {a.id: a for a in timeline.articles}
    head = [
        f"# {md_text(title)}",
        "",
        f"_{count_of(len(timeline.events), 'event')} from {count_of(len(timeline.articles), 'article')}, "
        f"generated {timeline.generated_at:%Y-%m-%d %H:%M} UTC._",
        "",
    ]
    return "\n".join(head) + "\n" + "\n".join(event_markdown(e, articles) for e in timeline.events)
