"""An entry's identity: the key a feed entry is known by inside its feed, and the article id it gets.

Pure functions of the entry, shared by feed parsing (`timeline.sources.feeds`) and the store, so that
parsing a feed does not need the database layer.
"""

from __future__ import annotations

import hashlib

MAX_ENTRY_KEY = 512


def bounded_key(key: str) -> str:
    """The entry key as stored: keys over MAX_ENTRY_KEY characters are replaced by their hash.

    PostgreSQL cannot index a value over ~2.7 kB, and (feed, entry key) is a unique index: a feed with
    an absurdly long guid or link must still be storable, and the same entry must map to the same key.
    """
    key = key.strip()
    if len(key) <= MAX_ENTRY_KEY:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def entry_key(guid: str | None, link: str | None, content: str) -> str:
    """An entry's identity within its feed: its guid, else its link, else a hash of its content."""
    for candidate in (guid, link):
        if candidate and candidate.strip():
            return bounded_key(candidate)
    return "sha256:" + hashlib.sha256(content.encode()).hexdigest()


def article_id(feed_id: int, key: str) -> str:
    """Stable, globally unique article id: `<feed id>:<first 16 hex of sha256(entry key)>`."""
    return f"{feed_id}:{hashlib.sha256(bounded_key(key).encode()).hexdigest()[:16]}"
