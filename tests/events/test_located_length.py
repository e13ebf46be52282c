"""A length located in a year ("the first eleven months of 2023") dates its sentence once, by the length."""

from __future__ import annotations

import datetime as dt

from timeline import Article, extract_mentions


def _spans(text: str, published: str) -> list[tuple[dt.date, dt.date]]:
    article = Article(id="a", text=text, published=published)
    return [(m.start, m.end) for m in extract_mentions(article)]


def test_the_year_a_length_lies_in_is_no_second_mention() -> None:
    text = "Mexico says 680,000 migrants crossed the nation in the first eleven months of 2023, it said."
    assert _spans(text, "2023-12-28") == [(dt.date(2023, 1, 1), dt.date(2023, 11, 30))]


def test_a_year_after_a_length_elsewhere_still_dates() -> None:
    text = "The plant ran for the first nine months and was closed in 2022 after a dispute with the city."
    assert (dt.date(2022, 1, 1), dt.date(2022, 12, 31)) in _spans(text, "2023-12-28")
