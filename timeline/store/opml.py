"""OPML subscription lists in and out: the format every feed reader imports and exports.

Reading goes through expat with DTDs refused outright: OPML never needs one, and refusing them closes the
door on entity-expansion bombs and external entities whatever the expat version.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from xml.etree import ElementTree as ET
from xml.parsers import expat

from pydantic import BaseModel

from timeline.errors import InputError
from timeline.store.urls import check_feed_url

MAX_OPML_BYTES = 5_000_000
# Characters XML 1.0 cannot carry at all; a name holding one would make the export unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class OpmlFeed(BaseModel):
    """One subscription read from an OPML outline."""

    url: str
    name: str | None = None
    language: str | None = None


class _Refused(Exception):
    pass


def parse_opml(data: bytes, where: str) -> list[OpmlFeed]:
    """Every `<outline xmlUrl=...>` of an OPML document, nested folders included, in document order."""
    found: list[tuple[dict[str, str], int]] = []
    root: list[str] = []
    parser = expat.ParserCreate()

    def start(tag: str, attrs: dict[str, str]) -> None:
        if not root:
            root.append(tag)
        lowered = {k.lower(): v for k, v in attrs.items()}
        if tag == "outline" and lowered.get("xmlurl", "").strip():
            found.append((lowered, parser.CurrentLineNumber))

    def refuse(*_: object) -> None:
        raise _Refused("DTDs and entity declarations are not allowed in OPML")

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise InputError(f"{where}:{exc.lineno}: malformed OPML: {expat.ErrorString(exc.code)}") from None
    except _Refused as exc:
        raise InputError(f"{where}:{parser.CurrentLineNumber}: refused OPML: {exc}") from None
    if root != ["opml"]:
        raise InputError(f"{where}: not an OPML document (root element {root[0] if root else 'missing'})")
    if not found:
        raise InputError(f"{where}: no feeds (no <outline xmlUrl=...>) in the OPML document")
    feeds = []
    for attrs, line in found:
        try:
            url = check_feed_url(attrs["xmlurl"])
        except InputError as exc:
            raise InputError(f"{where}:{line}: {exc}") from None
        title = (attrs.get("title") or attrs.get("text") or "").strip()
        name = None if title in ("", url) else title
        feeds.append(OpmlFeed(url=url, name=name, language=(attrs.get("language") or "").strip() or None))
    return feeds


def read_opml(path: Path) -> list[OpmlFeed]:
    """Read and parse an OPML file, refusing files too large to be a subscription list."""
    try:
        size = path.stat().st_size
        if size > MAX_OPML_BYTES:
            raise InputError(f"{path}: {size} bytes is too large for an OPML file (limit {MAX_OPML_BYTES})")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    return parse_opml(data, str(path))


def write_opml(feeds: Iterable[tuple[str, str | None, str | None]], *, title: str = "timeline feeds") -> str:
    """An OPML 2.0 document listing `(url, name, language)` subscriptions."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = dt.datetime.now(dt.UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
    body = ET.SubElement(root, "body")
    for url, raw_name, language in feeds:
        name = _NOT_XML.sub("", raw_name) if raw_name else None
        attrs = {"type": "rss", "text": name or url, "xmlUrl": url}
        if name:
            attrs["title"] = name
        if language and language != "auto":
            attrs["language"] = language
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
