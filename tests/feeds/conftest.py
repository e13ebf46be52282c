"""Fixtures for feed retrieval and parsing tests: a real local HTTP server serving seed feeds."""

from __future__ import annotations

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
