"""Hand-made mentions: merging is tested on its own input type, without the tagger in the loop."""

from __future__ import annotations

import datetime as dt

import pytest

from timeline.models import Article, Mention, TimeExpression


def make_mention(
    article_id: str,
    sentence: str,
    expression: str,
    start: str,
    end: str | None = None,
    granularity: str = "day",
    value: str | None = None,
    *,
    reporting: bool = False,
    position: float = 0.3,
) -> Mention:
    """A mention as extract_mentions would build it, from a sentence and its date expression."""
    at = sentence.index(expression)
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end or start)
    expr = TimeExpression(
        text=expression,
        start_char=at,
        end_char=at + len(expression),
        type="DATE",
        value=value or start,
        start=first,
        end=last,
        granularity=granularity,
    )
    return Mention(
        article_id=article_id,
        sentence=sentence,
        sentence_start=0,
        clause=sentence,
        expression=expr,
        start=first,
        end=last,
        granularity=granularity,
        value=value or start,
        reporting=reporting,
        position=position,
    )


@pytest.fixture
def mention():
    """The mention factory."""
    return make_mention


@pytest.fixture
def articles():
    """Articles a..f published on 28 Dec 2023."""
    return [Article(id=x, text="text", published="2023-12-28") for x in "abcdef"]
