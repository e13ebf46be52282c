"""`timeline feeds`: subscribe, list, remove, import and export the feeds the daemon polls."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from timeline.controls import UNSAFE_OUTPUT
from timeline.errors import InputError

if TYPE_CHECKING:
    from timeline.config import Config
    from timeline.store import FeedState, Store

# The config and store modules pull in SQLAlchemy (~0.15 s): they are imported inside the commands so
# that every other `timeline` command, the timed `tag --batch` above all, starts without them.

feeds_app = typer.Typer(
    name="feeds",
    help="Manage the feeds `timeline daemon` polls, kept in the store the config names.\n\n"
    "Feeds listed in the config file are added to the store by every command.",
    no_args_is_help=True,
)

CONFIG_OPTION = typer.Option(
    None, "--config", help="Config file (default: $TIMELINE_CONFIG, config/timeline.toml)."
)


def clean(value: object) -> str:
    """Text safe for a terminal or a tab-separated line: control characters become U+FFFD."""
    return UNSAFE_OUTPUT.sub("\ufffd", "" if value is None else str(value))


def _open(config_path: Path | None) -> tuple[Config, Store]:
    from timeline.config import load_config
    from timeline.store import Store

    config = load_config(config_path)
    store = Store.open(config.store.url, max_failures=config.daemon.max_failures)
    try:
        store.sync_feeds(config.feeds)
    except BaseException:
        store.close()
        raise
    return config, store


def _when(value: dt.datetime | None, form: str) -> str:
    return value.strftime(form) if value else "-"


def feed_status(feed: FeedState) -> str:
    """One word for the state of a feed, with its last HTTP status or failure when there is one."""
    return feed.status


_COLUMNS = ("ID", "NAME", "URL", "STATUS", "LAST POLL", "ERRORS", "NEXT CHECK", "ARTICLES", "LAST ERROR")


def _rows(feeds: list[FeedState], form: str = "%Y-%m-%dT%H:%M:%SZ") -> list[tuple[str, ...]]:
    return [
        (
            str(f.id),
            clean(f.name or "-"),
            clean(f.url),
            feed_status(f),
            _when(f.last_polled_at, form),
            str(f.error_count),
            "-" if f.disabled or f.flagged else _when(f.next_check_at, form),
            str(f.articles),
            clean(f.last_error or "-"),
        )
        for f in feeds
    ]


def _print_table(rows: list[tuple[str, ...]]) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    # The last error gets its own line under the table: as a column it squeezes the rest on 80 columns.
    table = Table(box=None, header_style="bold", pad_edge=False)
    for name in _COLUMNS[:-1]:
        if name in ("NAME", "URL"):
            table.add_column(name, overflow="fold", ratio=1 if name == "NAME" else 2)
        else:
            table.add_column(
                name, no_wrap=True, justify="right" if name in ("ERRORS", "ARTICLES") else "left"
            )
    for row in rows:
        # Text cells: a feed name like "[red]x" is shown as written, never read as rich markup.
        table.add_row(*(Text(cell) for cell in row[:-1]))
    console = Console()
    console.print(table)
    for row in rows:
        if row[-1] != "-":
            console.print(Text(f"feed {row[0]}: {row[-1]}", style="yellow"))


def _interval(text: str) -> float:
    """The --interval option in seconds, or one line saying why it is not one."""
    from timeline.config import parse_interval

    try:
        return parse_interval(text)
    except ValueError as exc:
        raise InputError(f"--interval: {exc}") from None


def add(
    url: str = typer.Argument(..., help="Feed URL (http or https)."),
    name: str | None = typer.Option(None, "--name", help="Display name."),
    interval: str = typer.Option("15m", "--interval", help='How often to poll: "15m", "1h", "1d", "30s".'),
    language: str = typer.Option(
        "auto",
        "--language",
        help="Language of the feed's articles ('es', 'en'...); auto: as the feed declares, else detected.",
    ),
    config: Path | None = CONFIG_OPTION,
) -> None:
    """Subscribe to a feed (adding one already subscribed changes nothing)."""
    seconds = _interval(interval)
    _, store = _open(config)
    with store:
        before = store.get_feed(url.strip())
        feed = store.add_feed(url, name=name, interval=seconds, language=language)
    from timeline.config import format_interval

    verb = "already subscribed" if before else "added"
    typer.echo(f"{verb}: feed {feed.id} {clean(feed.url)} every {format_interval(feed.interval)}")


def list_(
    config: Path | None = CONFIG_OPTION,
    table: bool | None = typer.Option(
        None, "--table/--plain", help="Force a table or tab-separated lines (default: table on a terminal)."
    ),
) -> None:
    """List feeds with status, last poll, error count and next check (times in UTC)."""
    _, store = _open(config)
    with store:
        feeds = store.list_feeds()
    if table if table is not None else sys.stdout.isatty():
        # Month, day and minutes are enough for a person and keep the table inside 80 columns.
        _print_table(_rows(feeds, "%m-%d %H:%M"))
        return
    rows = _rows(feeds)
    typer.echo("\t".join(_COLUMNS))
    for row in rows:
        typer.echo("\t".join(row))


def remove(
    feed: str = typer.Argument(..., help="Feed id or URL."),
    config: Path | None = CONFIG_OPTION,
) -> None:
    """Unsubscribe from a feed, deleting its stored articles."""
    loaded, store = _open(config)
    with store:
        removed = store.remove_feed(feed)
    typer.echo(f"removed: feed {removed.id} {clean(removed.url)} and its {removed.articles} stored articles")
    if any(f.url in (removed.url, removed.origin_url) for f in loaded.feeds):
        typer.echo(
            f"note: {clean(removed.origin_url)} is in {loaded.path}; it comes back unless removed there",
            err=True,
        )


def enable(
    feed: str = typer.Argument(..., help="Feed id or URL."),
    config: Path | None = CONFIG_OPTION,
) -> None:
    """Poll a disabled or flagged feed again, from now, with its error count reset."""
    _, store = _open(config)
    with store:
        state = store.enable_feed(feed)
    typer.echo(f"enabled: feed {state.id} {clean(state.url)}")


def import_(
    file: Path = typer.Argument(..., help="OPML file, as exported by any feed reader."),
    interval: str = typer.Option("15m", "--interval", help="Poll interval for the imported feeds."),
    config: Path | None = CONFIG_OPTION,
) -> None:
    """Subscribe to every feed of an OPML file (all or nothing: a bad entry imports none)."""
    seconds = _interval(interval)
    from timeline.store.opml import read_opml

    found = read_opml(file)
    _, store = _open(config)
    added = 0
    with store:
        for entry in found:
            known = store.get_feed(entry.url) is not None
            store.add_feed(entry.url, name=entry.name, interval=seconds, language=entry.language or "auto")
            added += not known
    typer.echo(f"imported {file}: {added} added, {len(found) - added} already subscribed")


def export(config: Path | None = CONFIG_OPTION) -> None:
    """Write every subscribed feed to stdout as OPML 2.0."""
    from timeline.store.opml import write_opml

    _, store = _open(config)
    with store:
        feeds = store.list_feeds()
    sys.stdout.write(write_opml((f.url, f.name, f.language) for f in feeds))


feeds_app.command("add")(add)
feeds_app.command("list")(list_)
feeds_app.command("remove")(remove)
feeds_app.command("enable")(enable)
feeds_app.command("import")(import_)
feeds_app.command("export")(export)


def register(app: typer.Typer) -> None:
    """Add `timeline feeds ...` to the app."""
    app.add_typer(feeds_app, name="feeds")
