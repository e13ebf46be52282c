"""Timeline JSON: one serialisation, and a write that readers never see half done (for exports too)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from timeline.models import Timeline


def to_json(timeline: Timeline) -> str:
    """The timeline as indented JSON text (the format `timeline schema` describes)."""
    return timeline.model_dump_json(indent=2) + "\n"


def write_json(timeline: Timeline, path: Path | str) -> None:
    """Write the timeline JSON atomically: a temp file in the same folder, fsync, then rename over.

    A reader (the daemon's consumers, `timeline show`) sees the old file or the new one, never a
    partial one, even if the process dies mid-write.
    """
    write_atomic(path, to_json(timeline).encode("utf-8"))


def write_atomic(path: Path | str, data: bytes) -> None:
    """Replace `path` with `data` so that readers see the old file or the new one, never a part."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
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
