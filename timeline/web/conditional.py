"""ETags and conditional requests: an answer is a function of the timeline's version and the URL."""

from __future__ import annotations

import hashlib

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
