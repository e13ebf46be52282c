"""Parsing of RSS/Atom feeds into Articles: feedparser on bytes we fetched, never on a URL or a path.

Retrieval lives in `timeline.sources.http`; this module only turns a fetched document into entries.
The document is decoded first, by `timeline.sources.charset` (byte-order marks, BOM-less UTF-16/32,
declared encodings; undecodable bytes become U+FFFD with a warning), and feedparser reads that text as
UTF-8, so the DTD check below and the parser see one and the same text whatever the encoding. A
document that declares entities in a DTD is refused before any parser sees it (entity-expansion bombs
and external entities), a malformed document without entries is refused with the parser's reason, and
each entry becomes one `Article` whose identity inside its feed is the entry key: the guid, else the link,
else a hash of the content. Summary-only entries are completed from their linked page (`complete_entry`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import lxml.html
from lxml import etree

from timeline.controls import CONTROLS_BUT_LAYOUT
from timeline.errors import TimelineError
from timeline.models import Article
from timeline.sources.charset import as_utf8_xml, decode_document
from timeline.sources.escapes import decode_escapes
from timeline.sources.furniture import clean_text
from timeline.sources.http import Fetcher, FetchError
from timeline.sources.keys import article_id, entry_key
from timeline.sources.language import AUTO, language_tag, settle_language

log = logging.getLogger("timeline.feeds")

# An entry whose longest text (content or summary) is shorter than this and that links to a page is
# treated as a summary, and the page is fetched for the full text (kept only if it is longer). Full-text
# feeds carry whole articles, which are far longer; a feed's "content" can be a mere caption.
SUMMARY_MAX_CHARS = 1000
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_BLOCK_TAGS = (
    "p", "div", "section", "article", "li", "ul", "ol", "blockquote", "pre", "table", "tr",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "footer", "figure", "figcaption", "dd", "dt",
)  # fmt: skip
_ENTITY_DECL = re.compile(r"<!ENTITY", re.IGNORECASE)
_DOCTYPE = re.compile(r"<!DOCTYPE", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0]+")


class FeedParseError(TimelineError):
    """The fetched document was refused: not a feed, malformed, or declares entities."""

    status = "refused"


@dataclass(frozen=True)
class FeedEntry:
    """One feed entry read as an Article, with what is needed to complete it from its page."""

    key: str
    article: Article
    link: str | None
    summary_only: bool


@dataclass
class ParsedFeed:
    """A parsed feed: its title and its entries, duplicates (same key) removed, first one kept;
    `undecodable` says how many byte sequences became U+FFFD (None when every byte was read)."""

    title: str | None
    entries: list[FeedEntry]
    warnings: list[str] = field(default_factory=list)
    undecodable: str | None = None


def strip_controls(text: str) -> str:
    """Remove control characters (terminal escape sequences, NUL, DEL) but keep newlines and tabs."""
    return CONTROLS_BUT_LAYOUT.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def refuse_entity_declarations(content: bytes | str, content_type: str | None = None) -> None:
    """Refuse a document whose DTD declares entities, by a linear scan of its decoded text."""
    text = content if isinstance(content, str) else decode_document(content, content_type).text
    _refuse_entities(text)


def _refuse_entities(text: str) -> None:
    if _DOCTYPE.search(text) and _ENTITY_DECL.search(text):
        raise FeedParseError("document declares XML entities in its DTD (entity expansion refused)")


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment, one line per block element, whitespace collapsed."""
    html = strip_controls(html)  # lxml refuses control characters, and no caller wants them
    if "<" not in html:
        return _normalise_lines(html)
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return _normalise_lines(re.sub(r"<[^>]*>", " ", html))
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in root.iter(*_BLOCK_TAGS):
        block.text = "\n" + (block.text or "")
        block.tail = "\n" + (block.tail or "")
    return _normalise_lines(root.text_content())


def _normalise_lines(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _clean(text: str) -> str:
    return strip_controls(clean_text(strip_controls(text)))


def entry_datetime(entry: Any) -> dt.datetime | None:
    """The entry's publication instant (else its update instant) as an aware UTC datetime."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            # feedparser normalises to UTC struct_time; mktime would read it as local time.
            return dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.UTC)
    return None


def _entry_text(entry: Any) -> str:
    """The longest text the entry carries: its content (content:encoded, atom:content) or summary."""
    candidates = [(c.get("value") or "", c.get("type")) for c in entry.get("content") or []]
    candidates.append((entry.get("summary") or "", (entry.get("summary_detail") or {}).get("type")))
    best = ""
    for value, kind in candidates:
        text = html_to_text(value) if "html" in (kind or "text/html").lower() else _normalise_lines(value)
        if len(text) > len(best):
            best = text
    return best


def parse_feed(
    content: bytes,
    *,
    feed_id: int,
    url: str,
    source: str | None = None,
    language: str = AUTO,
    content_type: str | None = None,
) -> ParsedFeed:
    """Parse fetched feed bytes into entries; refuse DTD entities, malformed XML and non-feeds.

    `language` is the feed's configured language; with "auto" each entry takes the language the feed
    declares (the entry's `xml:lang`, else the channel's `<language>`), else the one detected in its
    text (`Article.language_basis` says which)."""
    document = decode_document(content, content_type)
    _refuse_entities(document.text)
    warnings: list[str] = []
    # The text is handed over as UTF-8 saying so, in the document and in the header, so feedparser has
    # nothing left to guess (its own fallback reads undecodable bytes as windows-1252).
    media = (content_type or "application/xml").split(";", 1)[0].strip() or "application/xml"
    # No content-location: feedparser would resolve relative guids against the feed URL, and an entry's
    # identity must not change when its feed moves. Links are resolved here instead.
    headers = {"content-type": f"{media}; charset=utf-8"}
    # A stream, never bytes or str: feedparser would try to open a str/bytes as a URL or a file path.
    stream = io.BytesIO(as_utf8_xml(document.text))
    result = feedparser.parse(stream, response_headers=headers, sanitize_html=True)
    if result.get("bozo"):
        reason = strip_controls(str(result.get("bozo_exception") or "malformed document"))
        if not result.entries:
            raise FeedParseError(f"malformed XML: {reason}")
        warnings.append(f"parsed despite: {reason}")
    if not result.get("version") and not result.entries:
        raise FeedParseError("not an RSS or Atom feed")
    feed_title = strip_controls((result.feed.get("title") or "").strip()) or None
    source = strip_controls(source or "").strip() or feed_title or urlsplit(url).hostname
    entries: dict[str, FeedEntry] = {}
    configured = language_tag(language)
    channel = language_tag(result.feed.get("language"))
    for entry in result.entries:
        if configured is not None:
            declared: tuple[str | None, str] = (configured, "config")
        else:
            declared = (_entry_language(entry) or channel, "feed")
        parsed = _read_entry(entry, feed_id=feed_id, base=url, source=source, language=declared)
        if parsed is not None and parsed.key not in entries:
            entries[parsed.key] = parsed
    return ParsedFeed(
        title=feed_title, entries=list(entries.values()), warnings=warnings, undecodable=document.warning
    )


def _entry_language(entry: Any) -> str | None:
    """The language an entry's own markup declares (`xml:lang` on its content, summary or title)."""
    details = [*(entry.get("content") or []), entry.get("summary_detail"), entry.get("title_detail")]
    for detail in details:
        tag = language_tag((detail or {}).get("language"))
        if tag is not None:
            return tag
    return None


def _read_entry(
    entry: Any, *, feed_id: int, base: str, source: str | None, language: tuple[str | None, str]
) -> FeedEntry | None:
    title = strip_controls(html_to_text(entry.get("title") or "")).replace("\n", " ").strip()
    raw_text = _entry_text(entry)
    raw_link = (entry.get("link") or "").strip()
    key = entry_key(entry.get("id"), raw_link, f"{title}\n{raw_text}")
    link = urljoin(base, raw_link) if raw_link else None
    if link and urlsplit(link).scheme.lower() not in ("http", "https"):
        link = None
    text = _clean(raw_text) if raw_text else ""
    summary_only = bool(link) and len(text) < SUMMARY_MAX_CHARS
    # A title alone is still a dated statement worth keeping; an entry with neither is nothing.
    text = text or decode_escapes(title)
    if not text and not summary_only:
        return None
    published = entry_datetime(entry)
    lang, lang_basis = settle_language(language[0], language[1], f"{title}\n{text}")
    article = Article(
        id=article_id(feed_id, key),
        title=decode_escapes(title) or None,  # decoded after the key, so stored entries keep theirs
        text=text,
        published=published,
        published_basis="feed" if published else "none",
        source=source,
        url=link,
        language=lang,
        language_basis=lang_basis,
    )
    return FeedEntry(key=key, article=article, link=link, summary_only=summary_only)


def complete_entry(
    entry: FeedEntry, fetcher: Fetcher, *, should_stop: Callable[[], bool] | None = None
) -> FeedEntry:
    """Fill a summary-only entry from its linked page (main text, and the page's date if the entry has
    none); on any failure keep the summary, since a summary is better than losing the entry."""
    if not entry.summary_only or not entry.link:
        return entry
    from timeline.sources.html import article_from_html

    started = time.monotonic()
    try:
        page = fetcher.fetch(entry.link, accept=PAGE_ACCEPT, should_stop=should_stop)
    except FetchError as exc:
        log.debug("page url=%r status=%s reason=%r", entry.link, exc.status, strip_controls(str(exc)))
        return entry
    try:
        html = decode_document(page.content or b"", page.content_type, html=True).text
        extracted = article_from_html(html, url=page.url, article_id=entry.article.id)
    except Exception as exc:  # extraction libraries raise many kinds on odd pages: one must not fail a feed
        log.debug("page url=%r status=unreadable reason=%r", entry.link, strip_controls(str(exc)))
        return entry
    text = strip_controls(extracted.text or "")
    article = entry.article
    update: dict[str, Any] = {}
    if len(text) > len(article.text):
        update["text"] = text
    if article.published is None and extracted.published is not None:
        # The page's own date (htmldate on its metadata, else a dateline in its text).
        update["published"] = extracted.published
        update["published_basis"] = f"page: {extracted.published_basis or 'metadata'}"
    if not article.title and extracted.title:
        update["title"] = strip_controls(extracted.title)
    if article.language_basis in ("detected", "default") and extracted.language_basis != "default":
        # the page declares its language, or its full text tells more than the feed's summary did
        update["language"] = extracted.language
        update["language_basis"] = extracted.language_basis
    log.debug("page url=%r chars=%d duration=%.2fs", entry.link, len(text), time.monotonic() - started)
    return replace(entry, article=article.model_copy(update=update), summary_only=False)
