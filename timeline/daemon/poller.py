"""One poll of one feed: fetch, parse, store new and changed articles with their mentions, record state.

Order matters for crash safety: articles (each with its mentions, in one transaction) are stored before
the feed's new ETag/Last-Modified. A process killed in between re-fetches the same document next time,
and the (feed, entry key) identity turns it into "unchanged" rows: nothing lost, nothing duplicated.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from timeline.config import Config
from timeline.daemon import policy
from timeline.daemon.logfmt import fields
from timeline.errors import InputError
from timeline.models import Article, Mention
from timeline.sources.feeds import FeedEntry, FeedParseError, complete_entry, parse_feed, strip_controls
from timeline.sources.http import Fetcher, FetchError, HTTPStatusError
from timeline.store import (
    KEEP,
    ClaimLostError,
    FeedState,
    Store,
    StoreError,
    content_hash,
    in_story,
    keyword_pattern,
    utcnow,
)

log = logging.getLogger("timeline.daemon")

Extractor = Callable[[Article], list[Mention]]


def _extract_in_worker(article: Article) -> list[Mention]:
    from timeline.events import extract_mentions

    return extract_mentions(article)


class Stopped(Exception):
    """The daemon is shutting down: leave this poll unrecorded so the next run repeats it."""


@dataclass
class PollReport:
    """What one poll did, for the log line and for deciding whether the timeline must be rebuilt."""

    feed: FeedState
    status: str
    new: int = 0
    updated: int = 0
    duration: float = 0.0
    error: str | None = None
    moved: str | None = None
    warning: str | None = None

    @property
    def changed(self) -> bool:
        """True when stored articles changed, so the timeline must be rebuilt."""
        return bool(self.new or self.updated)

    def line(self) -> str:
        """The one log line of this poll."""
        return "poll " + fields(
            feed=self.feed.name or self.feed.url,
            status=self.status,
            new=self.new,
            updated=self.updated,
            duration=f"{self.duration:.2f}s",
            moved=self.moved,
            error=self.error,
            warning=self.warning,
        )


class Poller:
    """Polls feeds with one shared Fetcher and Store; safe to call from several worker threads."""

    def __init__(
        self,
        config: Config,
        store: Store,
        fetcher: Fetcher,
        *,
        extract: Extractor | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.fetcher = fetcher
        self.stop = stop or threading.Event()
        self._extract = extract
        self._default_extract = extract is None
        self._story = keyword_pattern(config.story.keywords)
        self.processes: Executor | None = None
        self._count_lock = threading.Lock()
        self._active = 0
        self._waiting_on_network = 0

    @property
    def only_network_waits(self) -> bool:
        """True when every running poll is blocked on the network, holding no transaction: a stop may
        abandon them at once, since each would find the stop flag and write nothing."""
        with self._count_lock:
            return self._active == self._waiting_on_network

    @contextlib.contextmanager
    def _counted(self, attribute: str) -> Iterator[None]:
        with self._count_lock:
            setattr(self, attribute, getattr(self, attribute) + 1)
        try:
            yield
        finally:
            with self._count_lock:
                setattr(self, attribute, getattr(self, attribute) - 1)

    def extract(self, article: Article) -> list[Mention] | None:
        """The article's mentions, or None when extraction failed (the store then retries it later).

        With `processes` (a process pool) set and the default extractor, the work runs there and this
        thread only waits, so polls extract on every core instead of taking turns on one interpreter."""
        if self._extract is None:
            from timeline.events import extract_mentions

            self._extract = extract_mentions
        try:
            if self.processes is not None and self._default_extract:
                try:
                    return self.processes.submit(_extract_in_worker, article).result()
                except BrokenProcessPool:
                    log.warning("extract " + fields(status="process pool broken", fallback="in-thread"))
                    self.processes = None
            return self._extract(article)
        except Exception:  # a bug on one odd text must not lose the article
            log.exception("extract " + fields(article=article.id, status="failed"))
            return None

    def in_story(self, article: Article) -> bool:
        """Whether the article belongs to the configured story (no keywords: every article does)."""
        return in_story(self._story, article)

    def poll(self, feed: FeedState) -> PollReport:
        """Poll one feed, store what changed and its new polling state; log and return one report."""
        started = time.monotonic()
        report = PollReport(feed=feed, status="error")
        try:
            with self._counted("_active"):
                self._poll(feed, report)
        except Stopped:
            report.status, report.error = "stopped", "shutting down; the next run repeats this poll"
            if feed.claim is not None:
                with contextlib.suppress(StoreError):
                    self.store.release_claim(feed.id, feed.claim)
        except ClaimLostError as exc:  # the lease lapsed and another poll took the feed: its outcome counts
            report.status, report.error = "lost", str(exc)
        except StoreError as exc:
            report.status, report.error = "store-error", str(exc)
        except InputError as exc:  # the feed was removed (`timeline feeds remove`) while being polled
            report.status, report.error = "removed", str(exc)
        except Exception as exc:  # a bug must back the feed off like any failure, not spin on it
            log.exception("poll " + fields(feed=feed.name or feed.url, status="bug"))
            report.status, report.error = "bug", f"{type(exc).__name__}: {exc}"
            with contextlib.suppress(StoreError, InputError, ClaimLostError):
                self._record_failure(feed, report, utcnow())
        report.duration = time.monotonic() - started
        ok = report.status in ("200", "304") and report.warning is None
        level = logging.INFO if ok else logging.WARNING
        log.log(level, report.line())
        return report

    def _poll(self, feed: FeedState, report: PollReport) -> None:
        now = utcnow()
        settings = self.config.daemon
        try:
            with self._counted("_waiting_on_network"):
                result = self.fetcher.fetch(
                    feed.url, etag=feed.etag, last_modified=feed.last_modified, should_stop=self.stop.is_set
                )
            if self.stop.is_set():
                raise Stopped
            if result.not_modified:
                report.status, report.moved = "304", result.permanent_url
                self.store.record_poll(
                    feed.id,
                    status=304,
                    next_check_at=policy.after_success(now, feed.interval, jitter=settings.jitter),
                    etag=result.etag or KEEP,
                    last_modified=result.last_modified or KEEP,
                    new_url=result.permanent_url,
                    claim=feed.claim,
                )
                return
            parsed = parse_feed(
                result.content or b"",
                feed_id=feed.id,
                url=result.url,
                source=feed.name,
                language=feed.language,
                content_type=result.content_type,
            )
            report.warning = parsed.undecodable
            for warning in parsed.warnings:
                log.debug("feed " + fields(feed=feed.name or feed.url, warning=warning))
            renewed = time.monotonic()
            for entry in parsed.entries:
                if self.stop.is_set():
                    raise Stopped
                if feed.claim is not None and time.monotonic() - renewed > settings.lease / 3:
                    # a long poll (many pages to fetch) keeps its feed: renew well before the lease lapses
                    if not self.store.renew_claim(feed.id, feed.claim, settings.lease):
                        raise ClaimLostError(f"feed {feed.id}: the poll's claim lapsed mid-poll")
                    renewed = time.monotonic()
                outcome = self._store_entry(feed, entry)
                report.new += outcome == "new"
                report.updated += outcome == "updated"
            report.status, report.moved = str(result.status), result.permanent_url
            self.store.record_poll(
                feed.id,
                status=result.status,
                next_check_at=policy.after_success(now, feed.interval, jitter=settings.jitter),
                etag=result.etag,
                last_modified=result.last_modified,
                new_url=result.permanent_url,
                claim=feed.claim,
            )
        except HTTPStatusError as exc:
            if self.stop.is_set():
                raise Stopped from exc
            self._record_status_error(feed, exc, report, now)
        except (FetchError, FeedParseError) as exc:
            if self.stop.is_set():
                raise Stopped from exc
            report.status, report.error = exc.status, strip_controls(str(exc))
            self._record_failure(feed, report, now)

    def _record_status_error(
        self, feed: FeedState, exc: HTTPStatusError, report: PollReport, now: dt.datetime
    ) -> None:
        settings = self.config.daemon
        report.status, report.error = exc.status, strip_controls(str(exc))
        if exc.code == 410:
            report.error = "gone: feed disabled"
            self.store.record_poll(
                feed.id,
                status=410,
                next_check_at=now,
                error=report.error,
                disabled=True,
                failed=False,
                claim=feed.claim,
            )
        elif exc.throttled:
            # The server asks us to come back later: a busy server is not a broken feed, so this backs
            # off without counting toward flagging.
            previous = None
            if feed.last_status in ("429", "503") and feed.last_polled_at is not None:
                previous = (feed.next_check_at - feed.last_polled_at).total_seconds()
            next_check = policy.after_throttle(
                now, feed.interval, previous, exc.retry_after, max_backoff=settings.max_backoff
            )
            report.error = f"{exc}; retry after {(next_check - now).total_seconds():.0f}s"
            self.store.record_poll(
                feed.id,
                status=exc.code,
                next_check_at=next_check,
                error=report.error,
                throttled=True,
                claim=feed.claim,
            )
        else:
            self._record_failure(feed, report, now)

    def _record_failure(self, feed: FeedState, report: PollReport, now: dt.datetime) -> None:
        settings = self.config.daemon
        failures = feed.error_count + 1
        next_check = policy.after_failure(
            now, feed.interval, failures, max_backoff=settings.max_backoff, jitter=settings.jitter
        )
        state = self.store.record_poll(
            feed.id,
            status=report.status,
            next_check_at=next_check,
            error=report.error,
            failed=True,
            claim=feed.claim,
        )
        if state.flagged:
            report.error = f"{report.error}; flagged after {state.error_count} failures, no longer polled"

    def _store_entry(self, feed: FeedState, entry: FeedEntry) -> str:
        ident = self.store.article_id(feed.id, entry.key)
        existing = self.store.article(ident)
        if entry.summary_only and existing is not None and _same_entry(existing, entry.article):
            # The page was fetched before and the entry did not change: do not fetch it again.
            return "unchanged"
        with self._counted("_waiting_on_network"):
            entry = complete_entry(entry, self.fetcher, should_stop=self.stop.is_set)
        if self.stop.is_set():
            raise Stopped
        article = entry.article.model_copy(update={"id": ident})
        if existing is not None and content_hash(existing) == content_hash(article):
            return "unchanged"
        mentions = self.extract(article) if self.in_story(article) else None
        return self.store.upsert_article(feed.id, entry.key, article, mentions=mentions)


def _same_entry(stored: Article, fresh: Article) -> bool:
    """The feed side of a summary-only entry is unchanged and its page was read (the stored text is not
    just the summary, which is what remains when the page could not be fetched)."""
    return (
        stored.text != fresh.text
        and stored.title == fresh.title
        and stored.url == fresh.url
        and (fresh.published is None or stored.published == fresh.published)
    )
