"""Core tables: documents, people, reactions, events and their summaries."""

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# BIGINT on PostgreSQL, INTEGER (the rowid alias that autoincrements) on SQLite.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    """Timezone-aware now, the only clock the tables use."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base with timezone-aware timestamps."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: DateTime(timezone=True),
        dict[str, Any]: JSON,
    }


class Document(Base):
    """An article or post; unique by content hash so a re-post is not a second document."""

    __tablename__ = "documents"
    __table_args__ = (Index("ix_documents_status_enqueued", "status", "enqueued_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    text: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(200))
    published_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="queued")
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    enqueued_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None]


class Person(Base):
    """One speaker (person or organisation) across documents."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="person")
    reactions: Mapped[int] = mapped_column(Integer, default=0)
    sum_compound: Mapped[float] = mapped_column(Float, default=0.0)
    positive: Mapped[int] = mapped_column(Integer, default=0)
    neutral: Mapped[int] = mapped_column(Integer, default=0)
    negative: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PersonAlias(Base):
    """A surface form under which a person was mentioned ("Lin", "@lin")."""

    __tablename__ = "person_aliases"
    __table_args__ = (UniqueConstraint("person_id", "alias"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(300))


class PersonRole(Base):
    """A role or affiliation as written next to a person's name, with when it was seen."""

    __tablename__ = "person_roles"
    __table_args__ = (UniqueConstraint("person_id", "role"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(500))
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)


class Reaction(Base):
    """A quote attributed to a person, scored; unique per document and quote span."""

    __tablename__ = "reactions"
    __table_args__ = (UniqueConstraint("document_id", "span_start", "span_end"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    quote: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    cue: Mapped[str | None] = mapped_column(String(100))
    role: Mapped[str | None] = mapped_column(Text)
    platform: Mapped[str | None] = mapped_column(String(100))
    confidence: Mapped[float] = mapped_column(Float)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    speaker_start: Mapped[int | None] = mapped_column(Integer)
    speaker_end: Mapped[int | None] = mapped_column(Integer)
    compound: Mapped[float] = mapped_column(Float)
    pos: Mapped[float] = mapped_column(Float)
    neu: Mapped[float] = mapped_column(Float)
    neg: Mapped[float] = mapped_column(Float)
    label: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Event(Base):
    """A user-defined event, selecting documents by keywords."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    keywords: Mapped[list[str]] = mapped_column(JSON)
    match: Mapped[str] = mapped_column(String(8), default="any")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class EventDocument(Base):
    """Membership of a document in an event."""

    __tablename__ = "event_documents"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class EventReaction(Base):
    """Membership of a reaction in an event, with its compound copied for indexed top-N reads."""

    __tablename__ = "event_reactions"
    __table_args__ = (Index("ix_event_reactions_event_compound", "event_id", "compound"),)

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    reaction_id: Mapped[int] = mapped_column(
        ForeignKey("reactions.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    compound: Mapped[float] = mapped_column(Float)


class PersonEventStats(Base):
    """Per-person-per-event aggregate, updated incrementally with each reaction."""

    __tablename__ = "person_event_stats"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    reactions: Mapped[int] = mapped_column(Integer, default=0)
    sum_compound: Mapped[float] = mapped_column(Float, default=0.0)
    positive: Mapped[int] = mapped_column(Integer, default=0)
    neutral: Mapped[int] = mapped_column(Integer, default=0)
    negative: Mapped[int] = mapped_column(Integer, default=0)


class EventSummaryRow(Base):
    """The materialised summary of an event: one indexed row read serves `GET .../summary`."""

    __tablename__ = "event_summaries"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
