"""Shared fixtures: a store URL for every backend the suite can reach, each test with a fresh database,
and a local feed server (`tests/fixtures/feeds/feedserver.py`, importable as `feedserver`)."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "feeds"))

from feedserver import FeedServer  # noqa: E402

PG_ENV = "TIMELINE_TEST_PG_URL"


def _pg_schema_url(base: str) -> Iterator[str]:
    """A URL on the test server whose search_path is a new, empty schema, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # a configured but unreachable server is a failure, not a skip
        admin.dispose()
        pytest.fail(f"{PG_ENV} is set but PostgreSQL is unusable: {exc}")
    # A session time zone far from UTC: aware datetimes must round-trip whatever the server's zone.
    options = f"-csearch_path={schema} -ctimezone=Pacific/Kiritimati"
    url = make_url(base).update_query_dict({"options": options})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of an empty store: a SQLite file, then PostgreSQL when TIMELINE_TEST_PG_URL is set."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} not set: PostgreSQL store tests need a server (.ci/run starts one)")
    yield from _pg_schema_url(base)


@pytest.fixture
def store(store_url: str) -> Iterator[object]:
    """An open `timeline.store.Store` on `store_url`, closed after the test."""
    from timeline.store import Store

    opened = Store.open(store_url)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A fresh server per test on 127.0.0.1:0, so request logs never mix between tests."""
    with FeedServer() as server:
        yield server
