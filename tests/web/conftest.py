"""Fixtures for web tests: `timeline serve` (and `daemon --serve`) as real processes on a free port."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "render"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "daemon"))  # daemonkit: child_env, wait_for
sys.path.insert(0, str(Path(__file__).resolve().parent))

from webkit import Served, start  # noqa: E402


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Served]]:
    """Start `timeline <args>` (serve, or daemon --serve) and wait for its URL; stopped afterwards."""
    started: list[subprocess.Popen[str]] = []

    def run(*args: str, command: str = "serve") -> Served:
        served = start(tmp_path, command, *args)
        started.append(served.process)
        return served

    yield run
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(10)
