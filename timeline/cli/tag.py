"""`timeline tag`: find and anchor the temporal expressions of a text, or of a JSON-lines stream.

The batch protocol (one JSON object a line in, one a line out, flushed per line) is the interface
`../shared/eval/score_tagger.py` drives; heavy modules load only when the first text is tagged so that
start-up stays cheap.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path
from typing import Any, TextIO

import typer

from timeline.errors import InputError

_FIELDS = ("text", "start_char", "end_char", "type", "value", "start", "end", "granularity")

_HELP = (
    "Find the temporal expressions of a text and anchor them to a publication date.\n\n"
    "Single text: `timeline tag --anchor 2023-12-28 article.txt` (FILE, or - or nothing for stdin). "
    "On a terminal the expressions print as a table; when stdout is piped, as JSON lines.\n\n"
    "Batch: `timeline tag --batch < requests.jsonl` reads one JSON object a line, "
    '{"id", "text", "anchor": "YYYY-MM-DD" or an ISO datetime, "language": optional}, and writes one '
    'line per request, in order, flushed as it goes: {"id", "expressions": [{"text", "start_char", '
    '"end_char", "type", "value", "start", "end", "granularity"}, ...]}; start/end are inclusive ISO '
    "dates, null for durations and sets.\n\n"
    "A bad line (invalid JSON, no id or text, bad anchor) is reported on stderr with its line number "
    'and, when its id can be read, answered with {"id", "expressions": [], "error"}, so every other '
    "line is still answered; the exit status is then 2 (1 if the tagger itself failed). "
    "--language sets the language of lines that name none; by default (auto) each text's language is "
    "detected (English when it is too short to tell)."
)


def parse_anchor(value: object, where: str) -> dt.date:
    """Read an anchor given as YYYY-MM-DD or an ISO datetime; the date is taken as written, not in UTC."""
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{where}: anchor must be a date YYYY-MM-DD or an ISO datetime, got {value!r}")
    text = value.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        # The writer's own calendar day decides "yesterday", so the offset is not applied.
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise InputError(f"{where}: anchor {text!r} is not a date YYYY-MM-DD or an ISO datetime") from None


def expression_row(expression: Any) -> dict[str, Any]:
    """One expression in the batch protocol's shape: the eight fields, dates as ISO strings or null."""
    row = {}
    for field in _FIELDS:
        value = getattr(expression, field)
        row[field] = value.isoformat() if isinstance(value, dt.date) else value
    return row


def _tagger() -> Any:
    """The tagger, imported on first use: its rules and dateparser cost start-up time."""
    from timeline.temporal import tag

    return tag


def _read_request(line: str, number: int, default_language: str) -> tuple[Any, str, dt.date, str]:
    """Validate one batch line and return (id, text, anchor, language); InputError names the line."""
    where = f"stdin line {number}"
    try:
        request = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: invalid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(request, dict):
        raise InputError(f"{where}: expected a JSON object with id, text and anchor")
    if "id" not in request or not isinstance(request["id"], str | int):
        raise InputError(f"{where}: missing id (a string or a number)")
    text = request.get("text")
    if not isinstance(text, str):
        raise InputError(f"{where}: id {request['id']!r}: missing text (a string)")
    anchor = parse_anchor(request.get("anchor"), f"{where}: id {request['id']!r}")
    language = request.get("language") or default_language
    if not isinstance(language, str):
        raise InputError(f"{where}: id {request['id']!r}: language must be a string such as 'en'")
    return request["id"], text, anchor, language


def _request_id(line: str) -> Any:
    """The id of a line that failed validation, if it can still be read, so its answer can carry it."""
    try:
        request = json.loads(line)
    except json.JSONDecodeError:
        return None
    return request.get("id") if isinstance(request, dict) else None


def _language(language: str, text: str) -> str:
    """The language to tag a text in: the one given, or for "auto" the one its words are written in."""
    from timeline.sources.language import AUTO, settle_language

    if language.strip().lower() != AUTO:
        return language
    return settle_language(None, None, text)[0]


def run_batch(lines: TextIO, out: TextIO, err: TextIO, language: str = "auto") -> int:
    """Answer every request line in order, flushing each; return 0, 2 if a line was bad, 1 on a tagger bug."""
    status = 0
    tag = None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            request_id, text, anchor, lang = _read_request(line, number, language)
            tag = tag or _tagger()
            expressions = [expression_row(e) for e in tag(text, anchor, language=_language(lang, text))]
            answer: dict[str, Any] = {"id": request_id, "expressions": expressions}
        except Exception as exc:  # noqa: BLE001 - one bad request must not cost the others their answers
            bad_input = isinstance(exc, InputError)
            status = 2 if bad_input or status == 2 else 1
            where = f"stdin line {number}: "
            message = str(exc) if bad_input else f"tagger failed: {exc!r}"
            message = message if message.startswith(where) else where + message
            print(f"timeline: error: {message}", file=err, flush=True)
            request_id = _request_id(line)
            if request_id is None:
                continue
            answer = {"id": request_id, "expressions": [], "error": message}
        out.write(json.dumps(answer, ensure_ascii=False) + "\n")
        out.flush()
    return status


def _utf8_streams() -> None:
    """JSON lines are UTF-8 whatever the locale says; a stray bad byte becomes U+FFFD, not a crash."""
    for stream in (sys.stdin, sys.stdout):
        if isinstance(stream, io.TextIOWrapper) and not stream.isatty():
            stream.reconfigure(encoding="utf-8", errors="replace")


def _read_text(path: str | None) -> str:
    """The text of FILE, or of stdin for `-` or no FILE; InputError if it cannot be read as UTF-8."""
    if path in (None, "-"):
        return sys.stdin.read()
    from timeline.sources.files import read_text

    return read_text(Path(path))


def _print_table(expressions: list[Any]) -> None:
    """Show the expressions as a rich table, for a person at a terminal."""
    from rich.console import Console
    from rich.table import Table

    table = Table("chars", "text", "type", "value", "start", "end", "granularity")
    for e in expressions:
        table.add_row(
            f"{e.start_char}-{e.end_char}",
            e.text,
            e.type,
            e.value,
            str(e.start or ""),
            str(e.end or ""),
            e.granularity or "",
        )
    Console().print(table)


def register(app: typer.Typer) -> None:
    """Add the `tag` command to the app."""

    @app.command("tag", help=_HELP)
    def tag_command(
        path: str | None = typer.Argument(
            None, metavar="[FILE|-]", help="Text file to tag; - or none: stdin."
        ),
        anchor: str | None = typer.Option(
            None, "--anchor", help="Publication date YYYY-MM-DD (or ISO datetime) to anchor to."
        ),
        language: str = typer.Option(
            "auto", "--language", help="Language of the text: 'en', 'es' or a dateparser code; auto: detect."
        ),
        batch: bool = typer.Option(False, "--batch", help="Read JSON-lines requests on stdin (see above)."),
    ) -> None:
        _utf8_streams()
        if batch:
            if path not in (None, "-"):
                raise InputError("--batch reads its requests from stdin; drop the FILE argument")
            status = run_batch(sys.stdin, sys.stdout, sys.stderr, language)
            if status:
                raise typer.Exit(status)
            return
        if anchor is None:
            raise InputError("--anchor YYYY-MM-DD is required to tag a single text (or use --batch)")
        day = parse_anchor(anchor, "--anchor")
        text = _read_text(path)
        expressions = _tagger()(text, day, language=_language(language, text))
        if sys.stdout.isatty():
            _print_table(expressions)
            return
        for expression in expressions:
            sys.stdout.write(json.dumps(expression_row(expression), ensure_ascii=False) + "\n")
        sys.stdout.flush()
