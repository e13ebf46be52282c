"""ETags and conditional requests: an answer is a function of the timeline's version and the URL."""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from starlette.requests import Request
from starlette.responses import Response

# Bumped with any change to what a given timeline and URL produce, so old ETags stop matching.
RENDER_VERSION = "1"
NO_CACHE = "no-cache"


def etag_for(version: str, request: Request, extra: str = "") -> str:
    """A strong ETag for this timeline version, path and query (parameters in any order)."""
    query = "&".join(sorted(f"{k}={v}" for k, v in request.query_params.multi_items()))
    digest = hashlib.sha256(f"{RENDER_VERSION}|{version}|{request.url.path}|{query}|{extra}".encode())
    return f'"{digest.hexdigest()[:24]}"'


def matches(request: Request, etag: str) -> bool:
    """Whether If-None-Match names this ETag (weak or strong) or is "*"."""
    header = request.headers.get("if-none-match")
    if not header:
        return False
    for candidate in header.split(","):
        tag = candidate.strip()
        if tag == "*" or tag.removeprefix("W/") == etag:
            return True
    return False


def not_modified(etag: str) -> Response:
    """304 with the ETag and no body."""
    return Response(status_code=304, headers={"ETag": etag, "Cache-Control": NO_CACHE})


class AnswerCache:
    """Answer bodies by ETag, least recently used first out, at most `max_bytes` in all.

    An ETag names one timeline version and one URL, so a body under it never goes stale: a new
    version has new ETags, and the old ones age out. Many readers of one page (a newsroom on the same
    URL) then cost a lookup each. Used from the event loop's thread only."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self._bodies: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0

    def get(self, etag: str) -> bytes | None:
        body = self._bodies.get(etag)
        if body is not None:
            self._bodies.move_to_end(etag)
        return body

    def put(self, etag: str, body: bytes) -> None:
        if len(body) > self.max_bytes // 8 or etag in self._bodies:
            return
        self._bodies[etag] = body
        self._size += len(body)
        while self._size > self.max_bytes:
            _, old = self._bodies.popitem(last=False)
            self._size -= len(old)
