"""The web page: the chronology rendered on the server, one block per event, filters in a plain form.

It works without script; /static/app.js only checks (with If-None-Match) whether the page changed and
swaps the new chronology in. Templates are Jinja2 with autoescaping on and no value marked safe.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined

from timeline.errors import InputError
from timeline.models import Problem
from timeline.render.query import EventQuery, count_of
from timeline.web.conditional import NO_CACHE, etag_for, matches, not_modified
from timeline.web.state import Snapshot
from timeline.web.view import block

router = APIRouter()
PAGE_SIZE = 100
_HTML: dict[int | str, dict[str, Any]] = {200: {"content": {"text/html": {}}, "description": "An HTML page"}}

templates = Environment(
    loader=PackageLoader("timeline.web", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.globals["count_of"] = count_of


@dataclass(frozen=True)
class Asset:
    body: bytes
    media_type: str
    etag: str


def _assets() -> dict[str, Asset]:
    kinds = {
        ".css": "text/css; charset=utf-8",
        ".js": "text/javascript; charset=utf-8",
        ".svg": "image/svg+xml",
    }
    found = {}
    for entry in resources.files("timeline.web").joinpath("static").iterdir():
        suffix = "." + entry.name.rsplit(".", 1)[-1]
        if suffix in kinds:
            body = entry.read_bytes()
            found[entry.name] = Asset(body, kinds[suffix], '"' + hashlib.sha256(body).hexdigest()[:16] + '"')
    return found


ASSETS = _assets()


def asset_url(name: str) -> str:
    """The asset's URL with its content hash, so a browser may keep it as long as it likes."""
    return f"/static/{name}?v={ASSETS[name].etag.strip(chr(34))}"


templates.globals["asset_url"] = asset_url


def _render(name: str, status: int = 200, validator: str | None = None, **values: Any) -> HTMLResponse:
    headers = {"Cache-Control": NO_CACHE}
    if validator:
        headers["ETag"] = validator
    return HTMLResponse(templates.get_template(name).render(**values), status_code=status, headers=headers)


def _common(request: Request, snap: Snapshot) -> dict[str, Any]:
    settings = request.app.state.settings
    timeline = snap.timeline
    return {
        "title": settings.title,
        "refresh": int(settings.refresh),
        "generated_at": timeline.generated_at.strftime("%d %b %Y %H:%M UTC") if timeline else None,
        "article_count": len(timeline.articles) if timeline else 0,
        "event_count": len(timeline.events) if timeline else 0,
        "missing": None if timeline else snap.error,
    }


@router.get(
    "/", response_class=HTMLResponse, responses=_HTML, summary="The chronology as a web page", tags=["page"]
)
async def index(
    request: Request,
    start: Annotated[str | None, Query(alias="from", description="YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    end: Annotated[str | None, Query(alias="to", description="YYYY, YYYY-MM or YYYY-MM-DD")] = None,
    q: Annotated[str | None, Query(max_length=500, description="Words to look for")] = None,
    min_sources: Annotated[str | None, Query(max_length=6, description="At least this many sources")] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """Every event the filters keep (a hundred a page), in order: date at its precision, title,
    summary, sources as links, conflicts and doubts."""
    snap: Snapshot = request.app.state.source.snapshot
    etag = etag_for(snap.version, request, str(request.app.state.settings))
    if matches(request, etag):
        return not_modified(etag)
    # an empty field of the form comes as "name=": it means no filter, not an error
    least = int(min_sources) if min_sources and min_sources.isdigit() and int(min_sources) > 0 else None
    form = {"from": start or "", "to": end or "", "q": q or "", "min_sources": least or ""}
    error = None
    try:
        if min_sources and least is None:
            raise InputError(f"min_sources: expected a positive number, got {min_sources!r}")
        query = EventQuery.parse(start=start, end=end, words=q, min_sources=least)
    except InputError as exc:
        error, query = str(exc), EventQuery()
    kept = snap.index.select(query) if snap.index and error is None else []
    shown = kept[offset : offset + PAGE_SIZE]
    events = snap.timeline.events if snap.timeline else []

    def page_url(at: int) -> str:
        return str(request.url.include_query_params(offset=at).replace(scheme=None, netloc=None))

    return _render(
        "index.html",
        400 if error else 200,
        None if error else etag,
        **_common(request, snap),
        etag=etag,
        form=form,
        error=error,
        filtered=bool(start or end or q or least),
        blocks=[block(events[n], snap.articles) for n in shown],
        total=len(kept),
        first=offset + 1,
        last=offset + len(shown),
        previous=page_url(max(offset - PAGE_SIZE, 0)) if offset > 0 else None,
        next=page_url(offset + PAGE_SIZE) if offset + PAGE_SIZE < len(kept) else None,
    )


@router.get(
    "/events/{event_id}",
    response_class=HTMLResponse,
    responses={
        **_HTML,
        404: {"model": Problem, "content": {"text/html": {}}, "description": "No such event"},
    },
    summary="One event's page, with every source",
    tags=["page"],
)
async def event_page(request: Request, event_id: str) -> Response:
    """One event in full: every article that reports it, each sentence, conflicts and doubts."""
    snap: Snapshot = request.app.state.source.snapshot
    position = snap.index.by_id.get(event_id) if snap.index else None
    if snap.timeline is None or position is None:
        return _render("missing.html", 404, **_common(request, snap), event_id=event_id)
    etag = etag_for(snap.version, request, str(request.app.state.settings))
    if matches(request, etag):
        return not_modified(etag)
    shown = block(snap.timeline.events[position], snap.articles)
    return _render("event.html", validator=etag, **_common(request, snap), item=shown)


@router.get(
    "/static/{name}",
    responses={
        200: {
            "content": {"text/css": {}, "text/javascript": {}},
            "description": "The page's stylesheet or script",
        },
        304: {"description": "Not modified"},
        404: {"model": Problem, "description": "No such file"},
    },
    response_class=Response,
    summary="The page's stylesheet, script and icon, shipped with the package",
    tags=["page"],
)
async def static(request: Request, name: str) -> Response:
    """The page's own files (no CDN: the page works offline)."""
    asset = ASSETS.get(name)
    if asset is None:
        return Response(
            Problem(detail=f"no file {name!r}").model_dump_json(), 404, media_type="application/json"
        )
    if matches(request, asset.etag):
        return Response(status_code=304, headers={"ETag": asset.etag})
    cache = "public, max-age=31536000, immutable" if request.query_params.get("v") else NO_CACHE
    return Response(
        asset.body, media_type=asset.media_type, headers={"ETag": asset.etag, "Cache-Control": cache}
    )
