"""Fetched documents to text: the encoding a document states about itself, decoded by us, never guessed.

Feeds and pages are decoded here, before any parser sees them, so that everything after (the DTD check,
feedparser, the page extractor) reads one text:

1. a byte-order mark decides (UTF-8, UTF-16 and UTF-32, both orders);
2. else an XML document without one shows its width in its first bytes (XML 1.0 appendix F: `<` or
   whitespace next to NULs), which tells BOM-less UTF-16 and UTF-32 in either order, and EBCDIC;
3. else UTF-8 if every byte reads as UTF-8 (text in a single-byte or East Asian encoding almost never
   does once it holds a non-ASCII byte, while a server's default `charset=iso-8859-1` on a UTF-8 feed
   is common), else the encoding the document's own declaration names (`<?xml encoding=...?>`, `<meta
   charset>`), else the HTTP `charset`; the first of them that decodes every byte wins;
4. when none does, the declared encoding (else UTF-8) decodes with U+FFFD for each bad sequence, and a
   warning says how many. Bytes are never read as Latin-1 unless something declared it.
"""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose mark it starts with
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z][\w.:-]*)["']""")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z][\w.:-]*)""", re.IGNORECASE)
_HTTP_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z][\w.:-]*)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_WIDE = ("utf-16", "utf-32")


@dataclass(frozen=True)
class Decoded:
    """A document's text, the codec that read it, and how many byte sequences it could not read."""

    text: str
    encoding: str
    replaced: int = 0

    @property
    def warning(self) -> str | None:
        """One line saying how many byte sequences became U+FFFD, or None if every byte was read."""
        if not self.replaced:
            return None
        return f"{self.replaced} undecodable byte sequence(s) replaced with U+FFFD (read as {self.encoding})"


def _codec(name: str | bytes | None) -> str | None:
    if not name:
        return None
    if isinstance(name, bytes):
        name = name.decode("ascii", "replace")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _width(head: bytes) -> str | None:
    """The encoding a BOM-less XML document's first four bytes show (XML 1.0 appendix F), if not
    ASCII-compatible."""
    if len(head) < 4:
        return None
    a, b, c, d = head[:4]
    if a == b == c == 0 and d:
        return "utf-32-be"
    if a and b == c == d == 0:
        return "utf-32-le"
    if a == 0 and b and c == 0:
        return "utf-16-be"
    if a and b == 0 and c and d == 0:
        return "utf-16-le"
    if head[:4] == b"\x4c\x6f\xa7\x94":  # "<?xm" in EBCDIC
        return "cp037"
    return None


def http_charset(content_type: str | None) -> str | None:
    """The codec a Content-Type's charset parameter names, if Python knows it."""
    match = _HTTP_CHARSET.search(content_type or "")
    return _codec(match.group(1)) if match else None


def _declared(content: bytes, html: bool) -> str | None:
    head = content[:4096]
    match = _XML_ENCODING.match(head) or (_META_CHARSET.search(head) if html else None)
    codec = _codec(match.group(1)) if match else None
    # an ASCII-readable declaration naming a wide encoding contradicts the bytes it is written in
    return None if codec is None or codec.startswith(_WIDE) else codec


def decode_document(content: bytes, content_type: str | None = None, *, html: bool = False) -> Decoded:
    """Decode a fetched feed (or, with `html`, a page) as the module docstring says."""
    for mark, codec in _BOMS:
        if content.startswith(mark):
            return _decode(content[len(mark) :], [codec])
    wide = _width(content)
    if wide is not None:
        return _decode(content, [wide])
    declared = [_declared(content, html), http_charset(content_type)]
    named = [c for c in dict.fromkeys(declared) if c and not c.startswith(_WIDE)]
    return _decode(content, ["utf-8", *named], fallback=named[0] if named else "utf-8")


def _decode(content: bytes, candidates: list[str], fallback: str | None = None) -> Decoded:
    for codec in candidates:
        try:
            return Decoded(content.decode(codec), codec)
        except UnicodeDecodeError:
            continue
    codec = fallback or candidates[0]
    _replaced.count = 0
    text = content.decode(codec, errors=_COUNTING)
    return Decoded(text, codec, _replaced.count)


class _Count(threading.local):
    count = 0


_replaced = _Count()
_COUNTING = "timeline-replace-counting"


def _replace_counting(error: UnicodeError) -> tuple[str, int]:
    """errors="replace", counting the replacements made in this thread."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    _replaced.count += 1
    return "\ufffd", error.end


codecs.register_error(_COUNTING, _replace_counting)


def as_utf8_xml(text: str) -> bytes:
    """The document as UTF-8 bytes whose XML declaration, if any, says UTF-8: what parsers then read."""
    match = _XML_DECLARATION.match(text)
    if match is not None:
        text = '<?xml version="1.0" encoding="utf-8"?>' + text[match.end() :]
    return text.encode("utf-8")
