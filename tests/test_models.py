import datetime as dt

import pytest
from pydantic import ValidationError

from timeline import Article, TimeExpression


def test_published_dates_become_aware_utc():
    a = Article(id="a", text="x", published="2023-12-28")
    assert a.published == dt.datetime(2023, 12, 28, tzinfo=dt.UTC)
    b = Article(id="b", text="x", published="2023-12-28T20:00:00-06:00")
    assert b.published == dt.datetime(2023, 12, 29, 2, tzinfo=dt.UTC)
    assert b.anchor == dt.date(2023, 12, 29)


def test_expression_interval_must_be_ordered():
    with pytest.raises(ValidationError):
        TimeExpression(
            text="x",
            start_char=0,
            end_char=1,
            type="DATE",
            value="2023",
            start=dt.date(2023, 12, 31),
            end=dt.date(2023, 1, 1),
            granularity="year",
        )
