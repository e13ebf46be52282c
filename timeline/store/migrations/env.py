"""Alembic environment: runs on the connection `timeline.store` hands over, never from an ini file."""

from __future__ import annotations

from alembic import context

from timeline.store.schema import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot ALTER most things; batch mode rebuilds the table inside the migration's transaction.
    render_as_batch=connection.dialect.name == "sqlite",
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
