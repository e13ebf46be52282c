"""Schema through migrations, opening errors, and SQLite's settings for a reader beside a writer."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

from timeline.store import Store, StoreError
from timeline.store.engine import migrate
from timeline.store.schema import metadata


def test_migrations_build_exactly_the_declared_schema(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
        revision = MigrationContext.configure(conn).get_current_revision()
    assert diff == [] and revision is not None


def test_schema_head_constant_is_the_newest_migration() -> None:
    from alembic.script import ScriptDirectory

    from timeline.store.engine import SCHEMA_HEAD, alembic_config

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == SCHEMA_HEAD


def test_reopening_keeps_data_and_does_not_migrate_again(store_url: str) -> None:
    with Store.open(store_url) as first:
        first.add_feed("http://h/rss")
    with Store.open(store_url) as second:
        assert [f.url for f in second.list_feeds()] == ["http://h/rss"]
        assert migrate(second.engine) is not None


def test_a_schema_newer_than_the_code_is_refused(store_url: str) -> None:
    with Store.open(store_url) as store, store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff_future'"))
    with pytest.raises(StoreError, match="newer than this version"):
        Store.open(store_url)


def test_sqlite_runs_in_wal_with_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    with (
        Store.open(f"sqlite:///{tmp_path / 'deep' / 'dir' / 'store.db'}") as store,
        store.engine.connect() as conn,
    ):
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_readers_are_not_blocked_by_an_open_write_transaction(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with Store.open(url) as daemon, Store.open(url) as cli:
        daemon.add_feed("http://h/committed")
        with daemon._write() as conn:  # a poll in progress, holding the write lock
            conn.execute(text("UPDATE feeds SET name = 'in progress'"))
            assert [(f.url, f.name) for f in cli.list_feeds()] == [("http://h/committed", None)]
        assert cli.list_feeds()[0].name == "in progress"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "invalid store URL"),
        ("sqlite://", "must be a file path"),
        ("nosuchdb://x/y", "unsupported driver"),
        ("postgresql+psycopg://nobody:secret@127.0.0.1:1/none", "cannot open store"),
    ],
)
def test_unusable_store_urls_are_one_line_errors_without_passwords(url: str, message: str) -> None:
    with pytest.raises(StoreError, match=message) as caught:
        Store.open(url)
    assert "secret" not in str(caught.value) and "\n" not in str(caught.value)


def test_unwritable_sqlite_location_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="cannot create its directory"):
        Store.open(f"sqlite:///{blocker / 'store.db'}")


def test_open_creates_nothing_but_the_file_it_was_given(tmp_path: Path) -> None:
    Store.open(f"sqlite:///{tmp_path / 'a.db'}").close()
    engine = create_engine(f"sqlite:///{tmp_path / 'a.db'}")
    with engine.connect() as conn:
        tables = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")}
    engine.dispose()
    assert tables == {"alembic_version", "feeds", "articles", "mentions", "store_state"}


def test_migrations_downgrade_to_nothing_and_back(store_url: str) -> None:
    from alembic import command

    from timeline.store.engine import alembic_config

    with Store.open(store_url) as store:
        store.add_feed("http://h/rss")
        config = alembic_config()
        with store.engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "base")
        with store.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), metadata) != []
    with Store.open(store_url) as store:
        assert store.list_feeds() == []
        store.add_feed("http://h/rss")
