"""Small builders for store tests: articles and mentions as the pipeline would hand them over."""

from __future__ import annotations

import datetime as dt

from timeline.models import Article, Mention, TimeExpression


def make_article(
    text: str, *, title: str | None = "Title", published: str | None = "2023-12-27T10:00:00Z"
) -> Article:
    """An article with placeholder id (the store assigns the real one)."""
    return Article(id="pending", title=title, text=text, published=published, url="http://example.org/a")


def make_mention(article_id: str, day: str, clause: str = "talks resumed") -> Mention:
    """A one-day mention of `day` (ISO date) in `article_id`."""
    date = dt.date.fromisoformat(day)
    expression = TimeExpression(
        text=day,
        start_char=0,
        end_char=len(day),
        type="DATE",
        value=day,
        start=date,
        end=date,
        granularity="day",
    )
    return Mention(
        article_id=article_id,
        sentence=f"On {day} {clause}.",
        sentence_start=0,
        clause=clause,
        expression=expression,
        start=date,
        end=date,
        granularity="day",
        value=day,
    )
