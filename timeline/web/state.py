"""What the server serves from: the timeline JSON (watched, reloaded when it is replaced) and the store.

The daemon replaces the timeline file atomically; a watcher thread notices a new file (inode, size or
mtime) and loads it beside the one being served, then swaps: a request never waits for a reload and
never sees half a timeline. Each loaded version carries what requests reuse: an `EventIndex` for
filtering, every event and article serialised once, and a version string (a hash of the file) that
ETags are made of. A file that cannot be read or parsed keeps the last good version in service.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from timeline.models import Timeline, TimelineArticle
from timeline.render.query import EventIndex
from timeline.store import FeedState, Store, StoreError

log = logging.getLogger("timeline.web")


@dataclass(frozen=True)
class Snapshot:
    """One loaded version of the timeline file (`timeline` None: no file yet)."""

    timeline: Timeline | None
    version: str
    index: EventIndex | None = None
    events_json: list[bytes] = field(default_factory=list)
    articles_json: dict[str, bytes] = field(default_factory=dict)
    error: str | None = None

    @classmethod
    def of(cls, timeline: Timeline, version: str) -> Snapshot:
        return cls(
            timeline=timeline,
            version=version,
            index=EventIndex(timeline),
            events_json=[e.model_dump_json().encode() for e in timeline.events],
            articles_json={a.id: a.model_dump_json().encode() for a in timeline.articles},
        )

    @property
    def articles(self) -> dict[str, TimelineArticle]:
        return self.index.articles if self.index else {}


def _signature(path: Path) -> tuple[int, int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_dev, stat.st_size, stat.st_mtime_ns)


class TimelineFile:
    """The timeline JSON at `path`, kept loaded and current by a watcher thread."""

    def __init__(self, path: Path, *, recheck: float = 0.5) -> None:
        self.path = path
        self.recheck = recheck
        self._signature: tuple[int, int, int, int] | None = None
        self.snapshot = Snapshot(timeline=None, version="none", error=f"{path} not found")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.refresh()

    def refresh(self) -> bool:
        """Load the file if it changed since the last look; True when a new version is now served."""
        signature = _signature(self.path)
        if signature == self._signature:
            return False
        self._signature = signature
        if signature is None:
            if self.snapshot.timeline is None:
                self.snapshot = Snapshot(timeline=None, version="none", error=f"{self.path} not found")
            return False
        try:
            data = self.path.read_bytes()
            version = hashlib.sha256(data).hexdigest()[:16]
            if version == self.snapshot.version:
                return False
            timeline = Timeline.model_validate_json(data)
        except (OSError, ValidationError) as exc:
            reason = (
                exc.strerror
                if isinstance(exc, OSError)
                else f"not a timeline JSON file ({exc.errors()[0]['msg']})"
            )
            log.warning("timeline file=%s status=unreadable error=%r", self.path, reason)
            self.snapshot = Snapshot(
                timeline=self.snapshot.timeline,
                version=self.snapshot.version,
                index=self.snapshot.index,
                events_json=self.snapshot.events_json,
                articles_json=self.snapshot.articles_json,
                error=f"{self.path}: {reason}",
            )
            return False
        self.snapshot = Snapshot.of(timeline, version)
        log.info("timeline file=%s version=%s events=%d", self.path, version, len(timeline.events))
        return True

    def start(self) -> None:
        """Watch the file from a daemon thread until `stop`."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._watch, name="timeline-watch", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    def _watch(self) -> None:
        while not self._stop.wait(self.recheck):
            try:
                self.refresh()
            except Exception:  # a surprise must not end the watching; the last version stays served
                log.exception("timeline file=%s status=failed", self.path)


class StoreAccess:
    """The store, opened on first use so that the server starts (and says so in /healthz) while the
    database is unreachable; None as URL means the server reads a timeline file alone."""

    def __init__(self, url: str | None, *, max_failures: int = 10) -> None:
        self.url = url
        self.max_failures = max_failures
        self._store: Store | None = None
        self._lock = threading.Lock()

    @property
    def configured(self) -> bool:
        return self.url is not None

    def _open(self) -> Store:
        with self._lock:
            if self._store is None:
                if self.url is None:
                    raise StoreError("no store configured")
                self._store = Store.open(self.url, max_failures=self.max_failures)
            return self._store

    def feeds(self) -> list[FeedState]:
        """Every feed with its polling state (StoreError when the store cannot be reached)."""
        return self._open().list_feeds()

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None
