"""Articles from paths: a folder with a manifest (the `seeds/` format), JSON Lines, text and HTML files.

Errors that make a whole path unusable (missing, empty, nothing readable in it, a manifest naming a
file that is not there, a file named on the command line that is larger than one article may be) raise
InputError with one line; one bad article among good ones is reported in `LoadResult.problems` and the
good ones load. The size of each article file, and of each JSON Lines record, is checked before it is
read, against `max_bytes` (`MAX_ARTICLE_BYTES` unless the caller says otherwise).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from timeline.errors import InputError
from timeline.models import Article
from timeline.sources.jsonl import JSONL_SUFFIXES, iter_jsonl, json_reason, too_large
from timeline.sources.language import language_tag
from timeline.sources.pubdate import NO_DATE_WARNING, prepare_article, settle_published

MANIFEST = "manifest.json"
TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
ARTICLE_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES

# (bytes read so far, total bytes of every input) for a progress bar by size.
Progress = Callable[[int, int], None]
# A news article is a few to a few hundred kilobytes, a book a few megabytes; beyond this a file is
# not an article (a log, a dump, a corpus in one file), and reading it would take minutes.
MAX_ARTICLE_BYTES = 10_000_000


@dataclass
class LoadResult:
    """The articles read from some paths, and one line for each article that could not be read."""

    articles: list[Article] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def default_seeds_path() -> Path:
    """The shipped `seeds/` folder of the project checkout; InputError if this install has none."""
    candidate = Path(__file__).resolve().parents[2] / "seeds"
    if (candidate / MANIFEST).is_file():
        return candidate
    raise InputError(
        f"the shipped seed articles were not found ({candidate} has no {MANIFEST}); "
        "run from a project checkout or pass article paths"
    )


def _kind(path: Path) -> str:
    name = path.name.lower()
    for kind, suffixes in (("jsonl", JSONL_SUFFIXES), ("html", HTML_SUFFIXES), ("text", TEXT_SUFFIXES)):
        if name.endswith(suffixes):
            return kind
    raise InputError(f"{path}: unsupported file type (expected .jsonl, .txt, .html, .htm or a folder)")


def read_text(path: Path) -> str:
    """A file's text as written (a UTF-8 byte-order mark dropped, line ends kept, so offsets are the
    file's); InputError naming the file, and the first bad byte counted from 1, if it is not UTF-8."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start + 1})") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None


def _require_size(path: Path, max_bytes: int | None) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if size == 0:
        raise InputError(f"{path}: file is empty")
    if max_bytes is not None and size > max_bytes:
        raise too_large(path, size, max_bytes)


def _text_article(path: Path, meta: dict[str, object] | None = None) -> Article:
    meta = meta or {}
    text = read_text(path)
    if not text.strip():
        raise InputError(f"{path}: article without text")
    title = meta.get("title")
    try:
        return prepare_article(
            article_id=str(meta.get("id") or path.stem),
            raw_text=text,
            published=meta.get("published"),
            basis=_manifest_basis(meta),
            title=str(title) if title else None,
            title_from_first_line=True,
            source=_opt(meta.get("source")),
            url=_opt(meta.get("url")),
            language=_opt(meta.get("language")),
            language_from="manifest",
        )
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


def _html_article(path: Path, meta: dict[str, object] | None = None) -> Article:
    from timeline.sources.html import article_from_html  # trafilatura loads slowly: only when needed

    meta = meta or {}
    try:
        article = article_from_html(path.read_bytes(), url=_opt(meta.get("url")), article_id=path.stem)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
    keys = ("id", "title", "source")
    updates: dict[str, object] = {k: str(meta[k]) for k in keys if meta.get(k)}
    declared = language_tag(meta.get("language"))
    if declared is not None:
        # the manifest is the user's word about the file: it outranks the page's own markup
        updates |= {"language": declared, "language_basis": "declared: manifest"}
    if meta.get("published"):
        try:
            published, basis = settle_published(meta["published"], "", _manifest_basis(meta))
        except InputError as exc:
            raise InputError(f"{path}: {exc}") from None
        updates |= {"published": published, "published_basis": basis}
    return article.model_copy(update=updates)


def _manifest_basis(meta: dict[str, object]) -> str | None:
    """How a manifest entry's date was found, in the manifest's own words; None without a date."""
    if not meta.get("published"):
        return None
    basis = meta.get("published_basis")
    return f"manifest: {basis}" if basis else "manifest"


def _manifest_entries(folder: Path) -> list[dict[str, object]]:
    manifest = folder / MANIFEST
    try:
        data = json.loads(read_text(manifest))
    except json.JSONDecodeError as exc:
        where = f"{manifest}:{exc.lineno}"
        raise InputError(f"{where}: invalid JSON at column {exc.colno}: {json_reason(exc)}") from None
    entries = data.get("articles") if isinstance(data, dict) else data
    if not isinstance(entries, list) or not entries:
        raise InputError(f'{manifest}: expected an "articles" list of {{"file": ...}} entries')
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            raise InputError(f'{manifest}: entry {number} has no "file"')
        if not (folder / entry["file"]).is_file():
            raise InputError(f"{manifest}: entry {number} names {entry['file']!r}, which is not in {folder}")
    return entries


def _iter_folder(
    folder: Path, progress: Callable[[int], None], max_bytes: int | None
) -> Iterator[Article | InputError]:
    if (folder / MANIFEST).is_file():
        for entry in _manifest_entries(folder):
            path = folder / str(entry["file"])
            progress(path.stat().st_size)
            try:
                _require_size(path, max_bytes)
                yield (_html_article if _kind(path) == "html" else _text_article)(path, entry)
            except InputError as exc:
                yield exc
        return
    paths = sorted(p for p in folder.iterdir() if p.is_file() and p.name.lower().endswith(ARTICLE_SUFFIXES))
    if not paths:
        raise InputError(f"{folder}: no {MANIFEST} and no article files (.jsonl, .txt, .html) in it")
    for path in paths:
        try:
            yield from _iter_file(path, progress, max_bytes)
        except InputError as exc:  # one oversized or empty file in a folder does not sink the others
            yield exc


def _iter_file(
    path: Path, progress: Callable[[int], None], max_bytes: int | None
) -> Iterator[Article | InputError]:
    kind = _kind(path)
    if kind == "jsonl":
        _require_size(path, None)  # a corpus: its records are checked one by one
        try:
            yield from iter_jsonl(path, progress=progress, max_bytes=max_bytes)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(f"{path}: cannot read ({exc})") from None
        return
    _require_size(path, max_bytes)
    progress(path.stat().st_size)
    try:
        yield (_html_article if kind == "html" else _text_article)(path)
    except InputError as exc:
        yield exc


def input_size(paths: Sequence[Path]) -> int:
    """Bytes of article files under the paths (what a progress bar by size counts up to)."""
    total = 0
    for path in map(Path, paths):
        if path.is_dir():
            files = (p for p in path.iterdir() if p.name.lower().endswith(ARTICLE_SUFFIXES))
            total += sum(p.stat().st_size for p in files)
        elif path.is_file():
            total += path.stat().st_size
    return total


def check_inputs(paths: Sequence[Path], *, max_bytes: int | None = MAX_ARTICLE_BYTES) -> None:
    """Refuse, before anything is read, a path that does not exist or an article file named on its own
    that is empty or larger than `max_bytes`."""
    for path in map(Path, paths):
        if not path.exists():
            raise InputError(f"{path}: no such file or folder")
    for path in map(Path, paths):
        if path.is_file() and not path.name.lower().endswith(JSONL_SUFFIXES):
            _require_size(path, max_bytes)


def load_paths(
    paths: Sequence[Path], *, progress: Progress | None = None, max_bytes: int | None = MAX_ARTICLE_BYTES
) -> LoadResult:
    """Read every article under the given paths (folders, .jsonl, .txt, .html), cleaned and dated.

    An article file (or JSON Lines record) over `max_bytes` is refused unread (None: no limit): named
    on its own it is an InputError before anything is read, inside a folder a problem line."""
    paths = [Path(p) for p in paths]
    check_inputs(paths, max_bytes=max_bytes)
    total = input_size(paths)
    done = 0

    def advance(nbytes: int) -> None:
        nonlocal done
        done += nbytes
        if progress is not None:
            progress(min(done, total), total)

    result = LoadResult()
    seen: set[str] = set()
    for path in paths:
        if path.is_dir():
            items = _iter_folder(path, advance, max_bytes)
        else:
            items = _iter_file(path, advance, max_bytes)
        _collect(path, items, result, seen)
    return result


def _collect(path: Path, items: Iterator[Article | InputError], result: LoadResult, seen: set[str]) -> None:
    good = 0
    bad: list[str] = []
    undated: list[str] = []
    for item in items:
        if isinstance(item, InputError):
            bad.append(str(item))
            continue
        good += 1
        if item.id in seen:
            bad.append(f"{path}: article id {item.id!r} appears twice; the later one is skipped")
            continue
        seen.add(item.id)
        result.articles.append(item)
        if item.published_basis == "none":
            undated.append(item.id)
    if not good:
        more = f" (and {len(bad) - 1} more problems)" if len(bad) > 1 else ""
        raise InputError((bad[0] if bad else f"{path}: no articles") + more)
    result.problems.extend(bad)
    undated = [i if i.isprintable() else repr(i) for i in undated]  # problems are one line each
    if len(undated) == 1:
        result.problems.append(f"{path}: article {undated[0]}: {NO_DATE_WARNING}")
    elif undated:
        # One line for the whole file: an undated feed dump would otherwise flood stderr.
        named = ", ".join(undated[:3]) + (", ..." if len(undated) > 3 else "")
        result.problems.append(f"{path}: {len(undated)} articles ({named}): {NO_DATE_WARNING}")
