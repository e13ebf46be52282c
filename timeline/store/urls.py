"""Feed URL checks that need no network: what may be subscribed to at all."""

from __future__ import annotations

from urllib.parse import urlsplit

from timeline.errors import InputError

ALLOWED_SCHEMES = ("http", "https")
# Browsers and servers stop near here; the store also indexes feed URLs, which caps their length.
MAX_URL_LENGTH = 2048


def check_feed_url(url: str) -> str:
    """Return `url` stripped if it is an absolute http(s) URL with a host, else raise InputError.

    `file:`, `ftp:` and scheme-less URLs are refused here so that nothing downstream can be talked
    into reading local files; private and loopback addresses are judged at fetch time (config).
    """
    text = url.strip()
    if len(text) > MAX_URL_LENGTH:
        raise InputError(f"invalid feed URL {text[:60]!r}...: longer than {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises on an out-of-range or non-numeric port
    except ValueError as exc:
        raise InputError(f"invalid feed URL {url!r}: {exc}") from None
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise InputError(f"invalid feed URL {url!r}: only http and https are allowed")
    if not parts.hostname:
        raise InputError(f"invalid feed URL {url!r}: no host")
    if any(ch.isspace() or ord(ch) < 32 for ch in text):
        raise InputError(f"invalid feed URL {url!r}: contains whitespace or control characters")
    return text
