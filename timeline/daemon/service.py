"""The polling service: one APScheduler dispatch job feeding a bounded worker pool, and clean stops.

The dispatch job (coalesced, one instance at a time, jittered) claims as many due feeds as there are
idle workers (`Store.claim_due`: each feed held by its poll for a renewable lease, so neither two
workers nor two replicas ever fetch one feed at once) and hands each to a `ThreadPoolExecutor`, so a
slow feed only ever occupies one worker. Polls that change articles ask for a rebuild, which a single
rebuild thread coalesces: at most one runs, and requests made meanwhile give exactly one more; each
merges only what changed since the last (`TimelineKeeper`). Only the timeline writer rebuilds
(`TimelineWriter`: on PostgreSQL the replica holding the advisory lock); a watch job wakes it when the
store's change count moves, whichever replica made the change. On SQLite one daemon owns the store
(`claim_sqlite_store`). SIGTERM/SIGINT stop dispatching, let running polls
finish (or abandon them unrecorded, which the store's transactions make safe) and exit 0 within
`STOP_GRACE` seconds.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import multiprocessing
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
from timeline.daemon.writer import TimelineWriter, claim_sqlite_store, release_sqlite_store
from timeline.sources.http import Fetcher
from timeline.sources.language import language_tag, preload_detector
from timeline.store import FeedState, Store, StoreError, utcnow

log = logging.getLogger("timeline.daemon")

# Seconds from the stop signal to exit: under systemd's default 90 s and the promised 10 s.
STOP_GRACE = 8.0
# How often the timeline writer looks at the store's change count, and a replica that is not the
# writer tries to become it.
WATCH_INTERVAL = 2.0


class Daemon:
    """Polls the configured store's feeds on schedule and keeps the output JSON current."""

    def __init__(
        self, config: Config, *, extract: Extractor | None = None, observer: DaemonObserver | None = None
    ) -> None:
        self.config = config
        self.observer = observer or NullObserver()
        self.stop = threading.Event()
        self._instance = claim_sqlite_store(config.store.url)
        try:
            self.store = Store.open(config.store.url, max_failures=config.daemon.max_failures)
        except BaseException:
            release_sqlite_store(self._instance)
            raise
        if self._instance is not None:
            # this process owns the SQLite store: a claim left there is a killed predecessor's
            self.store.release_all_claims()
        self.writer = TimelineWriter(self.store, config.output.json_path)
        self._writing = False
        self.fetcher = Fetcher(
            timeout=config.http.timeout,
            user_agent=config.http.user_agent,
            max_bytes=config.http.max_bytes,
            allow_private_addresses=config.http.allow_private_addresses,
        )
        self.poller = Poller(config, self.store, self.fetcher, extract=extract, stop=self.stop)
        self._processes: cf.ProcessPoolExecutor | None = None
        if config.daemon.extract_processes and extract is None:
            # forkserver: a fork of this threaded process could inherit a lock held mid-operation
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["timeline.events"])
            self._processes = cf.ProcessPoolExecutor(config.daemon.extract_processes, mp_context=context)
            self.poller.processes = self._processes
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
        """Claim due feeds (or, of `feeds`, those no other poll holds) for the idle workers and hand
        them over; return the polls started."""
        return [future for _feed, future in self._dispatch(feeds)]

    def _dispatch(self, feeds: list[FeedState] | None) -> list[tuple[int, cf.Future[PollReport]]]:
        if self.stop.is_set():
            return []
        with self._lock:
            idle = self.config.daemon.workers - len(self._inflight)
        if idle <= 0 or feeds == []:
            return []
        lease = self.config.daemon.lease
        ids = None if feeds is None else [f.id for f in feeds]
        submitted: list[tuple[int, cf.Future[PollReport]]] = []
        for feed in self.store.claim_due(limit=idle, lease=lease, ids=ids):
            with self._lock:
                if self.stop.is_set():
                    self.store.release_claim(feed.id, feed.claim or "")
                    continue
                future = self.pool.submit(self._poll, feed)
                self._inflight[feed.id] = future
            submitted.append((feed.id, future))
        watch_round(self.observer, [future for _feed, future in submitted])
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
            if not self._is_writer():
                continue
            try:
                done = self.keeper.rebuild(self.poller, self.config.output.json_path)
                self.observer.rebuild(done.duration, done.full)
            except Exception as exc:
                log.exception("timeline " + fields(status="failed", error=str(exc)))

    def _is_writer(self) -> bool:
        """Whether this process writes the JSON now; a replica that just became the writer starts from
        a full merge of the store."""
        held = self.writer.held()
        if held != self._writing:
            self._writing = held
            self.keeper = TimelineKeeper(refit_share=self.keeper.refit_share)
            if self.writer.shared:
                log.info("timeline " + fields(writer="this replica" if held else "another replica"))
        return held

    def _watch_job(self) -> None:
        """Rebuild when the store changed since the last rebuild, by this replica or another."""
        try:
            if self._is_writer() and self.store.version() != self.keeper.version:
                self.request_rebuild()
        except StoreError as exc:
            log.warning("timeline " + fields(status="store-error", error=str(exc)))
        except Exception:
            log.exception("timeline " + fields(status="watch failed"))

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
        scheduler.add_job(
            self._watch_job,
            "interval",
            seconds=WATCH_INTERVAL,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=None,
            id="watch",
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
        anything changed; return 0, or 1 when a feed's poll failed (the log line says which and why).

        Feeds are claimed as workers come free; one another process holds is left to it."""
        if all_feeds:
            todo = {f.id: f for f in self.store.list_feeds() if not (f.disabled or f.flagged)}
        else:
            todo = {f.id: f for f in self.store.due_feeds(utcnow())}
        futures: list[cf.Future[PollReport]] = []
        while not self.stop.is_set():
            started = self._dispatch(list(todo.values()))
            for feed_id, future in started:
                todo.pop(feed_id, None)
                futures.append(future)
            running = [f for f in futures if not f.done()]
            if not running and (not started or not todo):
                break
            cf.wait(running, timeout=0.5, return_when=cf.FIRST_COMPLETED)
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
        if self._processes is not None:
            self._processes.shutdown(wait=False, cancel_futures=True)
        self.writer.release()
        self.fetcher.close()
        self.store.close()
        release_sqlite_store(self._instance)
        log.info("daemon stopped")
        return code
