"""Escapes left in article text by the tools that made it: JSON's (`9\\/11`, `\\u2019`) and HTML's (`&amp;`).

A scraper that serialises twice, or copies a page's source instead of its text, leaves escapes that a
reader never sees and that break matching ("9\\/11" is not "9/11"). They are decoded once at load time,
for every source. Only complete escapes are touched: an HTML entity needs its closing semicolon
("AT&T" and "R&D" stay as they are) and must be one HTML knows; a JSON escape is one of the
sequences a JSON encoder writes.
"""

from __future__ import annotations

import html
import re
import unicodedata

# A twice-escaped entity ("&amp;#39;") takes two rounds; a third round would undo text that is
# about HTML itself ("&amp;amp;" written on purpose), so two is the limit.
_ENTITY_ROUNDS = 2

_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# \uD83D\uDE00 is one character written as a surrogate pair; a lone surrogate stays as written
_JSON_ESCAPE = re.compile(
    r"\\u(?P<high>[dD][89abAB][0-9a-fA-F]{2})\\u(?P<low>[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|\\u(?P<code>[0-9a-fA-F]{4})"
    r"|\\(?P<char>[/\"'nrt])"
)
_SIMPLE = {"/": "/", '"': '"', "'": "'", "n": "\n", "r": "\n", "t": " "}


def _json_char(match: re.Match[str]) -> str:
    if match.group("high"):
        high, low = int(match.group("high"), 16), int(match.group("low"), 16)
        return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    code = match.group("code")
    if code is not None:
        value = int(code, 16)
        return match.group(0) if 0xD800 <= value <= 0xDFFF else chr(value)
    return _SIMPLE[match.group("char")]


def _entity(match: re.Match[str]) -> str:
    decoded = html.unescape(match.group(0))
    # html.unescape maps NUL and C1 controls to replacement or Windows-1252 characters; a control
    # character is never text a reader meant
    if len(decoded) == 1 and unicodedata.category(decoded) == "Cc" and decoded not in "\n\t":
        return match.group(0)
    return decoded


def decode_escapes(text: str) -> str:
    """The text with its JSON and HTML escapes decoded (without a backslash or ampersand: as it is)."""
    if "\\" in text:
        text = _JSON_ESCAPE.sub(_json_char, text)
    for _ in range(_ENTITY_ROUNDS):
        if "&" not in text:
            break
        decoded = _ENTITY.sub(_entity, text)
        if decoded == text:
            break
        text = decoded
    return text
