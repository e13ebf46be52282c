"""Articles read from feeds, keyed by (feed, entry), and the mentions extracted from each of them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Connection, Select, and_, func, or_, select, update

from timeline.errors import InputError
from timeline.models import Article, Mention
from timeline.sources.keys import article_id, bounded_key, entry_key
from timeline.store.engine import insert_ignoring, retry_on_conflict
from timeline.store.feeds import utcnow
from timeline.store.schema import articles, feeds, mentions

UpsertResult = Literal["new", "updated", "unchanged"]
# Bound parameters per IN (...) query: well under SQLite's and PostgreSQL's limits.
_CHUNK = 500


def content_hash(article: Article) -> str:
    """Hash of what an article says (title, text, date, link, language): a change means an update."""
    payload = [
        article.title or "",
        article.text,
        article.published.isoformat() if article.published else "",
        article.url or "",
        article.language,
    ]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


def keyword_pattern(keywords: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern matching any keyword or phrase as whole words; None if none given."""
    alternatives = []
    for keyword in keywords:
        words = keyword.split()
        if words:
            alternatives.append(r"\s+".join(re.escape(w) for w in words))
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


def in_story(pattern: re.Pattern[str] | None, article: Article) -> bool:
    """Whether the article's title or text matches the story's `keyword_pattern` (None: every article)."""
    return pattern is None or pattern.search(f"{article.title or ''}\n{article.text}") is not None


def version_extracted(version: str) -> bool:
    """Whether an `article_versions` version says the saved mentions are of the current content."""
    content, _, extracted = version.partition("/")
    return content == extracted


def _article(row: Any) -> Article:
    return Article(
        id=row.id,
        title=row.title,
        text=row.text,
        published=row.published,
        published_basis=row.published_basis,
        source=row.source,
        url=row.url,
        language=row.language,
        language_basis=row.language_basis,
    )


def _prefiltered(query: Select[Any], keywords: Iterable[str] | None) -> Select[Any]:
    """The query narrowed in SQL to rows whose title or text contain every word of some keyword phrase,
    a superset of what `in_story` keeps: a daemon reading its story then reads the story's articles,
    not every stored one. A keyword with a non-ASCII letter leaves the query as it is (SQLite's lower()
    folds only ASCII)."""
    phrases = [k.lower().split() for k in keywords or [] if k.split()]
    if not phrases or any(not "".join(words).isascii() for words in phrases):
        return query
    body = func.lower(func.coalesce(articles.c.title, "") + " " + articles.c.text)
    return query.where(or_(*(and_(*(body.contains(w, autoescape=True) for w in words)) for words in phrases)))


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


class ArticlesMixin:
    """Article and mention methods of `Store`; relies on `_read()` and `_write()` from the Store."""

    if TYPE_CHECKING:  # provided by Store; declared here only for the type checker

        def _read(self) -> Any: ...

        def _write(self) -> Any: ...

        def _changed(self, conn: Connection) -> int: ...

    article_id = staticmethod(article_id)
    entry_key = staticmethod(entry_key)

    @retry_on_conflict
    def upsert_article(
        self,
        feed_id: int,
        entry_key: str,
        article: Article,
        *,
        mentions: list[Mention] | None = None,
        now: dt.datetime | None = None,
    ) -> UpsertResult:
        """Insert or update the article of one feed entry; the content hash decides whether it changed.

        The stored id is `article_id(feed_id, entry_key)` whatever `article.id` says. Given `mentions`, they
        are saved in the same transaction, so a crash never leaves an article with stale extractions
        marked current.
        """
        entry_key = bounded_key(entry_key)
        if not entry_key:
            raise InputError(f"feed {feed_id}: article without an entry key")
        now = now or utcnow()
        ident = article_id(feed_id, entry_key)
        digest = content_hash(article)
        values = {
            "title": article.title,
            "text": article.text,
            "published": article.published,
            "published_basis": article.published_basis,
            "source": article.source,
            "url": article.url,
            "language": article.language,
            "language_basis": article.language_basis,
            "content_hash": digest,
            "updated_at": now,
        }
        with self._write() as conn:
            if conn.execute(select(feeds.c.id).where(feeds.c.id == feed_id)).first() is None:
                raise InputError(f"no feed with id {feed_id}")
            # INSERT ... ON CONFLICT DO NOTHING, then an UPDATE only where the content changed: two
            # replicas storing one entry at once give one row and no unique-key violation to retry
            inserted = conn.execute(
                insert_ignoring(conn, articles, ["id"])
                .values(id=ident, feed_id=feed_id, entry_key=entry_key, first_seen_at=now, **values)
                .returning(articles.c.id)
            ).first()
            outcome: UpsertResult = "new"
            if inserted is None:
                changed = conn.execute(
                    update(articles)
                    .where(articles.c.id == ident, articles.c.content_hash != digest)
                    .values(**values)
                    .returning(articles.c.id)
                ).first()
                outcome = "updated" if changed is not None else "unchanged"
            if mentions is not None:
                self._replace_mentions(conn, ident, mentions)
            elif outcome != "unchanged":
                self._changed(conn)
            return outcome

    def article(self, article_id: str) -> Article | None:
        """One stored article by id, or None."""
        with self._read() as conn:
            row = conn.execute(select(articles).where(articles.c.id == article_id)).first()
            return _article(row) if row else None

    def articles(self, *, keywords: Iterable[str] | None = None, feed_id: int | None = None) -> list[Article]:
        """Stored articles, oldest first; with `keywords`, only those whose title or text mention one.

        Keywords and phrases match case-insensitively as whole words ("Gaza" matches "gaza's" but not
        "Gazans"); an empty keyword list means every article belongs to the story.
        """
        pattern = keyword_pattern(keywords or [])
        query = select(articles).order_by(articles.c.published.is_(None), articles.c.published, articles.c.id)
        if feed_id is not None:
            query = query.where(articles.c.feed_id == feed_id)
        query = _prefiltered(query, keywords)
        with self._read() as conn:
            found = [_article(row) for row in conn.execute(query)]
        return [a for a in found if in_story(pattern, a)]

    def article_versions(self, *, keywords: Iterable[str] | None = None) -> list[tuple[str, str]]:
        """(id, version) of the articles `articles(keywords=...)` may return, in its order, without their
        text: the version changes when the content or the saved extraction does. A reader that keeps
        the articles it read fetches again (`articles_by_id`) only those whose version moved.

        The keyword filter here is SQL's prefilter only (a superset): `in_story` decides on the text."""
        # joined in SQL: 20,000 rows cost half as much in Python
        version = articles.c.content_hash + "/" + func.coalesce(articles.c.extracted_hash, "")
        query = select(articles.c.id, version).order_by(
            articles.c.published.is_(None), articles.c.published, articles.c.id
        )
        with self._read() as conn:
            return [(aid, v) for aid, v in conn.execute(_prefiltered(query, keywords))]

    def articles_by_id(self, article_ids: Iterable[str]) -> dict[str, Article]:
        """The stored articles among these ids, by id (ids not stored are left out)."""
        found: dict[str, Article] = {}
        with self._read() as conn:
            for chunk in _chunks(sorted(set(article_ids))):
                for row in conn.execute(select(articles).where(articles.c.id.in_(chunk))):
                    found[row.id] = _article(row)
        return found

    def articles_needing_extraction(self, *, keywords: Iterable[str] | None = None) -> list[Article]:
        """Articles whose mentions were never saved, or saved from an older version of their content;
        with `keywords`, only the story's (as `articles` selects them)."""
        query = (
            select(articles)
            .where(
                articles.c.extracted_hash.is_(None) | (articles.c.extracted_hash != articles.c.content_hash)
            )
            .order_by(articles.c.published, articles.c.id)
        )
        pattern = keyword_pattern(keywords or [])
        with self._read() as conn:
            found = [_article(row) for row in conn.execute(_prefiltered(query, keywords))]
        return [a for a in found if in_story(pattern, a)]

    def _replace_mentions(
        self, conn: Connection, ident: str, found: list[Mention], extracted_from: str | None = None
    ) -> bool:
        # the article's row lock (PostgreSQL; SQLite's write lock is the whole file) makes concurrent
        # replacements of one article's mentions take turns; (article_id, position) is unique
        row = conn.execute(
            select(articles.c.content_hash, articles.c.extracted_hash)
            .where(articles.c.id == ident)
            .with_for_update()
        ).first()
        if row is None:
            raise InputError(f"no article with id {ident!r}")
        if extracted_from is not None and (
            row.content_hash != extracted_from or row.extracted_hash == extracted_from
        ):
            return False  # extracted from an older text, or another extraction already saved this one
        conn.execute(mentions.delete().where(mentions.c.article_id == ident))
        if found:
            conn.execute(
                mentions.insert(),
                [
                    {
                        "article_id": ident,
                        "position": n,
                        "data": m.model_copy(update={"article_id": ident}).model_dump_json(),
                    }
                    for n, m in enumerate(found)
                ],
            )
        conn.execute(update(articles).where(articles.c.id == ident).values(extracted_hash=row.content_hash))
        self._changed(conn)
        return True

    def save_mentions(
        self, article_id: str, found: list[Mention], *, extracted_from: str | None = None
    ) -> bool:
        """Replace the mentions stored for one article, marking it extracted from its current text.

        With `extracted_from` (the `content_hash` of the text the mentions were extracted from) they are
        saved only if the article still has that text and no other extraction of it was saved meanwhile;
        return whether they were saved."""
        with self._write() as conn:
            return self._replace_mentions(conn, article_id, found, extracted_from)

    def mentions_for(self, article_ids: Iterable[str]) -> list[Mention]:
        """The saved mentions of these articles, grouped by article in extraction order."""
        ids = sorted(set(article_ids))
        result: list[Mention] = []
        with self._read() as conn:
            for chunk in _chunks(ids):
                query = (
                    select(mentions.c.data)
                    .where(mentions.c.article_id.in_(chunk))
                    .order_by(mentions.c.article_id, mentions.c.position)
                )
                result.extend(Mention.model_validate_json(row.data) for row in conn.execute(query))
        return result

    def all_mentions(self) -> list[Mention]:
        """Every saved mention, grouped by article in extraction order."""
        query = select(mentions.c.data).order_by(mentions.c.article_id, mentions.c.position)
        with self._read() as conn:
            return [Mention.model_validate_json(row.data) for row in conn.execute(query)]
