"""A date more than a century before its article is history the article recalls, not the story's."""

from __future__ import annotations

import datetime as dt

from timeline import Article, extract_mentions


def _years(text: str, published: str) -> list[int]:
    article = Article(id="a", text=text, published=published)
    return sorted(m.start.year for m in extract_mentions(article))


def test_a_recalled_century_is_no_mention_and_recent_history_still_is() -> None:
    text = (
        "One of the most famous examples came in 1714, when the British government offered a prize. "
        "The 1929 stock market crash wiped out a generation of savers in the United States. "
        "The rig exploded on 20 April, killing 11 workers."
    )
    assert _years(text, "2010-05-01") == [1929, 2010]


def test_the_horizon_moves_with_the_publication_date() -> None:
    text = "The fault produced a large tremor in 1860, the survey said in a report on its history."
    assert _years(text, "2010-01-20") == []
    assert _years(text, "1950-01-20") == [1860]


def test_an_undated_article_keeps_every_date() -> None:
    article = Article(id="a", text="The fault produced a large tremor in 1860, the survey said.")
    assert article.anchor is None
    assert [m.start for m in extract_mentions(article)] == [dt.date(1860, 1, 1)]
