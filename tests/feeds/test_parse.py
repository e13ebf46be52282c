"""Feed parsing: seed feeds fetched from a real local server, identity, dates, refusals, hygiene."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
import tracemalloc
from pathlib import Path

import pytest

from timeline.sources.feeds import (
    FeedParseError,
    entry_datetime,
    html_to_text,
    parse_feed,
    refuse_entity_declarations,
    strip_controls,
)
from timeline.sources.furniture import clean_text
from timeline.sources.http import Fetcher

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"
SEEDS = Path(__file__).resolve().parents[2] / "seeds"
MANIFEST = json.loads((SEEDS / "manifest.json").read_text(encoding="utf-8"))["articles"]


@pytest.fixture
def fetcher():
    with Fetcher(timeout=2.0, allow_private_addresses=True) as f:
        yield f


@pytest.fixture
def new_york_clock(monkeypatch):
    """Run with a local zone far from UTC, so a mktime-based conversion would be visibly wrong."""
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is not available on this platform")
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _fetch_parse(server, fetcher, path, feed_id=1):
    result = fetcher.fetch(server.url(path))
    return parse_feed(result.content, feed_id=feed_id, url=result.url, content_type=result.content_type)


@pytest.mark.parametrize(("path", "first"), [("/rss.xml", 0), ("/atom.xml", 3)])
def test_seed_feeds_become_articles_with_utc_dates(feed_server, fetcher, new_york_clock, path, first):
    parsed = _fetch_parse(feed_server, fetcher, path)
    assert parsed.title and parsed.title.startswith("Seed wire")
    for n, entry in enumerate(parsed.entries, start=first):
        seed = MANIFEST[n]
        slug = Path(seed["file"]).stem
        assert entry.key == f"urn:seed:{slug}"
        day = dt.date.fromisoformat(seed["published"])
        # Every item was published at 12:00 UTC, written in a -05:00 or +01:00 zone by the feed.
        assert entry.article.published == dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)
        assert entry.article.published_basis == "feed"
        assert entry.article.id.startswith("1:")
    assert len(parsed.entries) == (3 if path == "/rss.xml" else 2)


def test_full_text_entries_carry_the_article_text(feed_server, fetcher):
    parsed = _fetch_parse(feed_server, fetcher, "/rss.xml")
    full = [e for e in parsed.entries if not e.summary_only]
    assert len(full) == 2
    for entry in full:
        slug = entry.key.rsplit(":", 1)[1]
        # The same text as reading the seed file directly: paragraphs one per line, furniture removed.
        expected = [line for line in clean_text((SEEDS / f"{slug}.txt").read_text()).splitlines() if line]
        assert entry.article.text.splitlines() == expected
        assert len(expected) > 10


RSS_HEAD = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'


def _rss(items: str) -> bytes:
    return (RSS_HEAD + items + "</channel></rss>").encode()


def test_entry_key_falls_back_from_guid_to_link_to_content_hash():
    doc = _rss(
        "<item><guid>g-1</guid><link>http://example.org/a</link><description>one</description></item>"
        "<item><link>http://example.org/b</link><description>two</description></item>"
        "<item><title>Three</title><description>three</description></item>"
    )
    keys = [e.key for e in parse_feed(doc, feed_id=3, url="http://example.org/feed").entries]
    assert keys[:2] == ["g-1", "http://example.org/b"]
    assert keys[2].startswith("sha256:")
    again = [e.key for e in parse_feed(doc, feed_id=3, url="http://example.org/feed").entries]
    assert again == keys


def test_duplicate_entries_in_one_document_give_one_entry():
    item = "<item><guid>same</guid><title>T</title><description>{}</description></item>"
    doc = _rss(item.format("first") + item.format("second"))
    parsed = parse_feed(doc, feed_id=1, url="http://example.org/feed")
    assert [e.key for e in parsed.entries] == ["same"]


def test_entity_bomb_is_refused_quickly_and_without_memory_growth():
    bomb = (FIXTURES / "bomb.xml").read_bytes()
    tracemalloc.start()
    started = time.monotonic()
    with pytest.raises(FeedParseError, match="entit"):
        parse_feed(bomb, feed_id=1, url="http://example.org/bomb")
    elapsed = time.monotonic() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 1.0 and peak < 5_000_000


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-32"])
def test_entity_declarations_are_found_in_wide_encodings(codec):
    text = (FIXTURES / "bomb.xml").read_text().replace('<?xml version="1.0"?>', "")
    with pytest.raises(FeedParseError):
        refuse_entity_declarations(text.encode(codec))


def test_external_entity_is_refused():
    doc = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        + _rss("<item><title>&xxe;</title></item>")[len(b'<?xml version="1.0"?>') :]
    )
    with pytest.raises(FeedParseError):
        parse_feed(doc, feed_id=1, url="http://example.org/x")


def test_malformed_xml_is_refused_with_the_reason():
    with pytest.raises(FeedParseError, match="malformed XML: .*not well-formed"):
        parse_feed((FIXTURES / "malformed.xml").read_bytes(), feed_id=1, url="http://example.org/m")


def test_a_web_page_is_not_a_feed():
    with pytest.raises(FeedParseError):
        parse_feed(b"<html><body><p>hello</p></body></html>", feed_id=1, url="http://example.org/")


def test_feedparser_never_opens_urls_or_paths_it_is_handed(feed_server, tmp_path):
    secret = tmp_path / "secret.xml"
    secret.write_bytes(_rss("<item><guid>leak</guid><description>local file</description></item>"))
    for document in (str(secret).encode(), feed_server.url("/rss.xml").encode()):
        with pytest.raises(FeedParseError):
            parse_feed(document, feed_id=1, url="http://example.org/f")
    assert feed_server.requests == []


def test_control_sequences_never_survive_parsing():
    doc = _rss(
        "<item><guid>c</guid><title>Red \x1b[31malert\x1b[0m</title>"
        "<description>Bell &#7; and escape &#27;]0;pwned&#7; and C1 \u009b31m here</description></item>"
    )
    article = parse_feed(doc, feed_id=1, url="http://example.org/c").entries[0].article
    for text in (article.title or "", article.text):
        assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in text)
        assert not any(0x7F <= ord(ch) <= 0x9F for ch in text)
    assert "alert" in (article.title or "")


def test_strip_controls_keeps_text_and_newlines():
    assert strip_controls("a\x1b[2Jb\r\nc\td\x00\x9b") == "a[2Jb\nc\td"


def test_html_to_text_keeps_paragraph_breaks_and_drops_scripts():
    text = html_to_text("<p>One <b>bold</b>.</p><script>alert(1)</script><p>Two<br>Three</p>")
    assert text.splitlines() == ["One bold.", "Two", "Three"]


def test_entry_dates_use_utc_struct_time_not_local_time(new_york_clock):
    # 2023-12-27 23:30 UTC is still the 27th in UTC but the 27th 18:30 in New York: mktime would shift it.
    parsed = time.strptime("2023-12-27 23:30:00", "%Y-%m-%d %H:%M:%S")
    assert os.environ["TZ"] == "America/New_York"
    assert entry_datetime({"published_parsed": parsed}) == dt.datetime(2023, 12, 27, 23, 30, tzinfo=dt.UTC)
    assert entry_datetime({}) is None


def test_short_content_with_a_link_is_completed_from_the_page_but_long_content_is_not():
    caption = "<item><guid>a</guid><link>http://example.org/a</link><description>x</description>"
    caption += "<content:encoded>"
    caption += "<![CDATA[<figure><figcaption>The delegations met in Mexico City.</figcaption></figure>]]>"
    caption += "</content:encoded></item>"
    long_text = "<p>" + "The talks went on for hours. " * 60 + "</p>"
    full = f"<item><guid>b</guid><link>http://example.org/b</link><description><![CDATA[{long_text}]]>"
    full += "</description></item>"
    doc = _rss(caption + full).replace(
        b'<rss version="2.0">',
        b'<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
    )
    entries = parse_feed(doc, feed_id=1, url="http://example.org/feed").entries
    assert [e.summary_only for e in entries] == [True, False]
    assert entries[0].article.text == "The delegations met in Mexico City."
