"""summaries advance in place: median cursor, overall tallies, (event, outlet) index; the
reactions' document index goes, the unique (document, span) index covers its lookups

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 11:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TALLY_COLUMNS = "reactions, sum_units, square_units, positive, neutral, negative"


def upgrade() -> None:
    """Apply this revision; summaries without a cursor are rebuilt at their next change."""
    op.add_column("event_summaries", sa.Column("median_compound", sa.Float(), nullable=True))
    op.add_column("event_summaries", sa.Column("median_reaction_id", BIG_ID, nullable=True))
    op.create_index("ix_event_documents_event_outlet", "event_documents", ["event_id", "outlet"])
    op.drop_index("ix_reactions_document_id", table_name="reactions")
    sums = ", ".join(f"sum({column})" for column in TALLY_COLUMNS.split(", "))
    op.execute(
        f"INSERT INTO event_tallies (event_id, dimension, key, {TALLY_COLUMNS}) "
        f"SELECT event_id, 'total', '', {sums} FROM event_tallies "
        "WHERE dimension = 'person' GROUP BY event_id"
    )


def downgrade() -> None:
    """Revert this revision."""
    op.execute("DELETE FROM event_tallies WHERE dimension = 'total'")
    op.create_index("ix_reactions_document_id", "reactions", ["document_id"])
    op.drop_index("ix_event_documents_event_outlet", table_name="event_documents")
    with op.batch_alter_table("event_summaries") as batch:
        batch.drop_column("median_reaction_id")
        batch.drop_column("median_compound")
