"""Content codings undone a piece at a time under the byte cap, served by a real local server.

The bomb is fetched in a child process so that its peak memory (the whole process's, as the kernel
counts it) is what is measured.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import zlib

import pytest

from timeline.sources.codings import PIECE, decoded
from timeline.sources.http import Fetcher, ResponseTooLargeError, UnreadableBodyError

PEAK_LIMIT_MB = 200

# VmHWM, not ru_maxrss: Linux carries a forked parent's high-water mark over exec into ru_maxrss, so a
# child of a large pytest process would report the parent's size.
FETCH_BOMB = """
import json, re, sys
from timeline.sources.http import Fetcher, FetchError
with Fetcher(timeout=10, allow_private_addresses=True) as fetcher:
    try:
        fetcher.fetch(sys.argv[1])
        outcome = "fetched"
    except FetchError as exc:
        outcome = f"{type(exc).__name__}: {exc}"
status = open("/proc/self/status").read()
peak_kb = int(re.search(r"VmHWM:\\s+(\\d+)", status).group(1))
print(json.dumps({"outcome": outcome, "peak_kb": peak_kb}))
"""


@pytest.fixture
def fetcher():
    with Fetcher(timeout=2.0, allow_private_addresses=True) as f:
        yield f


def _rss(title: str = "Talks resumed") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        f"<item><guid>g</guid><title>{title}</title><description>Talks resumed on 3 January 2024."
        "</description></item></channel></rss>"
    ).encode()


def test_a_double_gzip_bomb_is_refused_in_bounded_memory(feed_server):
    done = subprocess.run(
        [sys.executable, "-c", FETCH_BOMB, feed_server.url("/gzip-bomb.xml")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["outcome"].startswith("ResponseTooLargeError: body exceeds max_bytes=10000000")
    assert report["peak_kb"] < PEAK_LIMIT_MB * 1024, report


@pytest.mark.parametrize(
    ("coding", "encode"),
    [
        ("gzip", lambda b: gzip.compress(b)),
        ("x-gzip", lambda b: gzip.compress(b) + gzip.compress(b"")),  # two members back to back
        ("deflate", lambda b: zlib.compress(b)),
        ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, as some servers send it
        ("gzip, deflate", lambda b: zlib.compress(gzip.compress(b))),
        ("identity", lambda b: b),
    ],
)
def test_encoded_feeds_are_read(feed_server, fetcher, coding, encode):
    feed_server.raw["/coded.xml"] = (encode(_rss()), {"Content-Encoding": coding})
    result = fetcher.fetch(feed_server.url("/coded.xml"))
    assert result.content == _rss()


def test_each_layer_is_inflated_a_piece_at_a_time():
    body = gzip.compress(gzip.compress(b"x" * (40 * PIECE)))
    pieces = list(decoded([body], "gzip, gzip", max_bytes=10**9))
    assert b"".join(pieces) == b"x" * (40 * PIECE)
    assert max(map(len, pieces)) <= PIECE


def test_a_body_that_inflates_past_the_cap_stops_at_the_cap():
    body = gzip.compress(b"\0" * 5_000_000)
    with pytest.raises(ResponseTooLargeError):
        for _ in decoded([body], "gzip", max_bytes=1_000_000):
            pass


@pytest.mark.parametrize(
    ("coding", "message"),
    [
        ("br", "unsupported Content-Encoding 'br'"),
        ("gzip, gzip, gzip, gzip", "4 stacked content codings"),
        ("gzip", "corrupt gzip body"),
    ],
)
def test_unreadable_codings_are_refused(feed_server, fetcher, coding, message):
    feed_server.raw["/coded.xml"] = (b"not what it claims to be", {"Content-Encoding": coding})
    with pytest.raises(UnreadableBodyError, match=message) as caught:
        fetcher.fetch(feed_server.url("/coded.xml"))
    assert caught.value.status == "refused"


def test_we_ask_only_for_the_codings_we_undo(feed_server, fetcher):
    feed_server.raw["/echo.xml"] = (_rss(), {})
    fetcher.fetch(feed_server.url("/echo.xml"))
    assert feed_server.seen("/echo.xml")[0].accept_encoding == "gzip, deflate"
