"""When a feed is polled next: interval, exponential back-off with its cap, Retry-After with its cap."""

from __future__ import annotations

import datetime as dt

from timeline.daemon import policy

NOW = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)


def _after(moment: dt.datetime) -> float:
    return (moment - NOW).total_seconds()


def test_backoff_doubles_per_failure_up_to_the_cap():
    delays = [policy.backoff_seconds(900, n, max_backoff=86400) for n in range(1, 10)]
    assert delays == [900, 1800, 3600, 7200, 14400, 28800, 57600, 86400, 86400]
    assert policy.backoff_seconds(900, 10_000, max_backoff=86400) == 86400


def test_backoff_never_goes_below_the_feeds_own_interval():
    assert policy.backoff_seconds(7200, 1, max_backoff=600) == 7200
    assert policy.backoff_seconds(7200, 5, max_backoff=600) == 7200


def test_success_waits_one_interval_plus_at_most_the_jitter():
    assert _after(policy.after_success(NOW, 60)) == 60
    spread = {_after(policy.after_success(NOW, 60, jitter=30)) for _ in range(50)}
    assert all(60 <= s <= 90 for s in spread) and len(spread) > 1


def test_retry_after_is_honoured_within_interval_and_cap():
    assert _after(policy.after_retry_after(NOW, 60, 300, max_backoff=86400)) == 300
    assert _after(policy.after_retry_after(NOW, 60, 5, max_backoff=86400)) == 60
    assert _after(policy.after_retry_after(NOW, 60, 10**9, max_backoff=3600)) == 3600


def test_failure_schedule_uses_the_consecutive_count():
    assert _after(policy.after_failure(NOW, 1, 1, max_backoff=3600)) == 1
    assert _after(policy.after_failure(NOW, 1, 4, max_backoff=3600)) == 8


def test_a_throttled_feed_waits_twice_as_long_each_time_within_max_backoff() -> None:
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

    def wait(previous: float | None, retry_after: float | None = None) -> float:
        at = policy.after_throttle(now, 60, previous, retry_after, max_backoff=1000)
        return (at - now).total_seconds()

    assert [wait(None), wait(120), wait(480), wait(900)] == [120, 240, 960, 1000]
    assert wait(480, retry_after=30) == 60  # the server said when: not sooner than the interval
