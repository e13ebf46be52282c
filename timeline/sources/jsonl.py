"""JSON Lines article files: one article object a line, read as a stream so large files stay cheap.

The format is `{"id", "title", "text", "published", "source", "url", "language"}` (the evaluation
sets' format); `.gz` files are read through gzip.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator
from io import BufferedIOBase
from pathlib import Path

from timeline.errors import InputError
from timeline.models import Article
from timeline.sources.pubdate import prepare_article

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")


def json_reason(exc: json.JSONDecodeError) -> str:
    """The decoder's reason without its dangling " at" / " starting" (the caller says where)."""
    return exc.msg.removesuffix(" at").removesuffix(" starting")


def too_large(where: Path | str, size: int, max_bytes: int) -> InputError:
    """The one-line refusal of an input larger than one article may be (`timeline build --max-bytes`)."""
    return InputError(
        f"{where}: {size:,} bytes is more than one article may be ({max_bytes:,} bytes;"
        " raise the limit with --max-bytes or TIMELINE_BUILD_MAX_BYTES)"
    )


def _open(path: Path) -> BufferedIOBase:
    if path.name.endswith(".gz"):
        return gzip.open(path, "rb")
    return path.open("rb")


def _text_field(record: dict[str, object], key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


def _article(record: object, path: Path, number: int) -> Article:
    if not isinstance(record, dict):
        raise InputError(f"expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError("article without text")
    return prepare_article(
        article_id=_text_field(record, "id") or f"{path.name}:{number}",
        raw_text=text,
        published=record.get("published"),
        basis=_text_field(record, "published_basis"),
        title=_text_field(record, "title"),
        source=_text_field(record, "source"),
        url=_text_field(record, "url"),
        language=_text_field(record, "language"),
        language_from="record",
    )


def _lines(handle: BufferedIOBase, max_bytes: int | None) -> Iterator[tuple[bytes, int]]:
    """Each line with its length; a line over `max_bytes` comes back empty (with its real length)
    after being skipped a block at a time, never held whole."""
    block = max_bytes + 1 if max_bytes is not None else -1
    while raw := handle.readline(block):
        size = len(raw)
        if max_bytes is None or size <= max_bytes or raw.endswith(b"\n"):
            yield raw, size
            continue
        while not raw.endswith(b"\n") and (raw := handle.readline(1 << 20)):
            size += len(raw)
        yield b"", size


def iter_jsonl(
    path: Path, *, progress: Callable[[int], None] | None = None, max_bytes: int | None = None
) -> Iterator[Article | InputError]:
    """Yield each line's Article, or an InputError saying `file:line: what` for a bad line.

    `progress` is called with the number of bytes just read, so a caller can show a bar by size; a
    line longer than `max_bytes` is skipped unread and reported.
    """
    with _open(path) as handle:
        for number, (raw, size) in enumerate(_lines(handle, max_bytes), start=1):
            if progress is not None:
                progress(size)
            where = f"{path}:{number}"
            if max_bytes is not None and size > max_bytes and not raw:
                yield too_large(where, size, max_bytes)
                continue
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield InputError(f"{where}: not UTF-8 text (byte {exc.start + 1})")
                continue
            try:
                record = json.loads(line.strip())
            except json.JSONDecodeError as exc:
                yield InputError(f"{where}: invalid JSON at column {exc.colno}: {json_reason(exc)}")
                continue
            try:
                yield _article(record, path, number)
            except InputError as exc:
                yield InputError(f"{where}: {exc}")
