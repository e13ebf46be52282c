"""A small timeline for render and export tests: every granularity the exports treat apart, two
languages, supporting and doubtful sources, a conflict, and text and links as hostile as a feed's."""

from __future__ import annotations

import datetime as dt

from timeline.models import Conflict, Event, EventSource, Timeline, TimelineArticle

D = dt.date
HOSTILE = (
    '<script>alert(1)</script> =HYPERLINK("x"); a, b \\ [c](javascript:alert(2)) <img src=x onerror=alert(3)>'
)


def _article(ident: str, title: str | None, source: str | None, url: str | None, day: int, language="en"):
    return TimelineArticle(
        id=ident,
        title=title,
        source=source,
        url=url,
        published=dt.datetime(2023, 12, day, 12, tzinfo=dt.UTC),
        published_basis="feed",
        language=language,
    )


def _source(article: str, sentence: str, start: dt.date, end: dt.date, expression="on Wednesday", **kw):
    return EventSource(
        article_id=article, sentence=sentence, expression=expression, start=start, end=end, **kw
    )


def sample_timeline() -> Timeline:
    articles = [
        _article("a1", "Talks in the capital", "Wire", "https://example.org/a1?x=1&y=(2)", 28),
        _article("a2", "Migrantes en Tapachula", "Diario", "http://example.com/a2", 27, "es"),
        _article("a3", HOSTILE, "=Evil outlet, Inc.", "javascript:alert(4)", 29),
        _article("a4", None, None, None, 29),
    ]
    day = D(2023, 12, 27)
    events = [
        Event(
            id="ev-fy",
            start=D(2022, 10, 1),
            end=D(2023, 9, 30),
            granularity="year",
            value="FY2023",
            title="Two million detained in fiscal 2023",
            summary="Two million were detained in fiscal year 2023.",
            salience=0.1,
            sources=[
                _source("a4", "Two million in fiscal 2023.", D(2022, 10, 1), D(2023, 9, 30), "fiscal 2023")
            ],
        ),
        Event(
            id="ev-year",
            start=D(2023, 1, 1),
            end=D(2023, 12, 31),
            granularity="year",
            value="2023",
            title="Record crossings this year",
            summary="More than half a million migrants crossed the Darien Gap this year.",
            salience=0.2,
            sources=[
                _source(
                    "a1", "Half a million crossed this year.", D(2023, 1, 1), D(2023, 12, 31), "this year"
                )
            ],
        ),
        Event(
            id="ev-month",
            start=D(2023, 12, 1),
            end=D(2023, 12, 31),
            granularity="month",
            value="2023-12",
            title="Up to 10,000 a day this month",
            summary="This month, up to 10,000 migrants a day were apprehended.",
            salience=0.3,
            sources=[
                _source(
                    "a2",
                    "Este mes, hasta 10.000 migrantes al día.",
                    D(2023, 12, 1),
                    D(2023, 12, 31),
                    "Este mes",
                )
            ],
        ),
        Event(
            id="ev-week",
            start=D(2023, 12, 18),
            end=D(2023, 12, 24),
            granularity="week",
            value="2023-W51",
            title="Rail crossings closed",
            summary="Last week the US shut two rail crossings.",
            salience=0.5,
            sources=[
                _source(
                    "a1", "The crossings were shut last week.", D(2023, 12, 18), D(2023, 12, 24), "last week"
                )
            ],
        ),
        Event(
            id="ev-talks",
            start=day,
            end=day,
            granularity="day",
            value="2023-12-27",
            title="Blinken meets López Obrador in México",
            summary="Blinken met López Obrador on Wednesday; the talks ran two hours.",
            salience=0.9,
            sources=[
                _source("a1", "Blinken met Lopez Obrador on Wednesday.", day, day),
                _source("a2", "Blinken se reunió el miércoles con López Obrador.", day, day, "el miércoles"),
                _source("a3", HOSTILE + " on Wednesday.", day, day, doubtful="future verb, past date"),
                EventSource(article_id="a4", sentence="The talks ran two hours.", supporting=True),
            ],
            conflicts=[
                Conflict(
                    article_id="a3",
                    expression="Tuesday",
                    start=D(2023, 12, 26),
                    end=D(2023, 12, 26),
                    note="one source says Tuesday",
                )
            ],
            date_support=2,
        ),
        Event(
            id="ev-hostile",
            start=D(2023, 12, 28),
            end=D(2023, 12, 28),
            granularity="day",
            value="2023-12-28",
            title=HOSTILE,
            summary="-" + HOSTILE,
            salience=0.4,
            sources=[_source("a3", HOSTILE, D(2023, 12, 28), D(2023, 12, 28), "Thursday")],
            doubtful="every dating source is doubtful",
        ),
        Event(
            id="ev-jan",
            start=D(2024, 1, 1),
            end=D(2024, 1, 31),
            granularity="month",
            value="2024-01",
            title="More talks next month",
            summary="Talks continue in Washington next month.",
            salience=0.6,
            sources=[
                _source("a1", "Talks continue next month.", D(2024, 1, 1), D(2024, 1, 31), "next month")
            ],
        ),
    ]
    return Timeline(
        generated_at=dt.datetime(2023, 12, 30, 9, tzinfo=dt.UTC), articles=articles, events=events
    )
