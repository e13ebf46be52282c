"""An event with its articles' details, for `GET /api/events/{id}` and for the page's blocks."""

from __future__ import annotations

from dataclasses import dataclass

from timeline.models import ConflictDetail, Event, EventDetail, SourceDetail, TimelineArticle
from timeline.render.dates import format_date
from timeline.render.query import safe_url


def _article(article: TimelineArticle | None) -> dict[str, object]:
    """What a source or conflict shows of its article (nothing when the timeline does not cite it)."""
    if article is None:
        return {}
    return {"title": article.title, "outlet": article.source, "url": safe_url(article.url)}


def detail(event: Event, articles: dict[str, TimelineArticle]) -> EventDetail:
    """The event with each source's and each conflict's article title, outlet, link and date."""
    sources = []
    for source in event.sources:
        article = articles.get(source.article_id)
        extra = {"published": article.published, "language": article.language} if article else {}
        sources.append(SourceDetail(**source.model_dump(), **_article(article), **extra))
    conflicts = [
        ConflictDetail(**conflict.model_dump(), **_article(articles.get(conflict.article_id)))
        for conflict in event.conflicts
    ]
    return EventDetail(
        **event.model_dump(exclude={"sources", "conflicts"}),
        date_text=format_date(event.start, event.end, event.granularity),
        sources=sources,
        conflicts=conflicts,
    )


@dataclass(frozen=True)
class ArticleSources:
    """One article that reports an event and the sentences of it the event cites."""

    article_id: str
    title: str
    outlet: str | None
    url: str | None
    published: str | None
    language: str | None
    sources: list[SourceDetail]

    @property
    def supporting_only(self) -> bool:
        return all(s.supporting for s in self.sources)


@dataclass(frozen=True)
class EventBlock:
    """What the page shows of one event."""

    event: EventDetail
    articles: list[ArticleSources]
    dated: int
    supporting: int
    conflict_dates: list[str]

    @property
    def outlets(self) -> list[str]:
        """Each article's outlet (else its title), once, in the order the list shows them."""
        return list(dict.fromkeys(entry.outlet or entry.title for entry in self.articles))


def block(event: Event, articles: dict[str, TimelineArticle]) -> EventBlock:
    """The event grouped by article for the page: one entry per article, dated ones first."""
    full = detail(event, articles)
    grouped: dict[str, list[SourceDetail]] = {}
    for source in full.sources:
        grouped.setdefault(source.article_id, []).append(source)
    entries = []
    for article_id, sources in grouped.items():
        first = sources[0]
        entries.append(
            ArticleSources(
                article_id=article_id,
                title=first.title or article_id,
                outlet=first.outlet,
                url=first.url,
                published=first.published.date().isoformat() if first.published else None,
                language=first.language,
                sources=sources,
            )
        )
    entries.sort(key=lambda entry: entry.supporting_only)
    dated = sum(1 for entry in entries if not entry.supporting_only)
    return EventBlock(
        event=full,
        articles=entries,
        dated=dated,
        supporting=len(entries) - dated,
        conflict_dates=[format_date(c.start, c.end, None) for c in full.conflicts],
    )
