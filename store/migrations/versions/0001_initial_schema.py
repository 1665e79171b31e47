"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-29 09:00:21.367690
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "documents",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("enqueued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("content_hash"),
    )
    op.create_index(
        "ix_documents_status_enqueued", "documents", ["status", "enqueued_at"], unique=False
    )
    op.create_table(
        "events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("title_fixed", sa.Boolean(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("match", sa.String(length=8), nullable=False),
        sa.Column("people", sa.JSON(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("centroid", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_activity_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_events_kind_activity", "events", ["kind", "last_activity_at"], unique=False)
    op.create_table(
        "people",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("reactions", sa.Integer(), nullable=False),
        sa.Column("sum_units", sa.BigInteger(), nullable=False),
        sa.Column("positive", sa.Integer(), nullable=False),
        sa.Column("neutral", sa.Integer(), nullable=False),
        sa.Column("negative", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name_key"),
    )
    op.create_table(
        "event_documents",
        sa.Column("event_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "document_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("outlet", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id", "document_id"),
    )
    op.create_index(
        op.f("ix_event_documents_document_id"), "event_documents", ["document_id"], unique=False
    )
    op.create_table(
        "event_summaries",
        sa.Column("event_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_table(
        "event_tallies",
        sa.Column("event_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("reactions", sa.Integer(), nullable=False),
        sa.Column("sum_units", sa.BigInteger(), nullable=False),
        sa.Column("square_units", sa.BigInteger(), nullable=False),
        sa.Column("positive", sa.Integer(), nullable=False),
        sa.Column("neutral", sa.Integer(), nullable=False),
        sa.Column("negative", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id", "dimension", "key"),
    )
    op.create_index(
        "ix_event_tallies_dimension_key", "event_tallies", ["dimension", "key"], unique=False
    )
    op.create_table(
        "person_aliases",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("alias", sa.String(length=300), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "alias"),
    )
    op.create_index(
        op.f("ix_person_aliases_person_id"), "person_aliases", ["person_id"], unique=False
    )
    op.create_table(
        "person_roles",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("role", sa.String(length=500), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "role"),
    )
    op.create_index(op.f("ix_person_roles_person_id"), "person_roles", ["person_id"], unique=False)
    op.create_table(
        "reactions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "document_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("cue", sa.String(length=100), nullable=True),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("platform", sa.String(length=100), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.Column("speaker_start", sa.Integer(), nullable=True),
        sa.Column("speaker_end", sa.Integer(), nullable=True),
        sa.Column("compound", sa.Float(), nullable=False),
        sa.Column("pos", sa.Float(), nullable=False),
        sa.Column("neu", sa.Float(), nullable=False),
        sa.Column("neg", sa.Float(), nullable=False),
        sa.Column("label", sa.String(length=16), nullable=False),
        sa.Column("speaker_text", sa.String(length=300), nullable=True),
        sa.Column("speaker_name", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "span_start", "span_end"),
    )
    op.create_index(op.f("ix_reactions_document_id"), "reactions", ["document_id"], unique=False)
    op.create_index(op.f("ix_reactions_person_id"), "reactions", ["person_id"], unique=False)
    op.create_table(
        "event_reactions",
        sa.Column("event_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "reaction_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "person_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("quote_key", sa.String(length=64), nullable=False),
        sa.Column("counted", sa.Boolean(), nullable=False),
        sa.Column("outlets", sa.Integer(), nullable=False),
        sa.Column("first_url", sa.Text(), nullable=True),
        sa.Column("compound", sa.Float(), nullable=False),
        sa.Column("label", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("outlet", sa.String(length=300), nullable=True),
        sa.Column("reacted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reaction_id"], ["reactions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("event_id", "reaction_id"),
    )
    op.create_index(
        "ix_event_reactions_event_counted_compound",
        "event_reactions",
        ["event_id", "counted", "compound", "reaction_id"],
        unique=False,
    )
    op.create_index(
        "ix_event_reactions_event_counted_time",
        "event_reactions",
        ["event_id", "counted", "reacted_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_event_reactions_person_id"), "event_reactions", ["person_id"], unique=False
    )
    op.create_index(
        op.f("ix_event_reactions_reaction_id"), "event_reactions", ["reaction_id"], unique=False
    )
    op.create_index(
        "uq_event_reactions_counted_quote",
        "event_reactions",
        ["event_id", "person_id", "quote_key"],
        unique=True,
        postgresql_where=sa.text("counted"),
        sqlite_where=sa.text("counted"),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(
        "uq_event_reactions_counted_quote",
        table_name="event_reactions",
        postgresql_where=sa.text("counted"),
        sqlite_where=sa.text("counted"),
    )
    op.drop_index(op.f("ix_event_reactions_reaction_id"), table_name="event_reactions")
    op.drop_index(op.f("ix_event_reactions_person_id"), table_name="event_reactions")
    op.drop_index("ix_event_reactions_event_counted_time", table_name="event_reactions")
    op.drop_index("ix_event_reactions_event_counted_compound", table_name="event_reactions")
    op.drop_table("event_reactions")
    op.drop_index(op.f("ix_reactions_person_id"), table_name="reactions")
    op.drop_index(op.f("ix_reactions_document_id"), table_name="reactions")
    op.drop_table("reactions")
    op.drop_index(op.f("ix_person_roles_person_id"), table_name="person_roles")
    op.drop_table("person_roles")
    op.drop_index(op.f("ix_person_aliases_person_id"), table_name="person_aliases")
    op.drop_table("person_aliases")
    op.drop_index("ix_event_tallies_dimension_key", table_name="event_tallies")
    op.drop_table("event_tallies")
    op.drop_table("event_summaries")
    op.drop_index(op.f("ix_event_documents_document_id"), table_name="event_documents")
    op.drop_table("event_documents")
    op.drop_table("people")
    op.drop_index("ix_events_kind_activity", table_name="events")
    op.drop_table("events")
    op.drop_index("ix_documents_status_enqueued", table_name="documents")
    op.drop_table("documents")
