"""The ASGI application: API, page, /healthz and /metrics over one watched timeline file and the store."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from timeline.config import Config
from timeline.models import Health
from timeline.web import api, pages
from timeline.web.conditional import AnswerCache
from timeline.web.health import check
from timeline.web.metrics import CONTENT_TYPE, Metrics
from timeline.web.security import SecurityHeaders
from timeline.web.state import StoreAccess, TimelineFile


@dataclass(frozen=True)
class ServeSettings:
    """What the server reads and how it reports: the timeline file, the store (None: the file alone)."""

    timeline: Path
    store_url: str | None = None
    title: str = "Timeline"
    max_round_age: float = 3600.0
    refresh: float = 30.0
    max_failures: int = 10


def _version() -> str:
    try:
        return version("timeline")
    except PackageNotFoundError:  # pragma: no cover - running from a tree that was never installed
        return "0"


def settings_from(config: Config, timeline: Path | None = None) -> ServeSettings:
    """Settings from the configuration: its timeline JSON and store, or `timeline` alone (no store)."""
    serve = config.serve
    if timeline is not None:
        return ServeSettings(
            timeline=timeline.resolve(),
            title=serve.title,
            max_round_age=serve.max_round_age,
            refresh=serve.refresh,
        )
    return ServeSettings(
        timeline=config.output.json_path,
        store_url=config.store.url,
        title=serve.title,
        max_round_age=serve.max_round_age,
        refresh=serve.refresh,
        max_failures=config.daemon.max_failures,
    )


def create_app(settings: ServeSettings, *, metrics: Metrics | None = None) -> FastAPI:
    """The app. `metrics` lets a daemon in the same process record into the registry /metrics shows."""
    source = TimelineFile(settings.timeline)
    access = StoreAccess(settings.store_url, max_failures=settings.max_failures)
    metrics = metrics or Metrics()
    metrics.watch(lambda: source.snapshot, access)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        source.start()
        try:
            yield
        finally:
            source.stop()
            access.close()

    app = FastAPI(
        title="timeline",
        version=_version(),
        summary="One ordered, sourced chronology of a news story, from many articles",
        description="Read-only: the timeline's events (filtered, paged, with ETags), each event's "
        "sources, the articles, the feeds being polled, exports, health and Prometheus metrics.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.source = source
    app.state.access = access
    app.state.metrics = metrics
    app.state.answers = AnswerCache()
    app.state.started_at = dt.datetime.now(dt.UTC)
    app.add_middleware(SecurityHeaders)
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.get(
        "/healthz",
        response_model=Health,
        responses={503: {"model": Health, "description": "A check failed: `problems` says which"}},
        summary="Whether the store answers and feeds were polled recently enough",
        tags=["operations"],
    )
    def healthz(request: Request) -> JSONResponse:
        """200 when healthy; 503 when the store cannot be reached, or no feed poll succeeded within
        `[serve] max_round_age` (the server's start counts as one until the first), or a replaced
        timeline file cannot be read."""
        health = check(
            source.snapshot,
            access,
            max_round_age=settings.max_round_age,
            started_at=request.app.state.started_at,
            now=dt.datetime.now(dt.UTC),
        )
        return JSONResponse(
            health.model_dump(mode="json"),
            status_code=200 if health.status == "ok" else 503,
            headers={"Cache-Control": "no-store"},
        )

    @app.get(
        "/metrics",
        response_class=Response,
        responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format 0.0.4"}},
        summary="Prometheus metrics",
        tags=["operations"],
    )
    def prometheus() -> Response:
        """Events and articles served, feeds by state and articles stored; with `timeline daemon
        --serve`, also polls by status and round and rebuild durations (histograms)."""
        return Response(metrics.exposition(), media_type=CONTENT_TYPE, headers={"Cache-Control": "no-store"})

    return app
