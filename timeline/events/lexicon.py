"""Word lists the event stage reads: loaded once from `timeline/events/data/*.txt`."""

from __future__ import annotations

import functools
from pathlib import Path

DATA = Path(__file__).parent / "data"


@functools.cache
def lines(name: str) -> tuple[str, ...]:
    """The non-comment lines of one data file, stripped; the order of the file is kept."""
    out: list[str] = []
    for raw in (DATA / name).read_text(encoding="utf-8").splitlines():
        if raw.startswith("#") or not raw.strip():
            continue
        # clause_breaks.txt entries carry meaningful surrounding spaces
        out.append(raw if name == "clause_breaks.txt" else raw.strip())
    return tuple(out)


@functools.cache
def words(name: str) -> frozenset[str]:
    """Every whitespace-separated word of a data file, as a set."""
    return frozenset(word for line in lines(name) for word in line.split())


@functools.cache
def phrases(name: str) -> frozenset[str]:
    """Every line of a data file as one phrase, as a set."""
    return frozenset(lines(name))


@functools.cache
def tagged(name: str) -> dict[str, str]:
    """A two-column data file ("tag word") read as word -> tag."""
    return {word: tag for tag, word in (line.split(maxsplit=1) for line in lines(name))}
