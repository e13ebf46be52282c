"""The store's tables, as SQLAlchemy Core metadata; migrations under `migrations/` create them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

metadata = MetaData()


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes in and out: naive UTC in SQLite (no time zones there), timestamptz elsewhere."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        """Refuse naive datetimes; store UTC, naive in SQLite."""
        if value is None:
            return None
        if not isinstance(value, dt.datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; times must be aware UTC")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        """Read back as aware UTC whatever the dialect returned."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


feeds = Table(
    "feeds",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False, unique=True),
    Column("origin_url", Text, nullable=False, doc="the URL as subscribed, kept across redirects"),
    Column("name", Text),
    Column("interval", Float, nullable=False),
    Column("language", String(16), nullable=False),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("next_check_at", UTCDateTime, nullable=False),
    Column("last_polled_at", UTCDateTime),
    Column("last_status", String(40)),
    Column("error_count", Integer, nullable=False),
    Column("last_error", Text),
    Column("disabled", Boolean, nullable=False),
    Column("flagged", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("claim", String(40), doc="the token of the poll that holds the feed, if any"),
    Column("lease_until", UTCDateTime, doc="when that claim lapses and any replica may poll the feed"),
)

articles = Table(
    "articles",
    metadata,
    Column("id", String(80), primary_key=True),
    Column("feed_id", Integer, ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False),
    Column("entry_key", Text, nullable=False),
    Column("title", Text),
    Column("text", Text, nullable=False),
    Column("published", UTCDateTime),
    Column("published_basis", Text),
    Column("source", Text),
    Column("url", Text),
    Column("language", String(16), nullable=False),
    Column("language_basis", Text, doc="how the language was found (declared, detected...)"),
    Column("content_hash", String(64), nullable=False),
    Column("extracted_hash", String(64), doc="content_hash the saved mentions were extracted from"),
    Column("first_seen_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("feed_id", "entry_key", name="uq_articles_feed_entry"),
)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(80), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("data", Text, nullable=False, doc="the Mention as JSON: the model is the contract, not columns"),
)

store_state = Table(
    "store_state",
    metadata,
    Column("name", String(300), primary_key=True),
    Column("number", BigInteger, nullable=False),
    Column("value", Text),
    Column("updated_at", UTCDateTime),
)

Index("ix_mentions_article", mentions.c.article_id)
Index("uq_mentions_article_position", mentions.c.article_id, mentions.c.position, unique=True)
Index("ix_feeds_next_check", feeds.c.next_check_at)
Index("ix_articles_published", articles.c.published)
# (id, version) of every article without reading its text (`Store.article_versions`)
Index(
    "ix_articles_versions",
    articles.c.published,
    articles.c.id,
    articles.c.content_hash,
    articles.c.extracted_hash,
)
