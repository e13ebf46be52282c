"""Documents decoded as they declare, before any parser: BOM-less wide encodings, U+FFFD, never Latin-1
unless declared; and the DTD check reads the decoded text whatever the encoding."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline.sources.charset import decode_document
from timeline.sources.feeds import FeedParseError, parse_feed

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"


def _rss(title: str = "Talks resumed") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
        f"<item><guid>g</guid><title>{title}</title><description>Talks resumed on 3 January 2024."
        "</description></item></channel></rss>"
    ).encode()


BOMB_TEXT = (FIXTURES / "bomb.xml").read_text().replace('<?xml version="1.0"?>', "")


@pytest.mark.parametrize("codec", ["utf-16-be", "utf-16-le", "utf-32-be", "utf-32-le"])
@pytest.mark.parametrize("declaration", ["", '<?xml version="1.0" encoding="UTF-16"?>'])
def test_entity_bombs_without_a_byte_order_mark_are_refused(codec, declaration):
    with pytest.raises(FeedParseError, match="entit"):
        parse_feed((declaration + BOMB_TEXT).encode(codec), feed_id=1, url="http://example.org/b")


@pytest.mark.parametrize("codec", ["utf-16-be", "utf-16-le", "utf-32-be", "utf-32-le", "utf-8-sig"])
def test_wide_feeds_without_entities_are_read(codec):
    text = _rss("Caf\u00e9 talks \u2014 \u00a1s\u00ed!").decode().replace(' encoding="utf-8"', "")
    parsed = parse_feed(text.encode(codec), feed_id=1, url="http://example.org/f")
    assert parsed.entries[0].article.title == "Caf\u00e9 talks \u2014 \u00a1s\u00ed!"
    assert parsed.undecodable is None


def test_invalid_utf8_becomes_replacement_characters_with_a_warning():
    doc = _rss("Talks \xff\xfe\xc3( resumed").decode().encode("latin-1")
    parsed = parse_feed(doc, feed_id=1, url="http://example.org/f")
    title = parsed.entries[0].article.title
    assert title == "Talks \ufffd\ufffd\ufffd( resumed"
    assert not any(ch in title for ch in "\u00ff\u00fe\u00c3")
    assert parsed.undecodable is not None and parsed.undecodable.startswith("3 undecodable")


@pytest.mark.parametrize(
    ("declared", "content_type"),
    [("iso-8859-1", None), ("windows-1252", None), (None, "application/rss+xml; charset=ISO-8859-1")],
)
def test_a_declared_single_byte_encoding_is_honoured(declared, content_type):
    text = _rss("Se\u00f1ora L\u00f3pez").decode()
    text = text.replace("utf-8", declared) if declared else text.replace(' encoding="utf-8"', "")
    parsed = parse_feed(text.encode("latin-1"), feed_id=1, url="http://e.org/f", content_type=content_type)
    assert parsed.entries[0].article.title == "Se\u00f1ora L\u00f3pez" and parsed.undecodable is None


def test_utf8_served_under_a_default_latin1_charset_is_read_as_utf8():
    doc = _rss("Se\u00f1ora L\u00f3pez")
    parsed = parse_feed(doc, feed_id=1, url="http://e.org/f", content_type="text/xml; charset=iso-8859-1")
    assert parsed.entries[0].article.title == "Se\u00f1ora L\u00f3pez"


def test_pages_read_their_meta_charset():
    page = "<html><head><meta charset='windows-1252'></head><body><p>\u201cS\u00ed\u201d</p>"
    decoded_page = decode_document(page.encode("cp1252"), "text/html", html=True)
    assert "\u201cS\u00ed\u201d" in decoded_page.text and decoded_page.replaced == 0
