"""Claims with leases on feeds, one row per mention position, the store's change counter, and
articles' language basis.

- `feeds.claim` / `feeds.lease_until`: the poll that holds a feed (a random token) and until when; an
  expired lease frees the feed for any replica.
- `mentions`: unique (article_id, position). Rows two replicas stored twice are dropped first (the
  lowest id of each position is kept: both copies came from the same extraction).
- `articles.language_basis`: how the article's language was found, as `Article.language_basis`.
- `store_state`: named counters and values; `changes` counts every change to articles or mentions, and
  `output:<path>` the change a written timeline JSON was built from.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("feeds") as batch:
        batch.add_column(sa.Column("claim", sa.String(40)))
        batch.add_column(sa.Column("lease_until", _TIME))
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("language_basis", sa.Text))
    op.execute(
        "DELETE FROM mentions WHERE id NOT IN (SELECT min(id) FROM mentions GROUP BY article_id, position)"
    )
    op.create_index("uq_mentions_article_position", "mentions", ["article_id", "position"], unique=True)
    op.create_table(
        "store_state",
        sa.Column("name", sa.String(300), primary_key=True),
        sa.Column("number", sa.BigInteger, nullable=False),
        sa.Column("value", sa.Text),
        sa.Column("updated_at", _TIME),
    )
    op.execute("INSERT INTO store_state (name, number) VALUES ('changes', 1)")


def downgrade() -> None:
    op.drop_table("store_state")
    op.drop_index("uq_mentions_article_position", "mentions")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("language_basis")
    with op.batch_alter_table("feeds") as batch:
        batch.drop_column("lease_until")
        batch.drop_column("claim")
