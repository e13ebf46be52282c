"""`/healthz`: the store answers, a feed poll succeeded recently enough, the timeline file reads.

"The last successful round" is the latest poll of any feed whose last poll succeeded (200 or 304),
as the store records it, so it is the same whether the daemon runs in this process or beside it.
Before any success the server's own start time stands in, so a fresh start is healthy until the limit.
"""

from __future__ import annotations

import datetime as dt

from timeline.models import Health
from timeline.store import FeedState, StoreError
from timeline.web.state import Snapshot, StoreAccess


def last_success(feeds: list[FeedState]) -> dt.datetime | None:
    """The latest poll of a feed whose last poll did not fail."""
    times = [f.last_polled_at for f in feeds if f.last_polled_at is not None and f.error_count == 0]
    return max(times) if times else None


def check(
    snapshot: Snapshot,
    store: StoreAccess,
    *,
    max_round_age: float,
    started_at: dt.datetime,
    now: dt.datetime,
) -> Health:
    """Every check's outcome; `status` is "unhealthy" when any found a problem."""
    problems: list[str] = []
    store_state: str | None = None
    last: dt.datetime | None = None
    age: float | None = None
    if store.configured:
        try:
            feeds = store.feeds()
        except StoreError as exc:
            store_state = str(exc)
            problems.append(f"store: {exc}")
        else:
            store_state = "ok"
            last = last_success(feeds)
            polled = [f for f in feeds if not (f.disabled or f.flagged)]
            if last is not None:
                age = max((now - last).total_seconds(), 0.0)
            if polled and max_round_age > 0:
                waited = age if age is not None else (now - started_at).total_seconds()
                if waited > max_round_age:
                    since = (
                        f"last successful poll {age:.0f} s ago" if age is not None else "no successful poll"
                    )
                    problems.append(f"{since}, past the limit of {max_round_age:.0f} s")
    if snapshot.error and snapshot.timeline is not None:
        problems.append(snapshot.error)  # a replaced file that does not read; the old one is served
    timeline = snapshot.timeline
    return Health(
        status="unhealthy" if problems else "ok",
        problems=problems,
        store=store_state,
        last_round_at=last,
        last_round_age_seconds=age,
        max_round_age_seconds=(max_round_age or None) if store.configured else None,
        timeline_generated_at=timeline.generated_at if timeline else None,
        events=len(timeline.events) if timeline else 0,
    )
