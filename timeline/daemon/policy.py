"""When to poll a feed next: its interval after a success, Retry-After when asked, else back-off."""

from __future__ import annotations

import datetime as dt
import random


def _at(now: dt.datetime, seconds: float) -> dt.datetime:
    return now + dt.timedelta(seconds=seconds)


def after_success(now: dt.datetime, interval: float, *, jitter: float = 0.0) -> dt.datetime:
    """The next check after a good poll (200 or 304): one interval later, plus a random jitter so that
    feeds added together do not stay in lock-step."""
    return _at(now, interval + (random.uniform(0.0, jitter) if jitter > 0 else 0.0))


def backoff_seconds(interval: float, failures: int, *, max_backoff: float) -> float:
    """Exponential back-off: the interval doubled per consecutive failure, capped at `max_backoff`
    (never below the feed's own interval)."""
    exponent = min(max(failures - 1, 0), 32)
    return min(interval * (2.0**exponent), max(max_backoff, interval))


def after_failure(
    now: dt.datetime, interval: float, failures: int, *, max_backoff: float, jitter: float = 0.0
) -> dt.datetime:
    """The next check after the `failures`-th consecutive failed poll."""
    delay = backoff_seconds(interval, failures, max_backoff=max_backoff)
    return _at(now, delay + (random.uniform(0.0, jitter) if jitter > 0 else 0.0))


def after_throttle(
    now: dt.datetime,
    interval: float,
    previous_delay: float | None,
    retry_after: float | None,
    *,
    max_backoff: float,
) -> dt.datetime:
    """The next check after a 429/503: its Retry-After if it sent one, else twice the wait before
    (`previous_delay`, when the poll before was throttled too), at least twice the interval; never
    beyond `max_backoff` (or the interval, if that is longer)."""
    if retry_after is not None:
        return after_retry_after(now, interval, retry_after, max_backoff=max_backoff)
    delay = max(2 * (previous_delay or 0.0), 2 * interval)
    return _at(now, min(delay, max(max_backoff, interval)))


def after_retry_after(
    now: dt.datetime, interval: float, retry_after: float, *, max_backoff: float
) -> dt.datetime:
    """The next check after a 429/503 with Retry-After: not before the server asked, nor before the
    feed's interval; a server asking for more than `max_backoff` gets `max_backoff`."""
    return _at(now, max(min(retry_after, max(max_backoff, interval)), interval))
