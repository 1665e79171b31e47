"""events are standing queries: an event keeps a description, and each membership records how much
the reaction is about the event and the evidence for it; a reaction keeps when it was said (its
document's publication time, else arrival), which people's first and last seen follow; and a
speaker that is only a description ("a spokesperson") is no person: its reactions have none

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 07:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision: the new columns; memberships stored before count as fully relevant."""
    op.add_column("events", sa.Column("description", sa.Text(), nullable=True))
    with op.batch_alter_table("event_reactions") as table:
        table.add_column(
            sa.Column("relevance", sa.Float(), nullable=False, server_default=sa.text("1.0"))
        )
        table.add_column(sa.Column("evidence", sa.JSON(), nullable=True))
    with op.batch_alter_table("reactions") as table:
        table.add_column(sa.Column("said_at", sa.DateTime(timezone=True), nullable=True))
        table.alter_column("person_id", existing_type=sa.BigInteger(), nullable=True)
    with op.batch_alter_table("event_reactions") as table:
        table.alter_column("person_id", existing_type=sa.BigInteger(), nullable=True)
    op.execute(
        "UPDATE reactions SET said_at = (SELECT COALESCE(documents.published_at, "
        "documents.created_at) FROM documents WHERE documents.id = reactions.document_id)"
    )


def downgrade() -> None:
    """Revert this revision."""
    op.execute("DELETE FROM event_reactions WHERE person_id IS NULL")
    op.execute("DELETE FROM reactions WHERE person_id IS NULL")
    with op.batch_alter_table("event_reactions") as table:
        table.alter_column("person_id", existing_type=sa.BigInteger(), nullable=False)
    with op.batch_alter_table("reactions") as table:
        table.alter_column("person_id", existing_type=sa.BigInteger(), nullable=False)
        table.drop_column("said_at")
    with op.batch_alter_table("event_reactions") as table:
        table.drop_column("evidence")
        table.drop_column("relevance")
    op.drop_column("events", "description")
