"""Feeds and polling state in the store, on every configured backend."""

from __future__ import annotations

import datetime as dt

import pytest

from timeline.config import FeedConfig
from timeline.errors import InputError
from timeline.store import Store

T0 = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)


def test_add_feed_is_idempotent_and_due_at_once(store: Store) -> None:
    first = store.add_feed("http://127.0.0.1:8000/rss", name="Local", interval=60, language="de", now=T0)
    again = store.add_feed("http://127.0.0.1:8000/rss", name="Other", now=T0)
    assert again.id == first.id and again.name == "Local" and again.language == "de"
    assert [f.id for f in store.list_feeds()] == [first.id]
    assert [f.id for f in store.due_feeds(T0)] == [first.id]
    assert first.next_check_at == T0 and first.next_check_at.tzinfo is not None


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/feed",
        "example.org/rss",
        "http://",
        "",
        "http://h/" + "x" * 3000,
    ],
)
def test_add_feed_refuses_non_http_urls(store: Store, url: str) -> None:
    with pytest.raises(InputError, match="invalid feed URL"):
        store.add_feed(url)
    assert store.list_feeds() == []


def test_due_feeds_skips_future_disabled_and_flagged(store: Store) -> None:
    soon, later, gone, bad = (
        store.add_feed(f"http://h/{n}", now=T0) for n in ("soon", "later", "gone", "bad")
    )
    store.record_poll(soon.id, status=200, next_check_at=T0 + dt.timedelta(seconds=10), polled_at=T0)
    store.record_poll(later.id, status=200, next_check_at=T0 + dt.timedelta(hours=1), polled_at=T0)
    store.record_poll(gone.id, status=410, next_check_at=T0, disabled=True, error="gone")
    store.max_failures = 1
    store.record_poll(bad.id, status=500, next_check_at=T0, failed=True, error="HTTP 500")
    assert store.due_feeds(T0) == []
    assert [f.id for f in store.due_feeds(T0 + dt.timedelta(seconds=10))] == [soon.id]
    assert [f.id for f in store.due_feeds(T0 + dt.timedelta(days=1))] == [soon.id, later.id]


def test_failures_count_up_flag_the_feed_and_a_success_resets(store: Store) -> None:
    store.max_failures = 3
    feed = store.add_feed("http://h/rss", now=T0)
    for n in range(1, 4):
        state = store.record_poll(feed.id, status="timeout", next_check_at=T0, failed=True, error=f"try {n}")
        assert state.error_count == n and state.last_error == f"try {n}"
        assert state.flagged is (n == 3)
    assert store.due_feeds(T0 + dt.timedelta(days=1)) == []
    state = store.enable_feed(feed.url, now=T0)
    assert (state.flagged, state.error_count) == (False, 0)
    store.record_poll(feed.id, status=500, next_check_at=T0, failed=True, error="x")
    state = store.record_poll(feed.id, status=304, next_check_at=T0)
    assert (state.error_count, state.last_error, state.last_status) == (0, None, "304")


def test_validators_are_kept_unless_given(store: Store) -> None:
    feed = store.add_feed("http://h/rss", now=T0)
    state = store.record_poll(
        feed.id, status=200, next_check_at=T0, etag='"v1"', last_modified="Mon, 01 Jan 2026"
    )
    assert (state.etag, state.last_modified) == ('"v1"', "Mon, 01 Jan 2026")
    state = store.record_poll(feed.id, status=500, next_check_at=T0, failed=True)
    assert (state.etag, state.last_modified) == ('"v1"', "Mon, 01 Jan 2026")
    state = store.record_poll(feed.id, status=200, next_check_at=T0, etag=None, last_modified=None)
    assert (state.etag, state.last_modified) == (None, None)


def test_permanent_redirect_moves_the_feed_and_sync_does_not_readd_it(store: Store) -> None:
    old = "http://h/old.xml"
    feed = store.add_feed(old, now=T0)
    state = store.record_poll(feed.id, status=301, next_check_at=T0, new_url="http://h/new.xml")
    assert state.url == "http://h/new.xml" and state.origin_url == old
    synced = store.sync_feeds([FeedConfig(url=old, interval="1s", name="Renamed")])
    assert [f.id for f in synced] == [feed.id]
    (only,) = store.list_feeds()
    assert (only.url, only.interval, only.name) == ("http://h/new.xml", 1.0, "Renamed")
    assert store.get_feed(old).id == store.get_feed("http://h/new.xml").id == feed.id


def test_redirect_onto_a_subscribed_url_disables_the_duplicate(store: Store) -> None:
    a = store.add_feed("http://h/a", now=T0)
    b = store.add_feed("http://h/b", now=T0)
    state = store.record_poll(a.id, status=301, next_check_at=T0, new_url=b.url)
    assert state.url == "http://h/a" and state.disabled and str(b.id) in state.last_error


def test_sync_feeds_adds_config_feeds_and_leaves_others(store: Store) -> None:
    manual = store.add_feed("http://h/manual", now=T0)
    store.sync_feeds(
        [FeedConfig(url="http://h/one", interval="15m"), FeedConfig(url="http://h/two", language="fr")]
    )
    store.sync_feeds([FeedConfig(url="http://h/one", interval="2h")])
    feeds = {f.url: f for f in store.list_feeds()}
    assert set(feeds) == {manual.url, "http://h/one", "http://h/two"}
    assert feeds["http://h/one"].interval == 7200.0 and feeds["http://h/two"].language == "fr"


def test_remove_feed_by_id_or_url_and_unknown_is_an_input_error(store: Store) -> None:
    a = store.add_feed("http://h/a", now=T0)
    b = store.add_feed("http://h/b", now=T0)
    assert store.remove_feed(str(a.id)).url == a.url
    assert store.remove_feed(b.url).id == b.id
    assert store.list_feeds() == []
    with pytest.raises(InputError, match="no feed"):
        store.remove_feed("http://h/a")


def test_record_poll_on_unknown_feed_is_an_input_error(store: Store) -> None:
    with pytest.raises(InputError):
        store.record_poll(999, status=200, next_check_at=T0)


def test_concurrent_adds_of_one_url_give_one_feed(store: Store) -> None:
    import threading
    from concurrent.futures import ThreadPoolExecutor

    barrier = threading.Barrier(6)

    def add(n: int) -> int:
        barrier.wait()
        return store.add_feed("http://h/same", name=f"n{n}").id

    for _ in range(3):
        with ThreadPoolExecutor(6) as pool:
            ids = set(pool.map(add, range(6)))
        assert len(ids) == 1 and len(store.list_feeds()) == 1
        store.remove_feed("http://h/same")


def test_redirect_to_an_unacceptable_url_is_not_followed(store: Store) -> None:
    feed = store.add_feed("http://h/rss", now=T0)
    state = store.record_poll(feed.id, status=301, next_check_at=T0, new_url="file:///etc/passwd")
    assert state.url == "http://h/rss" and "refused permanent redirect" in state.last_error
    assert not state.disabled and state.error_count == 0


def test_a_shorter_configured_interval_pulls_the_next_check_in(store: Store) -> None:
    store.sync_feeds([FeedConfig(url="http://h/rss", interval="1d")], now=T0)
    (feed,) = store.list_feeds()
    store.record_poll(feed.id, status=200, next_check_at=T0 + dt.timedelta(days=1), polled_at=T0)
    (feed,) = store.sync_feeds([FeedConfig(url="http://h/rss", interval="1m")], now=T0)
    assert feed.interval == 60.0 and store.get_feed(feed.id).next_check_at == T0 + dt.timedelta(minutes=1)
    (feed,) = store.sync_feeds([FeedConfig(url="http://h/rss", interval="1h")], now=T0)
    assert store.get_feed(feed.id).next_check_at == T0 + dt.timedelta(minutes=1)
