"""Timeline JSON: one serialisation, and a write that readers never see half done (for exports too)."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel

from timeline.models import Timeline


def to_json(timeline: Timeline) -> str:
    """The timeline as indented JSON text (the format `timeline schema` describes)."""
    return timeline.model_dump_json(indent=2) + "\n"


class TimelineJson:
    """`to_json`'s text as UTF-8 pieces, the piece of each article and event kept from the last call
    when the very same object is given again: the daemon's rebuilds keep most of them, so a rebuild
    serialises what changed, not the whole timeline, and writes the pieces out without ever joining
    them into one text (on a 5,000-article story that text is 25 MB, and a join, two replaces and an
    encode held four copies of it at once). Objects given again must not have been changed in place
    (the merger replaces an event it re-derives)."""

    def __init__(self) -> None:
        self._held: dict[int, tuple[BaseModel, bytes]] = {}

    def pieces(self, timeline: Timeline) -> list[bytes]:
        """The timeline as `to_json` writes it, in UTF-8 pieces to be written one after the other."""
        held: dict[int, tuple[BaseModel, bytes]] = {}

        def part(item: BaseModel) -> bytes:
            kept = self._held.get(id(item))
            if kept is None or kept[0] is not item:
                # an item two levels deep: each of its lines indented by two more levels
                kept = (item, _INDENT.sub("    ", item.model_dump_json(indent=2)).encode("utf-8"))
            held[id(item)] = kept
            return kept[1]

        lists = {
            "articles": [part(a) for a in timeline.articles],
            "events": [part(e) for e in timeline.events],
        }
        self._held = held
        rest = timeline.model_copy(update={"articles": [], "events": []}).model_dump_json(indent=2) + "\n"
        marks = sorted((rest.index(f'"{name}": []'), name) for name in lists)
        out: list[bytes] = []
        at = 0
        # a key's quotes are the only unescaped ones: the marker cannot occur inside a string
        for where, name in marks:
            out.append(rest[at:where].encode("utf-8"))
            at = where + len(f'"{name}": []')
            items = lists[name]
            if not items:
                out.append(f'"{name}": []'.encode())
                continue
            out.append(f'"{name}": [\n'.encode())
            for n, item in enumerate(items):
                if n:
                    out.append(b",\n")
                out.append(item)
            out.append(b"\n  ]")
        out.append(rest[at:].encode("utf-8"))
        return out

    def text(self, timeline: Timeline) -> str:
        """The timeline as `to_json` writes it."""
        return b"".join(self.pieces(timeline)).decode("utf-8")


_INDENT = re.compile(r"^", re.MULTILINE)


def write_json(timeline: Timeline, path: Path | str) -> None:
    """Write the timeline JSON atomically: a temp file in the same folder, fsync, then rename over.

    A reader (the daemon's consumers, `timeline show`) sees the old file or the new one, never a
    partial one, even if the process dies mid-write.
    """
    write_atomic(path, to_json(timeline).encode("utf-8"))


def write_atomic(path: Path | str, data: bytes | Iterable[bytes]) -> None:
    """Replace `path` with `data` (bytes, or pieces of it written in turn) so that readers see the old
    file or the new one, never a part."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            if isinstance(data, bytes):
                out.write(data)
            else:
                out.writelines(data)
            out.flush()
            os.fsync(out.fileno())
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o644
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    # The rename is durable only once the folder entry is on disk; some filesystems refuse: best effort.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
