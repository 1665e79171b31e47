"""Collector tables: sources, the entries collected from them and near-duplicate fingerprints."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from schemas.sources import ItemStatus, SourceKind, SourceStatus
from store.models.core import Base, BigId, utcnow


class Source(Base):
    """A feed, page or social query polled on schedule; poll state and health live here."""

    __tablename__ = "sources"
    __table_args__ = (Index("ix_sources_next_poll_at", "next_poll_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[SourceKind] = mapped_column(String(16))
    url: Mapped[str] = mapped_column(Text)
    query: Mapped[str | None] = mapped_column(String(500))
    interval_s: Mapped[int] = mapped_column(Integer)
    status: Mapped[SourceStatus] = mapped_column(String(16), default="pending")
    next_poll_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None]
    claim_token: Mapped[int] = mapped_column(Integer, default=0)
    started_token: Mapped[int] = mapped_column(Integer, default=0)
    last_polled_at: Mapped[datetime | None]
    consecutive_errors: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    documents_collected: Mapped[int] = mapped_column(Integer, default=0)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    cursor: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SourceItem(Base):
    """One entry or post seen in a source: done, a duplicate of a document, or failed (retried)."""

    __tablename__ = "source_items"
    __table_args__ = (UniqueConstraint("source_id", "key_hash"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    key_hash: Mapped[str] = mapped_column(String(64))
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    status: Mapped[ItemStatus] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), index=True
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class DocumentFingerprint(Base):
    """The MinHash signature of a collected document, compared against new arrivals."""

    __tablename__ = "document_fingerprints"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    signature: Mapped[list[int]] = mapped_column(JSON)


class DocumentBand(Base):
    """One LSH band key of a document's signature: the index to near-duplicate candidates."""

    __tablename__ = "document_bands"

    band: Mapped[str] = mapped_column(String(24), primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, index=True
    )
