"""`timeline show` (the chronology, filtered, or one event in full) and `timeline export` (TimelineJS,
iCalendar, CSV, Markdown)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from timeline.errors import InputError

if TYPE_CHECKING:
    from timeline.models import Timeline
    from timeline.render.query import EventQuery

DEFAULT_FILE = Path("timeline.json")

FromOption = Annotated[
    str | None,
    typer.Option(
        "--from", help="Only events on or after this date: YYYY, YYYY-MM or YYYY-MM-DD.", show_default=False
    ),
]
ToOption = Annotated[
    str | None,
    typer.Option(
        "--to", help="Only events on or before this date (the whole interval inside).", show_default=False
    ),
]
GrepOption = Annotated[
    str | None,
    typer.Option(
        "--grep",
        help='Only events whose title, summary or sources hold every word ("quoted phrases" too); '
        "case and accents are ignored, words match at their start.",
        show_default=False,
    ),
]
TopOption = Annotated[
    int | None,
    typer.Option(
        "--top", min=1, help="Only the N most salient events (kept in date order).", show_default=False
    ),
]


def load_timeline(file: Path) -> Timeline:
    """A timeline JSON file, or one line saying why it cannot be read."""
    from pydantic import ValidationError

    from timeline.models import Timeline

    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{file}: no such file (write one with `timeline build`)") from None
    except IsADirectoryError:
        raise InputError(f"{file}: is a folder, not a timeline JSON file") from None
    except OSError as exc:
        raise InputError(f"{file}: cannot read ({exc.strerror})") from None
    try:
        return Timeline.model_validate_json(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "top level"
        raise InputError(f"{file}: not a timeline JSON file ({where}: {first['msg']})") from None


def _query(start: str | None, end: str | None, words: str | None, top: int | None) -> EventQuery:
    from timeline.render.query import EventQuery

    return EventQuery.parse(start=start, end=end, words=words, top=top, names=("--from", "--to"))


def _targets(arguments: list[str]) -> tuple[Path, str | None]:
    """(timeline file, event id) from `show`'s positional arguments: [FILE] [EVENT_ID]."""
    if len(arguments) > 2:
        raise InputError("show takes at most a FILE and an EVENT_ID")
    if len(arguments) == 2:
        return Path(arguments[0]), arguments[1]
    if not arguments:
        return DEFAULT_FILE, None
    only = Path(arguments[0])
    if only.exists() or only.suffix.lower() == ".json":
        return only, None
    return DEFAULT_FILE, arguments[0]


def show(
    arguments: Annotated[
        list[str] | None,
        typer.Argument(
            help="A timeline JSON written by `timeline build` (default timeline.json), and/or the id of "
            "one event to show in full.",
            metavar="[FILE] [EVENT_ID]",
            show_default=False,
        ),
    ] = None,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", help="Also print each source's outlet, date, URL and sentence, and conflicts."
        ),
    ] = False,
    start: FromOption = None,
    end: ToOption = None,
    grep: GrepOption = None,
    top: TopOption = None,
    lang: Annotated[
        str, typer.Option("--lang", help='Language to write dates in: en, es ("miércoles 27 dic 2023").')
    ] = "en",
) -> None:
    """Print a timeline as a chronology: one line an event with its date, title and number of sources.

    The date is written at the precision the sources support ("Wed 27 Dec 2023", "week of 18 Dec
    2023", "Dec 2023", "Q4 2023", "2024"), in the reader's language with --lang ("miércoles 27 dic
    2023", "semana del 18 dic 2023"). Colour on a terminal, plain text when piped.

    `timeline show EVENT_ID` (or `show FILE EVENT_ID`) prints one event in full: its summary, every
    article that reports it with title, outlet, date and URL, each source sentence, conflicts and doubts.
    """
    from timeline.render import print_chronology, print_event
    from timeline.render.dates import date_languages
    from timeline.render.query import filtered, find_event

    language = lang.split("-")[0].lower()
    if language not in date_languages():
        raise InputError(f"--lang {lang!r}: dates can be written in {', '.join(date_languages())}")
    file, event_id = _targets(arguments or [])
    query = _query(start, end, grep, top)
    timeline = load_timeline(file)
    if event_id is not None:
        event = find_event(timeline, event_id)
        if event is None:
            raise InputError(f"{file}: no event with id {event_id!r} (ids are listed by `timeline show -v`)")
        print_event(event, timeline, language=language)
        return
    chosen = filtered(timeline, query)
    if not chosen.events and timeline.events:
        print(f"timeline: no event of {len(timeline.events)} matches the filters", file=sys.stderr)
        return
    print_chronology(chosen, verbose=verbose, language=language)


def export(
    file: Annotated[
        Path, typer.Argument(help="A timeline JSON written by `timeline build`.", metavar="[FILE]")
    ] = DEFAULT_FILE,
    format_name: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="timelinejs, ical, csv or markdown.", metavar="FORMAT", show_default=False
        ),
    ] = "",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write here (atomically) instead of to stdout.", show_default=False
        ),
    ] = None,
    title: Annotated[
        str, typer.Option("--title", help="The timeline's title (TimelineJS, iCalendar, Markdown).")
    ] = "Timeline",
    start: FromOption = None,
    end: ToOption = None,
    grep: GrepOption = None,
    top: TopOption = None,
) -> None:
    """Export a timeline (or the events the filters keep) in a format other tools read.

    timelinejs: the JSON a TimelineJS embed loads (a title slide, one slide an event with dates at the
    event's precision, sources as links). ical: an RFC 5545 calendar with one all-day event per event.
    csv: one RFC 4180 row an event. markdown: a document with a heading per event.
    """
    from timeline.render.exports import FORMATS
    from timeline.render.exports import export as write
    from timeline.render.jsonfile import write_atomic
    from timeline.render.query import filtered

    if format_name not in FORMATS:
        raise InputError(f"--format must be one of {', '.join(FORMATS)}, got {format_name!r}")
    query = _query(start, end, grep, top)
    data = write(filtered(load_timeline(file), query), format_name, title=title)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        write_atomic(output, data)
    except OSError as exc:
        raise InputError(f"{output}: cannot write the export ({exc.strerror or exc})") from None
    print(f"timeline: wrote {output} ({format_name})", file=sys.stderr)


def register(app: typer.Typer, helptext: object) -> None:
    """Add `show` and `export` to the app; `helptext(command)` turns a docstring into help text."""
    for name, command in (("show", show), ("export", export)):
        app.command(name, help=helptext(command))(command)  # type: ignore[operator]
