"""the dashboard reads memberships by outlet, role and date range: an (event, counted, outlet,
time) index, with the role included on PostgreSQL, serves the outlet filter alone and with a
role; an index on the role, a trigram one on PostgreSQL (pg_trgm), serves the role and
organisation filters; and on PostgreSQL the (event, counted, time) index includes the columns
a date range sums, so a range is read from the index alone

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 09:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


TIME_INDEX = ("ix_event_reactions_event_counted_time", "event_reactions")
TIME_COLUMNS = ["event_id", "counted", "reacted_at"]
RANGE_COLUMNS = ["reaction_id", "person_id", "compound", "label", "role", "outlet"]


def upgrade() -> None:
    """Apply this revision: on PostgreSQL pg_trgm and the covering time index, then the new
    indexes everywhere."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.drop_index(TIME_INDEX[0], table_name=TIME_INDEX[1])
        op.create_index(*TIME_INDEX, TIME_COLUMNS, postgresql_include=RANGE_COLUMNS)
    op.create_index(
        "ix_event_reactions_event_counted_outlet",
        "event_reactions",
        ["event_id", "counted", "outlet", "reacted_at", "reaction_id"],
        postgresql_include=["role"],
    )
    op.create_index(
        "ix_event_reactions_role",
        "event_reactions",
        ["role"],
        postgresql_using="gin",
        postgresql_ops={"role": "gin_trgm_ops"},
    )


def downgrade() -> None:
    """Revert this revision (pg_trgm stays installed: other objects may use it)."""
    op.drop_index("ix_event_reactions_role", table_name="event_reactions")
    op.drop_index("ix_event_reactions_event_counted_outlet", table_name="event_reactions")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index(TIME_INDEX[0], table_name=TIME_INDEX[1])
        op.create_index(*TIME_INDEX, TIME_COLUMNS)
