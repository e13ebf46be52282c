"""`timeline serve`: the timeline as a web page and an HTTP API (read-only), with /healthz and /metrics."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import Annotated

import typer

_CONFIG = typer.Option(
    "--config",
    "-c",
    help="Config file (default: $TIMELINE_CONFIG, else config/timeline.toml).",
    show_default=False,
)


def serve(
    timeline: Annotated[
        Path | None,
        typer.Option(
            "--timeline",
            "-t",
            help="Serve this timeline JSON alone (no store). Default: the JSON the config's daemon writes, "
            "and the config's store for /api/feeds, /healthz and /metrics.",
            show_default=False,
        ),
    ] = None,
    host: Annotated[
        str | None,
        typer.Option(
            "--host",
            help="Address to listen on (default: the config's serve host, 127.0.0.1).",
            show_default=False,
        ),
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(
            "--port",
            "-p",
            min=0,
            max=65535,
            help="Port (default: the config's serve port, 8080; 0: any free one).",
            show_default=False,
        ),
    ] = None,
    config: Annotated[Path | None, _CONFIG] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Also log each reload of the timeline.")
    ] = False,
) -> None:
    """Serve the timeline as a web page and an HTTP API until Ctrl-C or SIGTERM.

    The page (/) shows the chronology with date and word filters and refreshes itself when the timeline
    file is replaced (by `timeline daemon` or `timeline build`). The API: /api/timeline, /api/events/ID,
    /api/articles, /api/feeds, /api/export?format=timelinejs|ical|csv|markdown, described at
    /openapi.json; /healthz and /metrics for monitoring. Read-only. It listens on 127.0.0.1 unless told
    otherwise: put a reverse proxy in front, or --host 0.0.0.0, to share it.
    """
    import logging

    from timeline.cli.show import load_timeline
    from timeline.config import load_config
    from timeline.daemon import setup_logging
    from timeline.web.app import create_app, settings_from
    from timeline.web.server import announce, bind, make_server

    setup_logging(logging.INFO if verbose else logging.WARNING)
    loaded = load_config(config)
    if timeline is not None:
        load_timeline(timeline)  # a file named on the command line must be there and read
    settings = settings_from(loaded, timeline)
    host = host or loaded.serve.host
    sock = bind(host, loaded.serve.port if port is None else port)
    # uvicorn re-raises the signal that stopped it once it has shut down: SIGTERM then exits 0. Set
    # before the "serving" line, which tells a supervisor (or a test) it may now send one.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(0))
    announce(sock, settings)
    make_server(create_app(settings)).run(sockets=[sock])


def register(app: typer.Typer, helptext: object) -> None:
    """Add `serve` to the app."""
    app.command("serve", help=helptext(serve))(serve)  # type: ignore[operator]
