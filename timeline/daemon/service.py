"""The polling service: one APScheduler dispatch job feeding a bounded worker pool, and clean stops.

The dispatch job (coalesced, one instance at a time, jittered) looks for feeds whose `next_check_at`
has come and hands each to a `ThreadPoolExecutor`, so a slow feed only ever occupies one worker. Polls
that change articles ask for a rebuild, which a single rebuild thread coalesces: at most one runs, and
requests made meanwhile give exactly one more; each merges only what changed since the last
(`TimelineKeeper`). SIGTERM/SIGINT stop dispatching, let running polls
finish (or abandon them unrecorded, which the store's transactions make safe) and exit 0 within
`STOP_GRACE` seconds.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import os
import signal
import threading
import time
from types import FrameType

from apscheduler.schedulers.background import BackgroundScheduler

from timeline.config import Config
from timeline.daemon.logfmt import fields
from timeline.daemon.observe import DaemonObserver, NullObserver, watch_round
from timeline.daemon.poller import Extractor, Poller, PollReport
from timeline.daemon.rebuild import TimelineKeeper
from timeline.sources.http import Fetcher
from timeline.sources.language import language_tag, preload_detector
from timeline.store import FeedState, Store, StoreError, utcnow

log = logging.getLogger("timeline.daemon")

# Seconds from the stop signal to exit: under systemd's default 90 s and the promised 10 s.
STOP_GRACE = 8.0


class Daemon:
    """Polls the configured store's feeds on schedule and keeps the output JSON current."""

    def __init__(
        self, config: Config, *, extract: Extractor | None = None, observer: DaemonObserver | None = None
    ) -> None:
        self.config = config
        self.observer = observer or NullObserver()
        self.stop = threading.Event()
        self.store = Store.open(config.store.url, max_failures=config.daemon.max_failures)
        self.fetcher = Fetcher(
            timeout=config.http.timeout,
            user_agent=config.http.user_agent,
            max_bytes=config.http.max_bytes,
            allow_private_addresses=config.http.allow_private_addresses,
        )
        self.poller = Poller(config, self.store, self.fetcher, extract=extract, stop=self.stop)
        self.pool = cf.ThreadPoolExecutor(config.daemon.workers, thread_name_prefix="poll")
        self._rebuilder = cf.ThreadPoolExecutor(1, thread_name_prefix="rebuild")
        # merge state lives as long as the process: a start always merges the store in full
        self.keeper = TimelineKeeper()
        self._lock = threading.Lock()
        self._inflight: dict[int, cf.Future[PollReport]] = {}
        self._rebuild_pending = False
        self._rebuild_future: cf.Future[None] | None = None
        self._stop_requested_at: float | None = None
        self.store.sync_feeds(config.feeds)
        if any(language_tag(f.language) is None for f in self.store.list_feeds()):
            preload_detector()  # feeds that declare no language: their articles are detected

    # -- signals ---------------------------------------------------------------------------------------

    def install_signal_handlers(self) -> None:
        """SIGTERM and SIGINT ask for a clean stop; a second one exits at once."""
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        if self.stop.is_set():
            os._exit(0)  # the store's transactions and the atomic JSON make an abrupt exit safe
        self._stop_requested_at = time.monotonic()
        log.info("stopping " + fields(signal=signal.Signals(signum).name))
        self.stop.set()

    # -- dispatch --------------------------------------------------------------------------------------

    def dispatch(self, feeds: list[FeedState] | None = None) -> list[cf.Future[PollReport]]:
        """Hand every due feed (or `feeds`) that is not already being polled to the worker pool."""
        if self.stop.is_set():
            return []
        submitted = []
        for feed in self.store.due_feeds(utcnow()) if feeds is None else feeds:
            with self._lock:
                if feed.id in self._inflight or self.stop.is_set():
                    continue
                future = self.pool.submit(self._poll, feed)
                self._inflight[feed.id] = future
            submitted.append(future)
        watch_round(self.observer, submitted)
        return submitted

    def _dispatch_job(self) -> None:
        try:
            self.dispatch()
        except StoreError as exc:  # e.g. the database is briefly unreachable: try again next tick
            log.warning("dispatch " + fields(status="store-error", error=str(exc)))
        except Exception:  # the scheduler would only log it; keep the loop alive and say why
            log.exception("dispatch " + fields(status="failed"))

    def _poll(self, feed: FeedState) -> PollReport:
        try:
            report = self.poller.poll(feed)
        finally:
            with self._lock:
                self._inflight.pop(feed.id, None)
        self.observer.poll(report.status, report.duration)
        if report.changed:
            self.request_rebuild()
        return report

    # -- rebuild ---------------------------------------------------------------------------------------

    def request_rebuild(self) -> None:
        """Ask for a rebuild; requests made while one runs coalesce into a single further rebuild."""
        with self._lock:
            self._rebuild_pending = True
            if self._rebuild_future is None or self._rebuild_future.done():
                self._rebuild_future = self._rebuilder.submit(self._rebuild_loop)

    def _rebuild_loop(self) -> None:
        while True:
            with self._lock:
                if not self._rebuild_pending:
                    return
                self._rebuild_pending = False
            try:
                done = self.keeper.rebuild(self.poller, self.config.output.json_path)
                self.observer.rebuild(done.duration, done.full)
            except Exception as exc:
                log.exception("timeline " + fields(status="failed", error=str(exc)))

    def wait_for_rebuild(self, timeout: float | None = None) -> None:
        """Block until the current rebuild (if any) is done."""
        future = self._rebuild_future
        if future is not None:
            cf.wait([future], timeout=timeout)

    # -- running ---------------------------------------------------------------------------------------

    def run_forever(self) -> int:
        """Run until SIGTERM/SIGINT; return the exit code (0 on a clean stop)."""
        settings = self.config.daemon
        log.info(
            "daemon started "
            + fields(
                feeds=len(self.store.list_feeds()),
                workers=settings.workers,
                store=self.store.url,
                output=str(self.config.output.json_path),
            )
        )
        # A previous run may have stored articles and died before writing the timeline: heal that first.
        self.request_rebuild()
        scheduler = BackgroundScheduler(timezone="UTC")
        scheduler.add_job(
            self._dispatch_job,
            "interval",
            seconds=settings.dispatch_interval,
            jitter=settings.dispatch_interval / 10,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=None,
            next_run_time=utcnow(),
            id="dispatch",
        )
        scheduler.start()
        try:
            while not self.stop.wait(0.5):
                pass
        finally:
            scheduler.shutdown(wait=False)
        return self._shutdown()

    def run_once(self, *, all_feeds: bool = False) -> int:
        """Poll every due feed (with `all_feeds`, every one neither disabled nor flagged) once, rebuild if
        anything changed; return 0, or 1 when a feed's poll failed (the log line says which and why)."""
        feeds = None
        if all_feeds:
            feeds = [f for f in self.store.list_feeds() if not (f.disabled or f.flagged)]
        futures = self.dispatch(feeds)
        while futures and not self.stop.is_set():
            _done, pending = cf.wait(futures, timeout=0.5)
            if not pending:
                break
        reports = [f.result() for f in futures if f.done() and not f.cancelled()]
        changed = any(r.changed for r in reports)
        if not self.stop.is_set() and (changed or not self.config.output.json_path.exists()):
            self.request_rebuild()
            while not self.stop.is_set() and not self._rebuild_idle():
                self.wait_for_rebuild(timeout=0.5)
        return self._shutdown(int(any(r.error is not None for r in reports)))

    def _rebuild_idle(self) -> bool:
        with self._lock:
            return not self._rebuild_pending and (self._rebuild_future is None or self._rebuild_future.done())

    def _shutdown(self, code: int = 0) -> int:
        """Stop polling and rebuilding, close what is open, and return (or, with a worker stuck, exit
        with) `code`."""
        started = self._stop_requested_at or time.monotonic()
        self.stop.set()
        self.pool.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            running = [f for f in self._inflight.values() if not f.done()]
        # Let polls finish what they are writing; polls that only wait on the network can be left.
        while running and not self.poller.only_network_waits:
            if time.monotonic() - started > STOP_GRACE:
                break
            _done, pending = cf.wait(running, timeout=0.05)
            running = list(pending)
        self.wait_for_rebuild(timeout=max(0.0, STOP_GRACE - (time.monotonic() - started)))
        unfinished = [f for f in running if not f.done()]
        busy = bool(unfinished) or (self._rebuild_future is not None and not self._rebuild_future.done())
        if busy:
            # A worker is blocked in a network read (or, past the grace, a slow write): its poll is
            # unrecorded and will be repeated, and every write is a transaction, so leaving loses nothing.
            log.info("daemon stopped " + fields(abandoned=len(unfinished)))
            logging.shutdown()
            os._exit(code)
        self._rebuilder.shutdown(wait=True)
        self.fetcher.close()
        self.store.close()
        log.info("daemon stopped")
        return code
