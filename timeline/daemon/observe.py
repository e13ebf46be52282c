"""What the daemon tells an observer (the web server's Prometheus metrics) as it works.

The daemon calls `poll` after each feed poll, `round` once every poll one dispatch started is done,
and `rebuild` after each timeline rebuild. `NullObserver` is the default; an observer must be quick
and thread-safe (polls end on worker threads) and must not raise.
"""

from __future__ import annotations

import concurrent.futures as cf
import threading
import time
from collections.abc import Sequence
from typing import Any, Protocol


class DaemonObserver(Protocol):
    """Receives the daemon's measurements."""

    def poll(self, status: str, duration: float) -> None:
        """One feed poll ended with `status` ("200", "304", "timeout"...) after `duration` seconds."""

    def round(self, duration: float, polls: int) -> None:
        """The `polls` polls one dispatch started all ended, `duration` seconds after it started them."""

    def rebuild(self, duration: float, full: bool) -> None:
        """The timeline was rebuilt in `duration` seconds, by a full merge or an incremental one."""


class NullObserver:
    """Observes nothing."""

    def poll(self, status: str, duration: float) -> None:
        pass

    def round(self, duration: float, polls: int) -> None:
        pass

    def rebuild(self, duration: float, full: bool) -> None:
        pass


def watch_round(observer: DaemonObserver, futures: Sequence[cf.Future[Any]]) -> None:
    """Report one round to `observer` when the last of `futures` (one dispatch's polls) is done."""
    if not futures:
        return
    started = time.monotonic()
    left = [len(futures)]
    lock = threading.Lock()

    def done(_future: cf.Future[Any]) -> None:
        with lock:
            left[0] -= 1
            last = left[0] == 0
        if last:
            observer.round(time.monotonic() - started, len(futures))

    for future in futures:
        future.add_done_callback(done)
