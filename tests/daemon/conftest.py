"""Fixtures for daemon tests: a real local feed server, configs in tmp dirs, `timeline` child processes."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "feeds"))

from feedserver import FeedServer  # noqa: E402


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A fresh server per test on 127.0.0.1:0, so request logs never mix between tests."""
    with FeedServer() as server:
        yield server


@pytest.fixture
def daemons() -> Iterator[list[subprocess.Popen[str]]]:
    """Daemon processes a test starts; any still running at the end are killed."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(10)
