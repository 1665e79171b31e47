"""sources, collected items, near-duplicate fingerprints; documents.canonical_url and source_id

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 09:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "sources",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("query", sa.String(length=500), nullable=True),
        sa.Column("interval_s", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("next_poll_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claim_token", sa.Integer(), nullable=False),
        sa.Column("started_token", sa.Integer(), nullable=False),
        sa.Column("last_polled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("consecutive_errors", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("documents_collected", sa.Integer(), nullable=False),
        sa.Column("etag", sa.String(length=500), nullable=True),
        sa.Column("last_modified", sa.String(length=100), nullable=True),
        sa.Column("cursor", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sources_next_poll_at", "sources", ["next_poll_at"], unique=False)
    op.create_table(
        "source_items",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("source_id", BIG_ID, nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("document_id", BIG_ID, nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_id", "key_hash"),
    )
    op.create_index(
        op.f("ix_source_items_document_id"), "source_items", ["document_id"], unique=False
    )
    op.create_table(
        "document_fingerprints",
        sa.Column("document_id", BIG_ID, nullable=False),
        sa.Column("signature", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id"),
    )
    op.create_table(
        "document_bands",
        sa.Column("band", sa.String(length=24), nullable=False),
        sa.Column("document_id", BIG_ID, nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("band", "document_id"),
    )
    op.create_index(
        op.f("ix_document_bands_document_id"), "document_bands", ["document_id"], unique=False
    )
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("canonical_url", sa.Text(), nullable=True))
        batch.add_column(sa.Column("source_id", BIG_ID, nullable=True))
        batch.create_index(batch.f("ix_documents_canonical_url"), ["canonical_url"], unique=False)
        batch.create_index(batch.f("ix_documents_source_id"), ["source_id"], unique=False)
        batch.create_foreign_key(
            "fk_documents_source_id_sources", "sources", ["source_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("documents") as batch:
        batch.drop_constraint("fk_documents_source_id_sources", type_="foreignkey")
        batch.drop_index(batch.f("ix_documents_source_id"))
        batch.drop_index(batch.f("ix_documents_canonical_url"))
        batch.drop_column("source_id")
        batch.drop_column("canonical_url")
    op.drop_index(op.f("ix_document_bands_document_id"), table_name="document_bands")
    op.drop_table("document_bands")
    op.drop_table("document_fingerprints")
    op.drop_index(op.f("ix_source_items_document_id"), table_name="source_items")
    op.drop_table("source_items")
    op.drop_index("ix_sources_next_poll_at", table_name="sources")
    op.drop_table("sources")
