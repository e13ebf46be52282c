"""`timeline daemon` (poll feeds on schedule, in the foreground) and `timeline poll --once` (one round).

Both log to stderr, one line per poll per feed:
`<UTC time> INFO poll feed=<name|url> status=<200|304|error...> new=N updated=M duration=0.12s`.
"""

from __future__ import annotations

import logging
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from timeline.errors import InputError

if TYPE_CHECKING:
    from timeline.daemon import Daemon
    from timeline.daemon.observe import DaemonObserver

_CONFIG = typer.Option(
    None, "--config", "-c", help="Config file (default: $TIMELINE_CONFIG, else config/timeline.toml)."
)
_VERBOSE = typer.Option(False, "--verbose", "-v", help="Also log page fetches and parser warnings.")
_QUIET = typer.Option(False, "--quiet", "-q", help="Log only failures.")


def _level(verbose: bool, quiet: bool) -> int:
    if verbose and quiet:
        raise InputError("--verbose and --quiet exclude each other")
    return logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO


def _exit_on_sigterm() -> None:
    """Until the daemon takes over the signals, SIGTERM unwinds like an exception: an open transaction
    (the store's migrations) rolls back and the exit status is still 0."""

    def _exit(_signum: int, _frame: object) -> None:
        sys.exit(0)

    signal.signal(signal.SIGTERM, _exit)


def _start(
    config_path: Path | None, verbose: bool, quiet: bool, observer: DaemonObserver | None = None
) -> Daemon:
    """Logging, configuration and a Daemon that owns SIGTERM/SIGINT: what both commands start with."""
    from timeline.config import load_config
    from timeline.daemon import Daemon, setup_logging

    setup_logging(_level(verbose, quiet))
    config = load_config(config_path)
    _exit_on_sigterm()
    daemon = Daemon(config, observer=observer)
    daemon.install_signal_handlers()
    return daemon


def _daemon(config_path: Path | None, verbose: bool, quiet: bool, serve: str | None = None) -> None:
    """Run in the foreground until SIGTERM/SIGINT (systemd Type=simple); exit 0 on a clean stop.
    With `serve` (HOST:PORT), the web page and API run on a thread beside the scheduler."""
    if serve is None:
        sys.exit(_start(config_path, verbose, quiet).run_forever())
    from timeline.web.app import create_app, settings_from
    from timeline.web.metrics import Metrics
    from timeline.web.server import ServerThread, announce, bind, parse_address

    sock = bind(*parse_address(serve))
    metrics = Metrics()
    daemon = _start(config_path, verbose, quiet, observer=metrics)
    settings = settings_from(daemon.config)
    server = ServerThread(create_app(settings, metrics=metrics), sock)
    server.start()
    announce(sock, settings)
    try:
        code = daemon.run_forever()
    finally:
        server.stop()
    sys.exit(code)


def _poll(once: bool, all_feeds: bool, config_path: Path | None, verbose: bool, quiet: bool) -> None:
    """Poll the due feeds once, update the timeline JSON if anything changed, and exit (for cron)."""
    if not once:
        raise InputError("timeline poll needs --once (for continuous polling run `timeline daemon`)")
    sys.exit(_start(config_path, verbose, quiet).run_once(all_feeds=all_feeds))


def register(app: typer.Typer) -> None:
    """Add `daemon` and `poll` to the app."""

    @app.command("daemon")
    def daemon_command(
        config: Path | None = _CONFIG,
        verbose: bool = _VERBOSE,
        quiet: bool = _QUIET,
        serve: str | None = typer.Option(
            None,
            "--serve",
            metavar="HOST:PORT",
            help="Also serve the web page, API, /healthz and /metrics there (as `timeline serve`), "
            "e.g. 127.0.0.1:8080.",
        ),
    ) -> None:
        """Poll the configured feeds on schedule and keep the timeline JSON current (foreground).

        Stops cleanly on SIGTERM or SIGINT within 10 seconds. Logs one line per poll per feed to
        stderr: `poll feed=NAME status=200|304|... new=N updated=M duration=0.12s`.
        """
        _daemon(config, verbose, quiet, serve)

    @app.command("poll")
    def poll_command(
        once: bool = typer.Option(False, "--once", help="Do a single round of polling and exit."),
        all_feeds: bool = typer.Option(
            False, "--all", help="Poll every feed not disabled or flagged, due or not."
        ),
        config: Path | None = _CONFIG,
        verbose: bool = _VERBOSE,
        quiet: bool = _QUIET,
    ) -> None:
        """Poll the due feeds once, update the timeline JSON, and exit (for cron).

        Exit status: 0 every poll succeeded, 1 a feed's poll failed (the log names it), 2 bad config.
        """
        _poll(once, all_feeds, config, verbose, quiet)
