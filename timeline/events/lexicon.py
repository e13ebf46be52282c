"""Word lists the event stage reads: loaded once from `timeline/events/data/*.txt`.

English lists are `data/<name>`; another language adds its own `data/<language>/<name>` to them (a
Spanish article quotes English speakers and names English places too), so every reader takes a
`language` and English reads exactly what it always did.
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
# entries whose surrounding spaces are meaningful
_SPACED = {"clause_breaks.txt"}


def _read(path: Path, spaced: bool) -> list[str]:
    out: list[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.startswith("#") or not raw.strip():
            continue
        out.append(raw if spaced else raw.strip())
    return out


def base_language(language: str | None) -> str:
    """The primary subtag the data folders are named by ("es-MX" -> "es"); English when unknown."""
    return (language or "en").replace("_", "-").split("-")[0].lower() or "en"


@functools.cache
def lines(name: str, language: str = "en") -> tuple[str, ...]:
    """The non-comment lines of one data file, stripped; the order of the file is kept. For a language
    other than English, its own file's lines follow the English ones."""
    out = _read(DATA / name, name in _SPACED)
    own = DATA / base_language(language) / name
    if base_language(language) != "en" and own.is_file():
        out.extend(line for line in _read(own, name in _SPACED) if line not in out)
    return tuple(out)


@functools.cache
def own_lines(name: str, language: str) -> tuple[str, ...]:
    """The lines of a language's own data file only (empty when it has none)."""
    own = DATA / base_language(language) / name
    return tuple(_read(own, name in _SPACED)) if own.is_file() else ()


@functools.cache
def words(name: str, language: str = "en") -> frozenset[str]:
    """Every whitespace-separated word of a data file, as a set."""
    return frozenset(word for line in lines(name, language) for word in line.split())


@functools.cache
def phrases(name: str, language: str = "en") -> frozenset[str]:
    """Every line of a data file as one phrase, as a set."""
    return frozenset(lines(name, language))


@functools.cache
def tagged(name: str, language: str = "en") -> dict[str, str]:
    """A two-column data file ("tag word") read as word -> tag."""
    return {word: tag for tag, word in (line.split(maxsplit=1) for line in lines(name, language))}


@functools.cache
def table(name: str, language: str) -> dict[str, Any]:
    """A language's own TOML data file (empty when it has none)."""
    path = DATA / base_language(language) / name
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        return tomllib.load(handle)
