"""`Store`: the one object the daemon and the CLI use to reach feeds, articles and extractions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from timeline.store.articles import ArticlesMixin
from timeline.store.engine import WRITE, StoreError, make_engine, migrate, safe_url
from timeline.store.feeds import FeedsMixin


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


def _reason(exc: OperationalError) -> str:
    text = str(exc.orig if exc.orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
