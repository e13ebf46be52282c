"""Engines the store can share with a running daemon: SQLite in WAL mode, or PostgreSQL; schema by alembic."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, OperationalError

from timeline.errors import TimelineError

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

MIGRATIONS = Path(__file__).with_name("migrations")
# Readers in WAL mode never wait; a writer waits this long for another writer before giving up.
BUSY_TIMEOUT_MS = 15_000
# Any constant: serialises concurrent first-time migrations of one PostgreSQL database.
_PG_MIGRATION_LOCK = 0x71E11E
WRITE = "timeline_write"
# The newest migration under migrations/versions (a test keeps the two in step): when the store is at
# this revision, opening it needs no alembic import, which keeps `timeline feeds list` quick.
SCHEMA_HEAD = "0003"


class StoreError(TimelineError):
    """The store cannot be opened or used: bad URL, unreachable server, schema from a newer version."""


F = TypeVar("F", bound=Callable[..., Any])


def retry_on_conflict(method: F) -> F:
    """Run an insert-if-absent write once more when a concurrent writer inserted the same key first.

    SQLite serialises writers (BEGIN IMMEDIATE), but PostgreSQL at READ COMMITTED lets two transactions
    both see "absent" and both insert; the loser's second attempt finds the winner's row.
    """

    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except IntegrityError:
            try:
                return method(*args, **kwargs)
            except IntegrityError as exc:
                reason = str(exc.orig or exc).strip().splitlines()[0]
                raise StoreError(f"conflicting concurrent write: {reason}") from None

    return wrapper  # type: ignore[return-value]


def insert_ignoring(conn: Any, table: Any, keys: list[str]) -> Any:
    """`INSERT ... ON CONFLICT (keys) DO NOTHING` in the connection's dialect (PostgreSQL or SQLite)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(table).on_conflict_do_nothing(index_elements=keys)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table).on_conflict_do_nothing(index_elements=keys)


def _sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling would BEGIN lazily and never around DDL; take it over.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        # NORMAL is crash-safe in WAL mode (a kill -9 loses nothing committed); FULL only adds power-loss.
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        # A writer takes the write lock up front: a deferred BEGIN that later upgrades can fail with
        # SQLITE_BUSY at once, without waiting out busy_timeout, when another writer got there first.
        write = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def safe_url(url: str | URL) -> str:
    """The URL with any password masked, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid URL>"


def make_engine(url: str) -> Engine:
    """Create the engine for `url`, with SQLite set up for one writer and many concurrent readers."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"invalid store URL {url!r}") from None
    kwargs: dict[str, Any] = {"future": True}
    sqlite = parsed.get_backend_name() == "sqlite"
    if sqlite:
        database = parsed.database or ""
        if database in ("", ":memory:") or database.startswith("file:"):
            raise StoreError(f"store URL {safe_url(url)}: the SQLite store must be a file path")
        try:
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"store URL {safe_url(url)}: cannot create its directory: {exc.strerror}"
            ) from None
        # Daemon workers are threads; each checks a connection out of the pool for one transaction.
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}
    else:
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(parsed, **kwargs)
    except (NoSuchModuleError, ImportError) as exc:
        raise StoreError(f"store URL {safe_url(url)}: unsupported driver ({exc})") from None
    if sqlite:
        _sqlite_hooks(engine)
    return engine


def alembic_config() -> AlembicConfig:
    """The alembic configuration of our migrations, for the store and for tools that inspect them."""
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _current_revision(connection: Any) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> str:
    """Bring the schema to the newest migration, in one transaction; return the revision now in place.

    SQLite answers "database is locked" at once, without waiting out busy_timeout, where waiting could
    deadlock (a reader upgrading to a writer) or while another process switches a new file to WAL; two
    processes opening one store together (the daemon starting while `timeline feeds list` runs) then
    simply try again, with a short back-off, within the same busy timeout.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    delay = 0.02
    while True:
        try:
            return _migrate(engine)
        except OperationalError as exc:
            reason = str(exc.orig or exc).strip().splitlines()[0] if (exc.orig or exc) else "unknown"
            if reason == "database is locked" and time.monotonic() + delay <= deadline:
                time.sleep(delay)
                delay = min(delay * 2, 0.5)
                continue
            raise StoreError(f"cannot open store {safe_url(engine.url)}: {reason}") from None


def _migrate(engine: Engine) -> str:
    with engine.connect() as connection:
        current = _current_revision(connection)
    if current == SCHEMA_HEAD:
        return current
    from alembic import command
    from alembic.script import ScriptDirectory

    config = alembic_config()
    script = ScriptDirectory.from_config(config)
    head = script.get_current_head()
    assert head is not None
    if current is not None and current not in {s.revision for s in script.walk_revisions()}:
        raise StoreError(
            f"store {safe_url(engine.url)} has schema revision {current}, newer than this "
            "version of timeline knows; upgrade timeline"
        )
    with engine.connect().execution_options(**{WRITE: True}) as connection, connection.begin():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return head
