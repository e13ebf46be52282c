"""Retrieval against a real local HTTP server: conditional GET, caps, timeouts, redirects, URL guard."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time

import pytest

from timeline.sources.http import (
    ConnectionFailedError,
    Fetcher,
    FetchTimeoutError,
    GuardedBackend,
    HTTPStatusError,
    Resolver,
    ResponseTooLargeError,
    UnsafeURLError,
    parse_retry_after,
)

UA = "timeline-test/1.0 (+tests)"


@pytest.fixture
def fetcher():
    with Fetcher(timeout=1.0, user_agent=UA, max_bytes=10_000_000, allow_private_addresses=True) as f:
        yield f


def test_conditional_get_answers_304_with_stored_validators(feed_server, fetcher):
    first = fetcher.fetch(feed_server.url("/rss.xml"))
    assert first.status == 200 and first.content and first.etag
    second = fetcher.fetch(feed_server.url("/rss.xml"), etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.content is None
    seen = feed_server.seen("/rss.xml")
    assert [r.status for r in seen] == [200, 304]
    assert seen[0].if_none_match is None and seen[1].if_none_match == first.etag
    assert {r.user_agent for r in seen} == {UA}


def test_changed_feed_answers_200_despite_old_etag(feed_server, fetcher):
    first = fetcher.fetch(feed_server.url("/atom.xml"))
    feed_server.atom_items.pop()
    again = fetcher.fetch(feed_server.url("/atom.xml"), etag=first.etag)
    assert again.status == 200 and again.etag != first.etag


def test_server_that_never_answers_is_cut_off_by_the_timeout(feed_server, fetcher):
    started = time.monotonic()
    with pytest.raises(FetchTimeoutError):
        fetcher.fetch(feed_server.url("/slow.xml"))
    assert time.monotonic() - started < 3.0


def test_body_over_max_bytes_is_refused_while_streaming(feed_server, fetcher):
    started = time.monotonic()
    with pytest.raises(ResponseTooLargeError, match="max_bytes"):
        fetcher.fetch(feed_server.url("/huge.xml"))
    assert time.monotonic() - started < 5.0


def test_declared_length_over_cap_is_refused_before_reading(feed_server):
    with (
        Fetcher(timeout=1.0, max_bytes=1000, allow_private_addresses=True) as small,
        pytest.raises(ResponseTooLargeError, match="exceeds"),
    ):
        small.fetch(feed_server.url("/rss.xml"))


def test_permanent_redirect_is_followed_and_reported(feed_server, fetcher):
    result = fetcher.fetch(feed_server.url("/moved.xml"))
    assert result.status == 200
    assert result.permanent_url == feed_server.url("/rss.xml")
    assert result.url == feed_server.url("/rss.xml")


def test_plain_feed_reports_no_new_url(feed_server, fetcher):
    assert fetcher.fetch(feed_server.url("/rss.xml")).permanent_url is None


@pytest.mark.parametrize(("path", "code"), [("/gone.xml", 410), ("/500.xml", 500), ("/nothing.xml", 404)])
def test_error_statuses_are_typed(feed_server, fetcher, path, code):
    with pytest.raises(HTTPStatusError) as caught:
        fetcher.fetch(feed_server.url(path))
    assert caught.value.code == code and caught.value.status == str(code)


def test_429_carries_retry_after(feed_server, fetcher):
    feed_server.retry_after = "7"
    with pytest.raises(HTTPStatusError) as caught:
        fetcher.fetch(feed_server.url("/busy.xml"))
    assert caught.value.code == 429 and caught.value.retry_after == 7.0


def test_retry_after_as_http_date():
    now = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)
    assert parse_retry_after("Thu, 01 Jan 2026 12:01:30 GMT", now=now) == 90.0
    assert parse_retry_after("Thu, 01 Jan 2026 11:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon", now=now) is None
    assert parse_retry_after(None) is None


def test_loopback_is_refused_unless_allowed(feed_server):
    with Fetcher(timeout=1.0) as guarded:
        for host in ("127.0.0.1", "localhost"):
            url = feed_server.url("/rss.xml").replace("127.0.0.1", host)
            with pytest.raises(UnsafeURLError, match="allow_private_addresses"):
                guarded.fetch(url)
    assert feed_server.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/feed.xml",
        "gopher://example.org/",
        "http://10.1.2.3/feed",
        "http://192.168.0.1/feed",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/feed",
        "http://[::ffff:127.0.0.1]/feed",
        "http://0.0.0.0/feed",
        "http:///nohost",
    ],
)
def test_private_and_non_http_urls_are_refused(url):
    with Fetcher(timeout=1.0) as guarded, pytest.raises(UnsafeURLError):
        guarded.fetch(url)


def test_file_scheme_is_refused_even_when_private_addresses_are_allowed(fetcher):
    with pytest.raises(UnsafeURLError, match="scheme"):
        fetcher.fetch("file:///etc/passwd")


def test_every_redirect_hop_is_checked(feed_server, fetcher):
    with pytest.raises(UnsafeURLError, match="file"):
        fetcher.fetch(feed_server.url("/to-file.xml"))


def test_connect_time_guard_refuses_loopback_sockets(feed_server):
    port = int(feed_server.base.rsplit(":", 1)[1])
    with pytest.raises(UnsafeURLError):
        GuardedBackend().connect_tcp("127.0.0.1", port, timeout=1.0)
    assert feed_server.requests == []


def test_refused_connection_is_a_typed_error(fetcher):
    with pytest.raises(ConnectionFailedError):
        fetcher.fetch("http://127.0.0.1:9/feed.xml")


def test_last_modified_alone_gives_a_conditional_get(feed_server, fetcher):
    feed_server.no_etag.add("/atom.xml")
    first = fetcher.fetch(feed_server.url("/atom.xml"))
    assert first.etag is None and first.last_modified
    second = fetcher.fetch(feed_server.url("/atom.xml"), last_modified=first.last_modified)
    assert second.not_modified
    assert feed_server.seen("/atom.xml")[1].if_modified_since == first.last_modified


def test_a_resolver_that_stalls_is_cut_off_by_the_timeout(monkeypatch):
    # The system resolver is the one piece not ours: make it stall as an unreachable DNS server does.
    monkeypatch.setattr("socket.getaddrinfo", lambda *args, **kwargs: time.sleep(30))
    started = time.monotonic()
    with Fetcher(timeout=0.5) as guarded, pytest.raises(FetchTimeoutError, match="cannot resolve host"):
        guarded.fetch("http://feeds.example.com/rss.xml")
    assert time.monotonic() - started < 3


def test_a_name_that_does_not_resolve_is_a_connection_error(monkeypatch):
    def no_such_host(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr("socket.getaddrinfo", no_such_host)
    with Fetcher(timeout=0.5) as guarded, pytest.raises(ConnectionFailedError, match="cannot resolve host"):
        guarded.fetch("http://no-such-host.example.com/rss.xml")


def _answering(monkeypatch, *addresses: str) -> list[str]:
    """Make the system resolver answer every name with these addresses; return the names asked."""
    asked: list[str] = []

    def answer(host, port, *args, **kwargs):
        asked.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]

    monkeypatch.setattr("socket.getaddrinfo", answer)
    return asked


def test_a_name_that_resolves_to_loopback_is_refused_at_connect(monkeypatch, feed_server):
    port = int(feed_server.base.rsplit(":", 1)[1])
    _answering(monkeypatch, "127.0.0.1")
    with Fetcher(timeout=1.0) as guarded, pytest.raises(UnsafeURLError, match="127.0.0.1"):
        guarded.fetch(f"http://rebind.example.com:{port}/rss.xml")
    assert feed_server.requests == []


def test_one_private_address_among_public_ones_refuses_the_host(monkeypatch, feed_server):
    port = int(feed_server.base.rsplit(":", 1)[1])
    _answering(monkeypatch, "93.184.216.34", "127.0.0.1")
    with Fetcher(timeout=1.0) as guarded, pytest.raises(UnsafeURLError, match="127.0.0.1"):
        guarded.fetch(f"http://mixed.example.com:{port}/rss.xml")
    assert feed_server.requests == []


def test_the_address_checked_is_the_address_connected_to(monkeypatch, feed_server):
    # One lookup per connection, and the socket goes to its answer: no second lookup for a rebinding
    # DNS server to answer differently. Loopback is allowed here only so that the connection can succeed.
    port = int(feed_server.base.rsplit(":", 1)[1])
    asked = _answering(monkeypatch, "127.0.0.1")
    with Fetcher(timeout=1.0, allow_private_addresses=True) as fetcher:
        assert fetcher.fetch(f"http://named.example.com:{port}/rss.xml").status == 200
    names = [host for host in asked if not host[0].isdigit()]  # the socket layer re-reads the literal
    assert names == ["named.example.com"] and len(feed_server.requests) == 1


def test_a_resolver_that_stalls_is_cut_off_when_private_addresses_are_allowed(monkeypatch):
    monkeypatch.setattr("socket.getaddrinfo", lambda *args, **kwargs: time.sleep(30))
    started = time.monotonic()
    with (
        Fetcher(timeout=0.5, allow_private_addresses=True) as fetcher,
        pytest.raises(FetchTimeoutError, match="cannot resolve host"),
    ):
        fetcher.fetch("http://feeds.example.com/rss.xml")
    assert time.monotonic() - started < 3


def test_stalled_lookups_hold_a_bounded_number_of_threads(monkeypatch):
    release = threading.Event()

    def stalled(host, port, *args, **kwargs):
        release.wait(10)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port))]

    monkeypatch.setattr("socket.getaddrinfo", stalled)
    resolver = Resolver(threads=3)
    before = set(threading.enumerate())  # lookups other tests left stalled keep their threads
    try:
        for n in range(12):
            with pytest.raises(FetchTimeoutError):
                resolver.resolve(f"host{n}.example.com", 80, 0.02)
        assert len([t for t in threading.enumerate() if t.name == "resolve" and t not in before]) == 3
    finally:
        release.set()
        resolver.close()
