"""The HTTP API: the timeline (filtered, paged), one event, the articles, the feeds, the exports.

JSON answers for the timeline are assembled from events serialised once per version of the file (a
page is a join of bytes, not a validation of models); each carries an ETag from the version and the
URL, and If-None-Match gets a 304.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from timeline.errors import InputError
from timeline.models import ArticlePage, EventDetail, FeedList, FeedReport, Problem, TimelinePage
from timeline.render.exports import FORMATS, export
from timeline.render.query import EventQuery, filtered, fold, terms_pattern
from timeline.store import StoreError
from timeline.web.conditional import NO_CACHE, AnswerCache, etag_for, matches, not_modified
from timeline.web.state import Snapshot
from timeline.web.view import detail

router = APIRouter()

MAX_LIMIT = 1000
_NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: If-None-Match named the current ETag"}
}
_BAD_QUERY: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "A filter cannot be read (a bad date, a reversed range)"}
}


def snapshot(request: Request) -> Snapshot:
    """The timeline version being served."""
    return request.app.state.source.snapshot


def event_query(
    start: Annotated[
        str | None,
        Query(alias="from", description="Events on or after this day: YYYY, YYYY-MM or YYYY-MM-DD"),
    ] = None,
    end: Annotated[
        str | None,
        Query(alias="to", description="Events on or before this day (the whole interval inside the range)"),
    ] = None,
    q: Annotated[
        str | None,
        Query(
            description='Words (or "quoted phrases") that must all appear in the title, summary or '
            "sources; case and accents are ignored; words match at their start",
            max_length=500,
        ),
    ] = None,
    min_sources: Annotated[
        int | None, Query(ge=1, description="At least this many distinct source articles")
    ] = None,
    top: Annotated[int | None, Query(ge=1, description="Only the N most salient of the matches")] = None,
    language: Annotated[
        str | None, Query(max_length=16, description="Events with a source in this language (en, es...)")
    ] = None,
) -> EventQuery:
    """The filters every timeline endpoint shares; 400 with one line when one cannot be read."""
    try:
        return EventQuery.parse(
            start=start, end=end, words=q, min_sources=min_sources, language=language, top=top
        )
    except InputError as exc:
        raise HTTPException(400, str(exc)) from None


QueryDep = Annotated[EventQuery, Depends(event_query)]
Offset = Annotated[int, Query(ge=0, description="Skip this many")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most this many")]


def _next(request: Request, offset: int, limit: int, total: int) -> str | None:
    if offset + limit >= total:
        return None
    url = request.url.include_query_params(offset=offset + limit)
    return f"{url.path}?{url.query}"


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


def _answer(body: bytes, etag: str, media_type: str = "application/json") -> Response:
    return Response(body, media_type=media_type, headers={"ETag": etag, "Cache-Control": NO_CACHE})


@router.get(
    "/api/timeline",
    response_model=TimelinePage,
    responses={**_NOT_MODIFIED, **_BAD_QUERY},
    summary="The timeline's events, filtered and paged",
    tags=["timeline"],
)
async def timeline_page(
    request: Request, query: QueryDep, offset: Offset = 0, limit: Limit = 100
) -> Response:
    """Events in timeline order that the filters keep, `limit` from `offset`, with the articles they
    cite; `total` counts every match and `next` is the next page's URL."""
    snap = snapshot(request)
    etag = etag_for(snap.version, request)
    if matches(request, etag):
        return not_modified(etag)
    cache: AnswerCache = request.app.state.answers
    known = cache.get(etag)
    if known is not None:
        return _answer(known, etag)
    index = snap.index
    kept = index.select(query) if index else []
    chosen = kept[offset : offset + limit]
    cited = dict.fromkeys(a for n in chosen for a in index.cited[n]) if index else {}
    generated = snap.timeline.generated_at.isoformat().replace("+00:00", "Z") if snap.timeline else None
    body = b"".join(
        (
            b'{"generated_at":',
            _json(generated),
            b',"total":%d,"offset":%d,"limit":%d,"events":[' % (len(kept), offset, limit),
            b",".join(snap.events_json[n] for n in chosen),
            b'],"articles":[',
            b",".join(snap.articles_json[a] for a in cited if a in snap.articles_json),
            b'],"next":',
            _json(_next(request, offset, limit, len(kept))),
            b"}",
        )
    )
    cache.put(etag, body)
    return _answer(body, etag)


@router.get(
    "/api/events/{event_id}",
    response_model=EventDetail,
    responses={**_NOT_MODIFIED, 404: {"model": Problem, "description": "No event with this id"}},
    summary="One event with every source's article",
    tags=["timeline"],
)
async def event_detail(request: Request, event_id: str) -> Response:
    """The event with each source's article title, outlet, URL, publication date and sentence, and
    its conflicts and doubtful marks."""
    snap = snapshot(request)
    position = snap.index.by_id.get(event_id) if snap.index else None
    if snap.timeline is None or position is None:
        raise HTTPException(404, f"no event with id {event_id!r}")
    etag = etag_for(snap.version, request)
    if matches(request, etag):
        return not_modified(etag)
    event = snap.timeline.events[position]
    return _answer(detail(event, snap.articles).model_dump_json().encode(), etag)


@router.get(
    "/api/articles",
    response_model=ArticlePage,
    responses=_NOT_MODIFIED,
    summary="The articles the timeline read",
    tags=["timeline"],
)
async def articles_page(
    request: Request,
    offset: Offset = 0,
    limit: Limit = 100,
    language: Annotated[
        str | None, Query(max_length=16, description="Only articles in this language")
    ] = None,
    q: Annotated[str | None, Query(max_length=500, description="Words in the title or outlet")] = None,
) -> Response:
    """Articles in the timeline's order, with their outlet, link, publication date and language."""
    snap = snapshot(request)
    etag = etag_for(snap.version, request)
    if matches(request, etag):
        return not_modified(etag)
    found = snap.timeline.articles if snap.timeline else []
    if language:
        found = [a for a in found if a.language.lower() == language.lower()]
    if q:
        patterns = terms_pattern(q)
        found = [
            a for a in found if all(p.search(fold(f"{a.title or ''}\n{a.source or ''}")) for p in patterns)
        ]
    chosen = found[offset : offset + limit]
    body = b"".join(
        (
            b'{"total":%d,"offset":%d,"limit":%d,"articles":[' % (len(found), offset, limit),
            b",".join(snap.articles_json[a.id] for a in chosen),
            b'],"next":',
            _json(_next(request, offset, limit, len(found))),
            b"}",
        )
    )
    return _answer(body, etag)


@router.get(
    "/api/feeds",
    response_model=FeedList,
    responses={503: {"model": Problem, "description": "The store cannot be reached"}},
    summary="The subscribed feeds and how their polling goes",
    tags=["feeds"],
)
def feeds(request: Request) -> Response:
    """Every feed with its state, last poll, error count, last error and next check (times in UTC).
    Read from the store on each request; `store` is false when the server reads a timeline file alone."""
    access = request.app.state.access
    if not access.configured:
        return Response(FeedList(store=False, feeds=[]).model_dump_json(), media_type="application/json")
    try:
        states = access.feeds()
    except StoreError as exc:
        raise HTTPException(503, str(exc)) from None
    reports = [
        FeedReport(
            id=f.id,
            url=f.url,
            name=f.name,
            language=f.language,
            interval=f.interval,
            status=f.status,
            last_status=f.last_status,
            last_polled_at=f.last_polled_at,
            next_check_at=None if f.disabled or f.flagged else f.next_check_at,
            error_count=f.error_count,
            last_error=f.last_error,
            articles=f.articles,
        )
        for f in states
    ]
    body = FeedList(store=True, feeds=reports).model_dump_json()
    return Response(body, media_type="application/json", headers={"Cache-Control": "no-store"})


ExportName = Literal["timelinejs", "ical", "csv", "markdown"]


@router.get(
    "/api/export",
    responses={
        200: {
            "description": "The timeline in the format asked for, as a file to save",
            "content": {f.media_type.split(";")[0]: {} for f in FORMATS.values()},
        },
        **_NOT_MODIFIED,
        **_BAD_QUERY,
    },
    response_class=Response,
    summary="The timeline as TimelineJS JSON, iCalendar, CSV or Markdown",
    tags=["timeline"],
)
async def export_timeline(request: Request, format: ExportName, query: QueryDep) -> Response:  # noqa: A002
    """The events the filters keep, exported: `timelinejs` (the JSON a TimelineJS embed loads), `ical`
    (RFC 5545, one all-day event per event), `csv` (RFC 4180), `markdown`."""
    snap = snapshot(request)
    etag = etag_for(snap.version, request)
    if matches(request, etag):
        return not_modified(etag)
    if snap.timeline is None:
        raise HTTPException(404, "no timeline yet")
    form = FORMATS[format]
    data = export(filtered(snap.timeline, query), format, title=request.app.state.settings.title)
    response = _answer(data, etag, form.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="timeline.{form.extension}"'
    return response
