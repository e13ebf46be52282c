"""Feeds and their polling state: what to poll, when, and how the last polls went."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from sqlalchemy import Connection, func, or_, select, update

from timeline.errors import InputError, TimelineError
from timeline.store.engine import insert_ignoring, retry_on_conflict
from timeline.store.schema import articles, feeds
from timeline.store.urls import check_feed_url

if TYPE_CHECKING:
    from timeline.config import FeedConfig


class _Keep:
    """Marker for "leave this column as it is" where None would mean "clear it"."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


class ClaimLostError(TimelineError):
    """A poll's claim on its feed lapsed and was taken by another poll: its outcome is not recorded."""


def utcnow() -> dt.datetime:
    """Now, aware UTC: the only clock the store reads."""
    return dt.datetime.now(dt.UTC)


class FeedState(BaseModel):
    """One feed as stored: its settings and the state of its polling."""

    id: int
    url: str
    name: str | None
    interval: float
    language: str
    etag: str | None
    last_modified: str | None
    next_check_at: dt.datetime
    last_polled_at: dt.datetime | None
    last_status: str | None
    error_count: int
    last_error: str | None
    disabled: bool
    flagged: bool
    origin_url: str
    articles: int = 0
    claim: str | None = None
    lease_until: dt.datetime | None = None

    @property
    def state(self) -> str:
        """One word for how polling goes: new, ok, failing, flagged or disabled."""
        if self.disabled:
            return "disabled"
        if self.flagged:
            return "flagged"
        if self.error_count:
            return "failing"
        return "new" if self.last_polled_at is None else "ok"

    @property
    def status(self) -> str:
        """The state with the last HTTP status or failure when there is one: "ok 304", "failing timeout"."""
        if self.state == "new":
            return "new"
        return f"{self.state} {self.last_status}" if self.last_status else self.state


def _state(row: Any, count: int = 0) -> FeedState:
    data = dict(row._mapping)
    data.pop("created_at", None)
    return FeedState(**data, articles=count)


class FeedsMixin:
    """Feed methods of `Store`; relies on `_read()`, `_write()` and `max_failures` from the Store."""

    max_failures: int

    if TYPE_CHECKING:  # provided by Store; declared here only for the type checker

        def _read(self) -> Any: ...

        def _write(self) -> Any: ...

        def _changed(self, conn: Connection) -> int: ...

    @staticmethod
    def _find(conn: Connection, url_or_id: int | str) -> Any:
        key = str(url_or_id).strip()
        if key.isdigit():
            return conn.execute(select(feeds).where(feeds.c.id == int(key))).first()
        return conn.execute(
            select(feeds).where((feeds.c.url == key) | (feeds.c.origin_url == key)).order_by(feeds.c.id)
        ).first()

    @classmethod
    def _require(cls, conn: Connection, url_or_id: int | str) -> Any:
        row = cls._find(conn, url_or_id)
        if row is None:
            raise InputError(f"no feed with id or URL {str(url_or_id)!r}")
        return row

    def get_feed(self, url_or_id: int | str) -> FeedState | None:
        """The feed with this id, current URL or originally subscribed URL, or None."""
        with self._read() as conn:
            row = self._find(conn, url_or_id)
            return _state(row) if row else None

    @retry_on_conflict
    def add_feed(
        self,
        url: str,
        *,
        name: str | None = None,
        interval: float = 900.0,
        language: str = "auto",
        now: dt.datetime | None = None,
    ) -> FeedState:
        """Subscribe to `url` (due at once); adding a URL already subscribed returns that feed unchanged."""
        url = check_feed_url(url)
        if interval <= 0:
            raise InputError(f"feed {url}: interval must be positive, got {interval}")
        now = now or utcnow()
        # Most calls (sync_feeds on every start) find the feed: look without taking the write lock.
        with self._read() as conn:
            row = self._find(conn, url)
        if row is not None:
            return _state(row)
        with self._write() as conn:
            row = self._find(conn, url)
            if row is None:
                # ON CONFLICT DO NOTHING: replicas starting together add each configured feed once
                conn.execute(
                    insert_ignoring(conn, feeds, ["url"]).values(
                        url=url,
                        origin_url=url,
                        name=name,
                        interval=float(interval),
                        language=language,
                        next_check_at=now,
                        error_count=0,
                        disabled=False,
                        flagged=False,
                        created_at=now,
                    )
                )
                row = self._find(conn, url)
            return _state(row)

    def remove_feed(self, url_or_id: int | str) -> FeedState:
        """Unsubscribe a feed by id or URL, deleting its articles and their mentions with it."""
        with self._write() as conn:
            row = self._require(conn, url_or_id)
            count = conn.execute(select(func.count()).where(articles.c.feed_id == row.id)).scalar_one()
            conn.execute(feeds.delete().where(feeds.c.id == row.id))
            if count:
                self._changed(conn)
            return _state(row, count)

    def enable_feed(self, url_or_id: int | str, *, now: dt.datetime | None = None) -> FeedState:
        """Clear a feed's disabled and flagged marks and error count, and make it due now."""
        with self._write() as conn:
            row = self._require(conn, url_or_id)
            conn.execute(
                update(feeds)
                .where(feeds.c.id == row.id)
                .values(disabled=False, flagged=False, error_count=0, next_check_at=now or utcnow())
            )
            return _state(self._find(conn, row.id))

    def list_feeds(self) -> list[FeedState]:
        """Every feed, in the order they were added, with its stored article count."""
        counts = select(articles.c.feed_id, func.count().label("n")).group_by(articles.c.feed_id).subquery()
        query = (
            select(feeds, func.coalesce(counts.c.n, 0).label("article_count"))
            .outerjoin(counts, counts.c.feed_id == feeds.c.id)
            .order_by(feeds.c.id)
        )
        with self._read() as conn:
            result = []
            for row in conn.execute(query):
                data = dict(row._mapping)
                count = data.pop("article_count")
                data.pop("created_at", None)
                result.append(FeedState(**data, articles=count))
            return result

    def due_feeds(self, now: dt.datetime | None = None) -> list[FeedState]:
        """Feeds to poll now: neither disabled nor flagged, with `next_check_at <= now`, soonest first."""
        now = now or utcnow()
        query = (
            select(feeds)
            .where(feeds.c.next_check_at <= now, feeds.c.disabled.is_(False), feeds.c.flagged.is_(False))
            .order_by(feeds.c.next_check_at, feeds.c.id)
        )
        with self._read() as conn:
            return [_state(row) for row in conn.execute(query)]

    def claim_due(
        self,
        *,
        limit: int,
        lease: float,
        now: dt.datetime | None = None,
        ids: Sequence[int] | None = None,
    ) -> list[FeedState]:
        """Claim up to `limit` feeds to poll, each for `lease` seconds, and return them (claim set).

        Due feeds (neither disabled nor flagged, `next_check_at <= now`), soonest first; with `ids`, those
        feeds whether due or not. A feed whose lease runs is skipped: another poll holds it. On PostgreSQL
        the rows are picked `FOR UPDATE SKIP LOCKED` and claimed in the same `UPDATE ... RETURNING`, so
        replicas claiming at once never get the same feed; SQLite runs it under `BEGIN IMMEDIATE`.
        """
        if limit <= 0:
            return []
        now = now or utcnow()
        free = or_(feeds.c.lease_until.is_(None), feeds.c.lease_until <= now)
        usable = (feeds.c.disabled.is_(False), feeds.c.flagged.is_(False), free)
        pick = select(feeds.c.id).where(*usable)
        if ids is None:
            pick = pick.where(feeds.c.next_check_at <= now)
        else:
            pick = pick.where(feeds.c.id.in_(list(ids)))
        pick = pick.order_by(feeds.c.next_check_at, feeds.c.id).limit(limit).with_for_update(skip_locked=True)
        token = uuid.uuid4().hex
        claim = (
            update(feeds)
            .where(feeds.c.id.in_(pick.scalar_subquery()))
            .values(claim=token, lease_until=now + dt.timedelta(seconds=lease))
            .returning(*feeds.c)
        )
        with self._write() as conn:
            rows = conn.execute(claim).all()
        return sorted((_state(row) for row in rows), key=lambda f: (f.next_check_at, f.id))

    def renew_claim(self, feed_id: int, claim: str, lease: float) -> bool:
        """Extend a held claim by `lease` seconds from now; False if it is no longer held."""
        until = utcnow() + dt.timedelta(seconds=lease)
        with self._write() as conn:
            done = conn.execute(
                update(feeds).where(feeds.c.id == feed_id, feeds.c.claim == claim).values(lease_until=until)
            )
            return done.rowcount == 1

    def release_claim(self, feed_id: int, claim: str) -> None:
        """Give a claimed feed back unpolled: due again at once for any poll."""
        with self._write() as conn:
            conn.execute(
                update(feeds)
                .where(feeds.c.id == feed_id, feeds.c.claim == claim)
                .values(claim=None, lease_until=None)
            )

    def release_all_claims(self) -> int:
        """Free every claimed feed (a single daemon starting on its own store: no claim can be live)."""
        with self._write() as conn:
            done = conn.execute(
                update(feeds).where(feeds.c.claim.is_not(None)).values(claim=None, lease_until=None)
            )
            return done.rowcount

    def record_poll(
        self,
        feed_id: int,
        *,
        status: int | str | None,
        next_check_at: dt.datetime,
        etag: str | None = KEEP,
        last_modified: str | None = KEEP,
        error: str | None = None,
        new_url: str | None = None,
        disabled: bool = False,
        failed: bool = False,
        throttled: bool = False,
        polled_at: dt.datetime | None = None,
        claim: str | None = None,
    ) -> FeedState:
        """Store the outcome of one poll in one transaction and return the feed's new state.

        `etag`/`last_modified` left out keep their stored values (None clears them). `failed` counts a
        consecutive failure (the feed is flagged, and no longer due, after `max_failures` of them); a poll
        that did not fail resets the count, except a `throttled` one (429/503: the server asked us to wait),
        which leaves the count as it is. `disabled` stops polling for good (410 Gone). `new_url` (after
        a 301/308) replaces the URL unless another feed has it already, in which case this one is
        disabled as a duplicate of that one.

        With `claim` (from `claim_due`), the outcome is recorded only if that claim still holds the feed,
        and the claim is released; otherwise `ClaimLostError` is raised and nothing is written.
        """
        values: dict[str, Any] = {
            "last_status": None if status is None else str(status)[:40],
            "next_check_at": next_check_at,
            "last_polled_at": polled_at or utcnow(),
        }
        if etag is not KEEP:
            values["etag"] = etag
        if last_modified is not KEEP:
            values["last_modified"] = last_modified
        if failed:
            values["error_count"] = feeds.c.error_count + 1
            values["last_error"] = error
            values["flagged"] = feeds.c.error_count + 1 >= self.max_failures
        elif throttled:
            values["last_error"] = error
        else:
            values.update(error_count=0, last_error=error, flagged=False)
        if disabled:
            values["disabled"] = True
        target = update(feeds).where(feeds.c.id == feed_id)
        if claim is not None:
            target = target.where(feeds.c.claim == claim)
            values.update(claim=None, lease_until=None)
        with self._write() as conn:
            row = self._find(conn, feed_id)
            if row is None:
                raise InputError(f"no feed with id {feed_id}")
            if new_url and new_url != row.url:
                values.update(self._move(conn, new_url))
            if conn.execute(target.values(**values)).rowcount != 1:
                raise ClaimLostError(f"feed {feed_id}: the poll's claim lapsed and another poll holds it")
            return _state(self._find(conn, feed_id))

    @staticmethod
    def _move(conn: Connection, new_url: str) -> dict[str, Any]:
        """Column changes for a permanent redirect to `new_url`."""
        try:
            new_url = check_feed_url(new_url)
        except InputError as exc:
            # A move to a URL we would never subscribe to (file:, overlong) is not followed.
            return {"last_error": f"refused permanent redirect: {exc}"}
        other = conn.execute(select(feeds.c.id).where(feeds.c.url == new_url)).first()
        if other is None:
            return {"url": new_url}
        return {"disabled": True, "last_error": f"moved to {new_url}, already subscribed as feed {other.id}"}

    def sync_feeds(
        self, configured: Iterable[FeedConfig], *, now: dt.datetime | None = None
    ) -> list[FeedState]:
        """Make every configured feed exist with its configured name, interval and language.

        Matched by current or originally subscribed URL, so a feed that moved (301) is not added twice.
        Feeds absent from the config are left alone: they may have been added with `timeline feeds add`.
        """
        now = now or utcnow()
        result = []
        for feed in configured:
            state = self.add_feed(
                feed.url, name=feed.name, interval=feed.interval, language=feed.language, now=now
            )
            changes: dict[str, object] = {
                k: v
                for k, v in (("name", feed.name), ("interval", feed.interval), ("language", feed.language))
                if v is not None and getattr(state, k) != v
            }
            if "interval" in changes and state.error_count == 0:
                # A shorter interval applies now, not after a check planned under the old one.
                soonest = now + dt.timedelta(seconds=feed.interval)
                if state.next_check_at > soonest:
                    changes["next_check_at"] = soonest
            if changes:
                with self._write() as conn:
                    conn.execute(update(feeds).where(feeds.c.id == state.id).values(**changes))
                state = state.model_copy(update=changes)
            result.append(state)
        return result
