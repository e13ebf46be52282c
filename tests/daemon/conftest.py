"""Fixtures for daemon tests: `timeline` child processes (the feed server is in tests/conftest.py)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest


@pytest.fixture
def daemons() -> Iterator[list[subprocess.Popen[str]]]:
    """Daemon processes a test starts; any still running at the end are killed."""
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(10)
