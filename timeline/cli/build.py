"""`timeline build` and `schema`: articles in, timeline JSON out (`show` and `export` are in show.py)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from timeline.cli import show
from timeline.errors import InputError

# Inputs smaller than this build in about a second: a progress bar would only flicker.
_PROGRESS_MIN_BYTES = 256 * 1024

Step = Callable[[int, int], None]


@contextmanager
def _progress(enabled: bool) -> Iterator[tuple[Step | None, Step | None]]:
    """Two progress callbacks (reading by bytes, building by articles) drawing one rich bar on stderr."""
    if not enabled:
        yield None, None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description:<8}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def step(name: str) -> Step:
            def update(done: int, total: int) -> None:
                if name not in tasks:
                    tasks[name] = bar.add_task(name, total=total)
                bar.update(tasks[name], completed=done, total=total)

            return update

        yield step("reading"), step("building")


def _warn(message: str) -> None:
    print(f"timeline: warning: {message}", file=sys.stderr)


def build(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Article folders (with manifest.json), .jsonl, .txt or .html files. "
            "Default: the shipped seeds/.",
            show_default=False,
            metavar="PATH",
        ),
    ] = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Where to write the timeline JSON (written atomically).")
    ] = Path("timeline.json"),
    top: Annotated[
        int | None,
        typer.Option("--top", min=1, help="Keep only the N most salient events.", show_default=False),
    ] = None,
    max_bytes: Annotated[
        int,
        typer.Option(
            "--max-bytes",
            min=1,
            envvar="TIMELINE_BUILD_MAX_BYTES",
            help="Refuse an article file (or JSON Lines record) larger than this many bytes, unread.",
        ),
    ] = 10_000_000,
) -> None:
    """Build one ordered, sourced timeline from articles and write it as JSON.

    Each article's relative dates ("last week", "on Wednesday") are anchored to its publication date,
    dated sentences become event mentions and mentions of one happening across articles merge into
    one event. Page furniture is removed first. An article that cannot be read is reported on stderr
    (one line each) and the rest still build; a path that cannot be read at all is an error.
    """
    from timeline.sources.files import check_inputs, default_seeds_path, input_size, load_paths

    inputs = list(paths) if paths else [default_seeds_path()]
    check_inputs(inputs, max_bytes=max_bytes)  # before the pipeline's imports: a refusal is instant
    from timeline.pipeline import build_timeline
    from timeline.render import write_json

    with _progress(sys.stderr.isatty() and input_size(inputs) >= _PROGRESS_MIN_BYTES) as (reading, building):
        loaded = load_paths(inputs, progress=reading, max_bytes=max_bytes)
        timeline = build_timeline(loaded.articles, top=top, progress=building)
    for problem in loaded.problems:
        _warn(problem)
    try:
        write_json(timeline, output)
    except OSError as exc:
        raise InputError(f"{output}: cannot write the timeline ({exc.strerror or exc})") from None
    print(
        f"timeline: wrote {output}: {len(timeline.events)} events from {len(timeline.articles)} articles",
        file=sys.stderr,
    )


def schema() -> None:
    """Print the JSON Schema of the timeline JSON that `timeline build` writes."""
    from timeline.models import Timeline

    print(json.dumps(Timeline.model_json_schema(mode="serialization"), indent=2))


def _help(command: Callable[..., None]) -> str:
    # Docstrings wrap at the source line length; the help screen should wrap at the terminal's.
    paragraphs = (command.__doc__ or "").strip().split("\n\n")
    return "\n\n".join(" ".join(p.split()) for p in paragraphs)


def register(app: typer.Typer) -> None:
    """Add `build`, `schema`, and `show` and `export` from cli/show.py, to the app."""
    for name, command in (("build", build), ("schema", schema)):
        app.command(name, help=_help(command))(command)
    show.register(app, _help)
