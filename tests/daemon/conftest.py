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


@pytest.fixture(autouse=True, scope="session")
def _language_model_loaded() -> None:
    """Load the language detector once before the in-process daemon tests: a process pays for its model
    once (1-3 s, more on a busy machine), and these tests time polls, not process start-up."""
    from timeline.sources.language import detect_language

    detect_language("El modelo se carga una sola vez por proceso.")
