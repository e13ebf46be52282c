"""Two `timeline daemon` replicas on one PostgreSQL store, as real processes against a real feed server.

A small version of `benchmarks/daemon_load.py --store postgresql --replicas 2`: the replicas share the
feeds through claims (no feed fetched by both), store every item once, one of them writes the JSON,
and when that one is killed with SIGKILL the other polls its feeds and takes over the JSON.
"""

from __future__ import annotations

import datetime as dt
import signal
import time

import pytest
from daemonkit import read_json, start_daemon, wait_for, write_config
from feedserver import Item
from sqlalchemy import func, select

from timeline.store import Store
from timeline.store.schema import articles, mentions

FEEDS = 12
INTERVAL = 2.0
LEASE = 4.0


def _item(feed: int, n: int) -> Item:
    return Item(
        guid=f"urn:farm:{feed}:{n}",
        title=f"Border talks, feed {feed} item {n}",
        text=f"Officials met in Mexico City on {n + 1} January 2024 for round {n} of the talks.",
        published=dt.datetime(2024, 1, n + 2, 9, 0, tzinfo=dt.UTC),
    )


def _fetched_by_both(requests: list, since: float) -> int:
    """Fetches of one feed closer together than half its interval: two replicas polling it at once."""
    by_path: dict[str, list[float]] = {}
    for r in requests:
        if r.at >= since and r.path.startswith("/f"):
            by_path.setdefault(r.path, []).append(r.at)
    return sum(
        b - a < INTERVAL / 2 for times in by_path.values() for a, b in zip(times, times[1:], strict=False)
    )


@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
def test_two_replicas_share_the_feeds_and_survive_a_kill(tmp_path, feed_server, daemons, store_url):
    pg_url = store_url
    for k in range(FEEDS):
        feed_server.extra[f"/f{k}.xml"] = [_item(k, n) for n in range(2)]
    feeds = [{"url": feed_server.url(f"/f{k}.xml"), "name": f"f{k}", "interval": "2s"} for k in range(FEEDS)]
    config = write_config(tmp_path, feeds, store_url=pg_url, lease=f"{LEASE:g}s")
    output = tmp_path / "timeline.json"
    replicas = [start_daemon(tmp_path, config, f"replica{n}.log") for n in range(2)]
    daemons.extend(replicas)

    def json_ids() -> set[str]:
        return {a["id"] for a in (read_json(output) or {}).get("articles", [])}

    assert wait_for(lambda: len(json_ids()) == 2 * FEEDS, 90), (tmp_path / "replica0.log").read_text()
    warm = time.monotonic()
    for k in range(0, FEEDS, 3):  # new items while both run
        with feed_server.lock:
            feed_server.extra[f"/f{k}.xml"].append(_item(k, 2))
    assert wait_for(lambda: len(json_ids()) == 2 * FEEDS + 4, 90)
    time.sleep(2 * INTERVAL)
    both = _fetched_by_both(feed_server.requests, warm)
    polls = sum(r.at >= warm and r.path.startswith("/f") for r in feed_server.requests)
    assert polls >= FEEDS and both <= 0.05 * polls, (both, polls)
    logs = [(tmp_path / f"replica{n}.log").read_text() for n in range(2)]
    assert all(" poll feed=" in log for log in logs)  # both did part of the polling
    writer = next(n for n, log in enumerate(logs) if 'writer="this replica"' in log)

    killed_at = time.monotonic()
    replicas[writer].send_signal(signal.SIGKILL)
    replicas[writer].wait(10)
    for k in range(1, FEEDS, 3):
        with feed_server.lock:
            feed_server.extra[f"/f{k}.xml"].append(_item(k, 3))
    # every feed is polled again by the survivor within the lease plus an interval (and some slack
    # for a loaded machine), and the survivor takes the JSON over
    deadline = LEASE + INTERVAL + 4

    def all_polled_again() -> bool:
        seen = {r.path for r in feed_server.requests if r.at > killed_at + LEASE}
        return all(f"/f{k}.xml" in seen for k in range(FEEDS))

    assert wait_for(all_polled_again, deadline + 10)
    assert wait_for(lambda: len(json_ids()) == 2 * FEEDS + 8, 60)
    survivor = replicas[1 - writer]
    survivor.send_signal(signal.SIGTERM)
    assert survivor.wait(15) == 0

    with Store.open(pg_url) as store, store.engine.connect() as conn:
        stored = {a.id for a in store.articles()}
        rows = conn.execute(select(func.count()).select_from(articles)).scalar()
        keys = conn.execute(select(func.count(func.distinct(articles.c.feed_id)))).scalar()
        dup_mentions = conn.execute(
            select(mentions.c.article_id, mentions.c.position)
            .group_by(mentions.c.article_id, mentions.c.position)
            .having(func.count() > 1)
        ).all()
    assert rows == len(stored) == 2 * FEEDS + 8 and keys == FEEDS
    assert dup_mentions == []
    assert json_ids() == stored  # the JSON ends equal to the store
