"""The data that flows between stages: every pydantic model of the project lives here.

sources -> Article -> temporal (TimeExpression) -> events (Mention) -> merge (Event) -> Timeline.
Dates are inclusive ISO intervals (`start`, `end`) with a TIMEX3 `value` and a `granularity`;
instants are timezone-aware UTC.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
Granularity = Literal[
    "second",
    "minute",
    "hour",
    "part_of_day",
    "day",
    "week",
    "weekend",
    "month",
    "quarter",
    "half",
    "season",
    "year",
    "decade",
    "century",
    "present",
    "past",
    "future",
]


def to_utc(value: dt.datetime | dt.date | str | None) -> dt.datetime | None:
    """Read a date or datetime (object or ISO string) as an aware UTC datetime; naive means UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        text = value.strip().replace("Z", "+00:00")
        try:
            value = dt.datetime.fromisoformat(text)
        except ValueError:
            value = dt.date.fromisoformat(text[:10])
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)


class TimeExpression(BaseModel):
    """One temporal expression found in a text, anchored where it denotes a date or time."""

    model_config = ConfigDict(frozen=True)

    text: str
    start_char: int = Field(ge=0)
    end_char: int = Field(ge=0)
    type: TimexType
    value: str = Field(description="TIMEX3 value: 2023-12-27, 2023-W51, 2023-Q4, P5D, PAST_REF, XXXX-WXX-1")
    start: dt.date | None = Field(None, description="first day covered (inclusive); DATE and TIME only")
    end: dt.date | None = Field(None, description="last day covered (inclusive); DATE and TIME only")
    granularity: Granularity | None = None
    mod: str | None = Field(None, description="TIMEX3 mod (START, MID, END, APPROX, BEFORE, AFTER...)")

    @model_validator(mode="after")
    def _ordered(self) -> TimeExpression:
        if self.end_char < self.start_char:
            raise ValueError("end_char before start_char")
        if self.start and self.end and self.end < self.start:
            raise ValueError("interval end before start")
        return self

    @property
    def anchored(self) -> bool:
        """Whether the expression resolved to an interval: unanchored ones carry only their text."""
        return self.start is not None and self.end is not None


class Article(BaseModel):
    """One news article as every source delivers it to the pipeline."""

    id: str = Field(min_length=1)
    title: str | None = None
    text: str
    published: dt.datetime | None = Field(None, description="publication instant, aware UTC")
    published_basis: str | None = Field(
        None, description="how the publication date was found: metadata, manifest, feed, inferred: ..., none"
    )
    source: str | None = None
    url: str | None = None
    language: str = "en"
    language_basis: str | None = Field(
        None,
        description='how the language was found: "declared: <feed|page|manifest|record|config>", '
        '"detected" (from the text) or "default" (too short or mixed to tell)',
    )

    @field_validator("published", mode="before")
    @classmethod
    def _utc(cls, value: object) -> dt.datetime | None:
        if value is None or isinstance(value, dt.datetime | dt.date | str):
            return to_utc(value)
        raise ValueError("published must be an ISO date or datetime")

    @property
    def anchor(self) -> dt.date | None:
        """The publication day that relative expressions are anchored to."""
        return self.published.date() if self.published else None

    @property
    def display_title(self) -> str:
        """The title, else the first line of text (120 characters at most), else the id: never empty."""
        if self.title:
            return self.title
        first = next((line.strip() for line in self.text.splitlines() if line.strip()), "")
        return first[:120] or self.id


class Mention(BaseModel):
    """A dated statement in one article: the clause, its date expression, who and where."""

    article_id: str
    sentence: str
    sentence_start: int = Field(ge=0, description="offset of the sentence in the article text")
    clause: str
    expression: TimeExpression
    start: dt.date
    end: dt.date
    granularity: Granularity
    value: str
    actors: list[str] = Field(default_factory=list)
    places: list[str] = Field(default_factory=list)
    reporting: bool = Field(False, description="the date is when something was said, not when it happened")
    dates_noun: bool = Field(
        False, description="the date dates the happening of a noun phrase (then the clause), not the verb's"
    )
    position: float = Field(0.0, ge=0.0, le=1.0, description="where in the article: 0 = first sentence")
    language: str = Field("en", description="the article's language: how the clause's words are compared")
    doubtful: str | None = Field(
        None, description="why the date is in doubt (it contradicts the clause's tense)"
    )


class EventSource(BaseModel):
    """Where an event was read: one sentence of one article and the expression that dated it."""

    article_id: str
    sentence: str
    expression: str | None = Field(None, description="the date expression's text; None for undated support")
    start_char: int | None = Field(None, description="offset of the expression in the article text")
    end_char: int | None = None
    start: dt.date | None = Field(None, description="this source's own reading of the date")
    end: dt.date | None = None
    supporting: bool = Field(
        False, description="an undated sentence of the article that describes the event: support, not a date"
    )
    doubtful: str | None = Field(
        None, description="why this source's date is in doubt (it contradicts its clause's tense)"
    )


class Conflict(BaseModel):
    """A source whose date for the happening cannot be true together with the event's date."""

    article_id: str
    expression: str
    start: dt.date
    end: dt.date
    note: str


class Event(BaseModel):
    """One happening, merged across every source that reported it."""

    id: str
    start: dt.date
    end: dt.date
    granularity: Granularity
    value: str
    title: str
    summary: str
    salience: float
    sources: list[EventSource]
    conflicts: list[Conflict] = Field(default_factory=list)
    date_support: int = Field(
        0, ge=0, description="distinct articles whose own date agrees with the event's interval"
    )
    doubtful: str | None = Field(
        None, description="why the event's date is in doubt (every dating source is doubtful); None if not"
    )


class TimelineArticle(BaseModel):
    """What the timeline says about each article it read."""

    id: str
    title: str | None
    source: str | None
    url: str | None
    published: dt.datetime | None
    published_basis: str | None
    language: str = "en"
    language_basis: str | None = Field(
        None,
        description='how the language was found: "declared: <feed|page|manifest|record|config>", '
        '"detected" (from the text) or "default" (too short or mixed to tell)',
    )


class Timeline(BaseModel):
    """One ordered, sourced chronology of a story."""

    generated_at: dt.datetime
    articles: list[TimelineArticle]
    events: list[Event]


# -- the HTTP API (`timeline serve`): what its endpoints answer, as its OpenAPI document describes ------


class SourceDetail(EventSource):
    """One source of an event together with what the timeline knows of its article."""

    title: str | None = Field(None, description="the article's title")
    outlet: str | None = Field(None, description="who published the article")
    url: str | None = Field(None, description="the article's link (http or https only)")
    published: dt.datetime | None = None
    language: str | None = None


class ConflictDetail(Conflict):
    """A conflicting source together with its article's title, outlet and link."""

    title: str | None = None
    outlet: str | None = None
    url: str | None = None


class EventDetail(Event):
    """One event with every source's article: `GET /api/events/{id}`."""

    date_text: str = Field(description="the date as written at the event's precision: 'week of 18 Dec 2023'")
    sources: list[SourceDetail]  # type: ignore[assignment]
    conflicts: list[ConflictDetail] = Field(default_factory=list)  # type: ignore[assignment]


class TimelinePage(BaseModel):
    """One page of the events a query keeps, in timeline order, with the articles they cite."""

    generated_at: dt.datetime | None = Field(description="when the timeline was built; None before the first")
    total: int = Field(ge=0, description="events the query keeps, on every page")
    offset: int = Field(ge=0)
    limit: int = Field(ge=1)
    events: list[Event]
    articles: list[TimelineArticle] = Field(description="the articles this page's events cite")
    next: str | None = Field(description="the URL of the next page, None on the last")


class ArticlePage(BaseModel):
    """One page of the articles the timeline read, in the timeline's order."""

    total: int = Field(ge=0)
    offset: int = Field(ge=0)
    limit: int = Field(ge=1)
    articles: list[TimelineArticle]
    next: str | None


class FeedReport(BaseModel):
    """One subscribed feed and how its polling goes."""

    id: int
    url: str
    name: str | None
    language: str
    interval: float = Field(description="seconds between polls")
    status: str = Field(description="new, ok, failing, flagged or disabled, with the last HTTP status")
    last_status: str | None = Field(
        description="HTTP status or failure of the last poll: 200, 304, timeout..."
    )
    last_polled_at: dt.datetime | None
    next_check_at: dt.datetime | None = Field(description="None when the feed is disabled or flagged")
    error_count: int = Field(description="consecutive failed polls")
    last_error: str | None
    articles: int = Field(description="articles stored from this feed")


class FeedList(BaseModel):
    """The store's feeds; `store` is False when the server reads a timeline file alone."""

    store: bool
    feeds: list[FeedReport]


class Health(BaseModel):
    """`GET /healthz`: 200 when every check passes, 503 with the problems otherwise."""

    status: Literal["ok", "unhealthy"]
    problems: list[str]
    store: str | None = Field(description="'ok', the store's error, or None when there is no store")
    last_round_at: dt.datetime | None = Field(description="the last successful poll of any feed")
    last_round_age_seconds: float | None
    max_round_age_seconds: float | None = Field(description="the configured limit; None: not checked")
    timeline_generated_at: dt.datetime | None
    events: int


class Problem(BaseModel):
    """An error answer: what went wrong, in one line."""

    detail: str
