"""Who may poll and who writes the timeline: one daemon per SQLite file, one JSON writer among replicas.

SQLite is the embedded store of one process: a daemon (or `timeline poll --once`) holds an exclusive
`flock` on `<database>.daemon.lock` for its whole life, and a second one on the same file is refused
with a message naming the first one's pid. The kernel drops the lock when the process dies, even by
SIGKILL, so a crash never leaves the store locked.

On PostgreSQL any number of replicas poll (their claims share the feeds out), and the one holding a
session advisory lock, keyed by the output path, writes the JSON. It holds it on a connection of its
own; if that replica dies, PostgreSQL drops the lock with the connection, and another replica, trying
every few seconds, takes over with a full merge.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import zlib
from pathlib import Path
from typing import IO, Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from timeline.store import Store, StoreError

# high half of every advisory key we take: "tl" in ASCII, apart from the migration lock's key
_LOCK_SPACE = 0x746C << 32


def claim_sqlite_store(url: str) -> IO[str] | None:
    """Hold the SQLite store's daemon lock for this process (None for other databases); StoreError if
    another process holds it."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    database = Path(parsed.database).expanduser().resolve()
    lock_path = database.with_name(database.name + ".daemon.lock")
    handle = lock_path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise StoreError(
            f"another timeline daemon (pid {holder}) is already polling the SQLite store {database}; "
            "stop it first, or run replicas on PostgreSQL (README: Running replicas)"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle


def release_sqlite_store(handle: IO[str] | None) -> None:
    """Let the next daemon in."""
    if handle is not None:
        with contextlib.suppress(OSError):
            fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


class TimelineWriter:
    """Whether this process writes the timeline JSON now: always on SQLite (one process), on PostgreSQL
    while it holds the advisory lock for `output`."""

    def __init__(self, store: Store, output: Path) -> None:
        self.store = store
        self.key = _LOCK_SPACE | zlib.crc32(str(output).encode("utf-8"))
        self.shared = store.engine.dialect.name == "postgresql"
        self._conn: Any = None
        self._lock = threading.Lock()  # the rebuild thread and the watch job both ask

    def held(self) -> bool:
        """True while this process is the writer; tries to become it when it is not."""
        if not self.shared:
            return True
        with self._lock:
            return self._held()

    def _held(self) -> bool:
        if self._conn is not None:
            try:
                self._conn.exec_driver_sql("SELECT 1")
                return True
            except SQLAlchemyError:  # the connection, and with it the lock, is gone
                self._drop()
        try:
            conn = self.store.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        except SQLAlchemyError:
            return False
        try:
            got = conn.exec_driver_sql(f"SELECT pg_try_advisory_lock({int(self.key)})").scalar()
        except SQLAlchemyError:
            got = False
        if got:
            self._conn = conn
            return True
        conn.close()
        return False

    def _drop(self) -> None:
        with contextlib.suppress(Exception):
            self._conn.invalidate()
        self._conn = None

    def release(self) -> None:
        """Give the lock up (closing its connection frees it)."""
        with self._lock:
            self._release()

    def _release(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.exec_driver_sql(f"SELECT pg_advisory_unlock({int(self.key)})")
                self._conn.close()
            self._conn = None
