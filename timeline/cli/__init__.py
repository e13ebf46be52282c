"""The `timeline` command: a thin shell over the library, one module per command group."""

from __future__ import annotations

import sys

import typer

from timeline.cli import build, daemon, feeds, serve, tag
from timeline.errors import TimelineError

app = typer.Typer(
    name="timeline",
    help="Reconstruct one ordered, sourced event timeline from news articles.\n\n"
    "Every temporal expression is anchored to its article's publication date; dated statements become "
    "event mentions, mentions of one happening across sources merge into one event.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"timeline {version('timeline')}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Reconstruct one ordered, sourced event timeline from news articles."""


for module in (tag, build, daemon, feeds):
    module.register(app)
serve.register(app, build._help)


def main() -> None:
    """Entry point: run the app, turning expected errors into one line on stderr and exit code 2."""
    try:
        app()
    except TimelineError as exc:
        print(f"timeline: error: {exc}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
