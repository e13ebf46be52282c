"""`Store`: the one object the daemon and the CLI use to reach feeds, articles and extractions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType

from sqlalchemy import Connection, Engine, select, update
from sqlalchemy.exc import OperationalError

from timeline.store.articles import ArticlesMixin
from timeline.store.engine import WRITE, StoreError, insert_ignoring, make_engine, migrate, safe_url
from timeline.store.feeds import FeedsMixin, utcnow
from timeline.store.schema import store_state

CHANGES = "changes"


class Store(FeedsMixin, ArticlesMixin):
    """Feeds, their polling state, articles and extracted mentions, over SQLAlchemy (SQLite or PostgreSQL).

    Every public write runs in its own transaction: a crash at any point leaves the store as it was before
    that call or after it. Safe to share between threads; several processes may open one store at once.
    """

    def __init__(self, engine: Engine, *, max_failures: int = 10) -> None:
        self.engine = engine
        self.max_failures = max_failures

    @classmethod
    def open(cls, url: str, *, max_failures: int = 10) -> Store:
        """Open the store at an SQLAlchemy URL, creating or upgrading its schema through the migrations."""
        engine = make_engine(url)
        try:
            migrate(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, max_failures=max_failures)

    @property
    def url(self) -> str:
        """The store's URL with any password masked."""
        return safe_url(self.engine.url)

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn, conn.begin():
                yield conn
        except OperationalError as exc:
            raise StoreError(f"store {self.url}: {_reason(exc)}") from exc

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        try:
            with self.engine.connect().execution_options(**{WRITE: True}) as conn, conn.begin():
                yield conn
        except OperationalError as exc:
            raise StoreError(f"store {self.url}: {_reason(exc)}") from exc

    # -- the change counter and published outputs ------------------------------------------------------

    @staticmethod
    def _changed(conn: Connection) -> int:
        """Count one change to articles or mentions, inside the writing transaction; return the count.

        The counter row is updated last in each transaction that changes articles: its row lock orders
        those transactions, so a reader that sees the count at N sees every change up to N."""
        bumped = conn.execute(
            update(store_state)
            .where(store_state.c.name == CHANGES)
            .values(number=store_state.c.number + 1)
            .returning(store_state.c.number)
        ).scalar()
        return int(bumped or 0)

    def version(self) -> int:
        """How many changes to articles and mentions the store has seen: a rebuild reads it first."""
        with self._read() as conn:
            found = conn.execute(select(store_state.c.number).where(store_state.c.name == CHANGES)).scalar()
            return int(found or 0)

    def publish(self, name: str, version: int, replace: Callable[[], None]) -> bool:
        """Call `replace` (e.g. an atomic rename of a new timeline JSON) unless what is published under
        `name` was built from a later `version`; record `version` and return whether it was published.

        The row is locked while `replace` runs, so two writers never interleave and an older rebuild
        never replaces a newer one."""
        key = f"output:{name}"[:300]
        with self._write() as conn:
            conn.execute(insert_ignoring(conn, store_state, ["name"]).values(name=key, number=-1))
            held = conn.execute(
                select(store_state.c.number).where(store_state.c.name == key).with_for_update()
            ).scalar_one()
            if held > version:
                return False
            replace()
            conn.execute(
                update(store_state)
                .where(store_state.c.name == key)
                .values(number=version, updated_at=utcnow())
            )
            return True


def _reason(exc: OperationalError) -> str:
    text = str(exc.orig if exc.orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
