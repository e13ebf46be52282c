"""Claims with leases, idempotent writes, the change counter and guarded publishing, on every backend.

Concurrency is real: threads with their own connections to one store, as replicas have."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from store_helpers import make_article, make_mention

from timeline.store import ClaimLostError, Store, article_id
from timeline.store.schema import mentions

T0 = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)


def _feeds(store: Store, n: int) -> list[int]:
    return [store.add_feed(f"http://h/{k}", now=T0).id for k in range(n)]


def test_a_claimed_feed_is_not_claimed_again_until_its_lease_lapses(store: Store) -> None:
    ids = _feeds(store, 3)
    first = store.claim_due(limit=2, lease=60, now=T0)
    assert [f.id for f in first] == ids[:2] and all(f.claim for f in first)
    second = store.claim_due(limit=5, lease=60, now=T0)
    assert [f.id for f in second] == ids[2:]
    assert store.claim_due(limit=5, lease=60, now=T0 + dt.timedelta(seconds=59)) == []
    lapsed = store.claim_due(limit=5, lease=60, now=T0 + dt.timedelta(seconds=61))
    assert sorted(f.id for f in lapsed) == ids


def test_record_poll_applies_only_while_the_claim_holds(store: Store) -> None:
    (feed_id,) = _feeds(store, 1)
    (old,) = store.claim_due(limit=1, lease=10, now=T0)
    (new,) = store.claim_due(limit=1, lease=10, now=T0 + dt.timedelta(seconds=11))  # the lease lapsed
    with pytest.raises(ClaimLostError):
        store.record_poll(feed_id, status=200, next_check_at=T0 + dt.timedelta(hours=9), claim=old.claim)
    assert store.get_feed(feed_id).last_status is None
    later = T0 + dt.timedelta(minutes=15)
    state = store.record_poll(feed_id, status=304, next_check_at=later, claim=new.claim)
    assert (state.last_status, state.next_check_at, state.claim, state.lease_until) == (
        "304",
        later,
        None,
        None,
    )
    assert store.claim_due(limit=1, lease=10, now=T0 + dt.timedelta(minutes=1)) == []


def test_a_released_claim_is_due_again_at_once(store: Store) -> None:
    (feed_id,) = _feeds(store, 1)
    (held,) = store.claim_due(limit=1, lease=600, now=T0)
    store.release_claim(feed_id, held.claim)
    assert [f.id for f in store.claim_due(limit=1, lease=600, now=T0)] == [feed_id]


def test_concurrent_claims_never_share_a_feed(store: Store) -> None:
    _feeds(store, 40)
    barrier = threading.Barrier(8)

    def claim(_: int) -> list[int]:
        barrier.wait()
        got: list[int] = []
        while batch := store.claim_due(limit=3, lease=60, now=T0):
            got.extend(f.id for f in batch)
        return got

    with ThreadPoolExecutor(8) as pool:
        claimed = [i for got in pool.map(claim, range(8)) for i in got]
    assert len(claimed) == len(set(claimed)) == 40


def test_concurrent_upserts_of_one_entry_give_one_new_and_no_errors(store: Store) -> None:
    (feed_id,) = _feeds(store, 1)
    barrier = threading.Barrier(6)

    def upsert(_: int) -> str:
        barrier.wait()
        return store.upsert_article(feed_id, "entry-1", make_article("Talks resumed on 27 December."))

    with ThreadPoolExecutor(6) as pool:
        outcomes = sorted(pool.map(upsert, range(6)))
    assert outcomes == ["new"] + ["unchanged"] * 5
    assert len(store.articles()) == 1


def test_mentions_are_saved_once_for_the_text_they_came_from(store: Store) -> None:
    (feed_id,) = _feeds(store, 1)
    store.upsert_article(feed_id, "e", make_article("First text."))
    ident = article_id(feed_id, "e")
    (stale,) = store.articles_needing_extraction()
    from timeline.store import content_hash

    first_hash = content_hash(stale)
    store.upsert_article(feed_id, "e", make_article("Second text."))
    assert not store.save_mentions(ident, [make_mention(ident, "2023-12-25")], extracted_from=first_hash)
    current = content_hash(store.article(ident))
    barrier = threading.Barrier(4)

    def save(_: int) -> bool:
        barrier.wait()
        found = [make_mention(ident, "2023-12-26"), make_mention(ident, "2023-12-27")]
        return store.save_mentions(ident, found, extracted_from=current)

    with ThreadPoolExecutor(4) as pool:
        saved = list(pool.map(save, range(4)))
    assert saved.count(True) == 1
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(mentions)).scalar() == 2
    assert store.articles_needing_extraction() == []


def test_every_change_to_articles_counts_and_nothing_else_does(store: Store) -> None:
    start = store.version()
    (feed_id,) = _feeds(store, 1)
    store.record_poll(feed_id, status=200, next_check_at=T0)
    assert store.version() == start
    store.upsert_article(feed_id, "e", make_article("One."))
    store.upsert_article(feed_id, "e", make_article("One."))  # unchanged
    ident = article_id(feed_id, "e")
    store.save_mentions(ident, [make_mention(ident, "2023-12-25")])
    store.upsert_article(feed_id, "e", make_article("Two."), mentions=[])
    assert store.version() == start + 3
    store.remove_feed(feed_id)
    assert store.version() == start + 4


def test_an_older_build_is_never_published_over_a_newer_one(store: Store) -> None:
    written: list[int] = []
    assert store.publish("/out/timeline.json", 5, lambda: written.append(5))
    assert not store.publish("/out/timeline.json", 4, lambda: written.append(4))
    assert store.publish("/out/timeline.json", 5, lambda: written.append(55))
    assert store.publish("/out/other.json", 1, lambda: written.append(1))
    assert written == [5, 55, 1]
