"""Core tables: documents, people, reactions, events and their summaries."""

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from schemas.documents import DocumentStatus
from schemas.events import EventKind, EventMatch
from schemas.people import PersonKind
from schemas.reactions import QuoteKind, SentimentLabel

# BIGINT on PostgreSQL, INTEGER (the rowid alias that autoincrements) on SQLite.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    """Timezone-aware now, the only clock the tables use."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and read back timezone-aware on every database.

    PostgreSQL answers in the session's time zone and SQLite, which stores text without a zone,
    with naive values; both are read as UTC (and aware values are converted to UTC before
    storing), so a timestamp reads and serialises the same on either store.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Aware values in UTC; naive ones are taken as UTC already."""
        return value.astimezone(UTC) if value is not None and value.tzinfo else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Naive values (SQLite) read as UTC; aware ones converted to UTC."""
        if value is None:
            return None
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Declarative base with timezone-aware timestamps."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
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
    status: Mapped[DocumentStatus] = mapped_column(String(16), default="queued")
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    enqueued_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None]
    canonical_url: Mapped[str | None] = mapped_column(Text, index=True)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="SET NULL"), index=True
    )


class Person(Base):
    """One speaker (person or organisation) across documents."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[PersonKind] = mapped_column(String(16), default="person")
    reactions: Mapped[int] = mapped_column(Integer, default=0)
    sum_units: Mapped[int] = mapped_column(BigInteger, default=0)
    positive: Mapped[int] = mapped_column(Integer, default=0)
    neutral: Mapped[int] = mapped_column(Integer, default=0)
    negative: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    first_seen: Mapped[datetime | None]
    last_seen: Mapped[datetime | None]


class PersonAlias(Base):
    """A surface form under which a person was mentioned ("Lin", "@lin")."""

    __tablename__ = "person_aliases"
    __table_args__ = (UniqueConstraint("person_id", "alias"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(300))
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)


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
    """A quote attributed to a speaker (a person, or an unresolved description), scored; unique
    per document and quote span."""

    __tablename__ = "reactions"
    # The unique (document, span) index also serves every lookup by document.
    __table_args__ = (UniqueConstraint("document_id", "span_start", "span_end"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    # None: the speaker is only a description the article never resolved ("a spokesperson"),
    # kept in `speaker_name`; it is no person.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    quote: Mapped[str] = mapped_column(Text)
    kind: Mapped[QuoteKind] = mapped_column(String(16))
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
    label: Mapped[SentimentLabel] = mapped_column(String(16))
    speaker_text: Mapped[str | None] = mapped_column(String(300))
    speaker_name: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When it was said: the document's publication time, else its arrival.
    said_at: Mapped[datetime | None]


class Event(Base):
    """An event: user-defined (keywords, optional people and time window) or an automatic story."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_kind_activity", "kind", "last_activity_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    title_fixed: Mapped[bool] = mapped_column(Boolean, default=False)
    kind: Mapped[EventKind] = mapped_column(String(8), default="defined")
    description: Mapped[str | None] = mapped_column(Text)
    keywords: Mapped[list[str]] = mapped_column(JSON)
    match: Mapped[EventMatch] = mapped_column(String(8), default="any")
    people: Mapped[list[str]] = mapped_column(JSON, default=list)
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    centroid: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)


class EventDocument(Base):
    """Membership of a document in an event."""

    __tablename__ = "event_documents"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    outlet: Mapped[str | None] = mapped_column(String(300))

    __table_args__ = (Index("ix_event_documents_event_outlet", "event_id", "outlet"),)


RANGE_COLUMNS = ["reaction_id", "person_id", "compound", "label", "role", "outlet"]
"""The membership columns a date range reads (`store/repositories/ranges.py`)."""


class EventReaction(Base):
    """A reaction's membership in an event; repeats of one quote by one person count once.

    A reaction is a member of every defined event it is about, with the `relevance` score and the
    `evidence` that decided it, or of the automatic story its document joined. Of the reactions
    sharing (event, person, quote_key) the first is `counted`, with `outlets`
    the number of documents carrying the quote and `first_url` where it was first seen. Sentiment,
    time and role are copied here so summaries, filters and top-N reads stay on this table.
    """

    __tablename__ = "event_reactions"
    __table_args__ = (
        Index(
            "uq_event_reactions_counted_quote",
            "event_id",
            "person_id",
            "quote_key",
            unique=True,
            postgresql_where=text("counted"),
            sqlite_where=text("counted"),
        ),
        Index(
            "ix_event_reactions_event_counted_compound",
            "event_id",
            "counted",
            "compound",
            "reaction_id",
        ),
        # Time order, and date ranges: on PostgreSQL the columns a range summary sums are
        # included, so ranges are read from the index alone.
        Index(
            "ix_event_reactions_event_counted_time",
            "event_id",
            "counted",
            "reacted_at",
            postgresql_include=RANGE_COLUMNS,
        ),
        # The list filtered by outlet, in time order; with the role included, an outlet and a
        # role together are read from the index alone (PostgreSQL's INCLUDE; a plain index
        # elsewhere).
        Index(
            "ix_event_reactions_event_counted_outlet",
            "event_id",
            "counted",
            "outlet",
            "reacted_at",
            "reaction_id",
            postgresql_include=["role"],
        ),
        # Role and organisation filters are case-insensitive substring matches (ILIKE on
        # PostgreSQL): a trigram index (pg_trgm) serves them there. SQLite has no trigram
        # index and compares lower-cased text instead, so there the index is a plain one.
        Index(
            "ix_event_reactions_role",
            "role",
            postgresql_using="gin",
            postgresql_ops={"role": "gin_trgm_ops"},
        ),
    )

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    reaction_id: Mapped[int] = mapped_column(
        ForeignKey("reactions.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    quote_key: Mapped[str] = mapped_column(String(64))
    counted: Mapped[bool] = mapped_column(Boolean)
    outlets: Mapped[int] = mapped_column(Integer, default=1)
    first_url: Mapped[str | None] = mapped_column(Text)
    compound: Mapped[float] = mapped_column(Float)
    label: Mapped[SentimentLabel] = mapped_column(String(16))
    kind: Mapped[QuoteKind] = mapped_column(String(16))
    role: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String(300))
    reacted_at: Mapped[datetime]
    # How much the reaction is about the event (domain.relevance) and the evidence, as written.
    relevance: Mapped[float] = mapped_column(Float, default=1.0)
    evidence: Mapped[list[str] | None] = mapped_column(JSON)


class EventTally(Base):
    """Running totals of an event's counted reactions along one dimension, updated incrementally.

    Dimensions: "person" (key: person id), "hour" (key: ISO hour of the reaction time), "role"
    (key: the role as written, lower-cased) and "outlet" (key: where the document came from).
    Compounds are summed in integer units of 1/10,000 (see `domain.tallies`).
    """

    __tablename__ = "event_tallies"
    __table_args__ = (Index("ix_event_tallies_dimension_key", "dimension", "key"),)

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    dimension: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    reactions: Mapped[int] = mapped_column(Integer, default=0)
    sum_units: Mapped[int] = mapped_column(BigInteger, default=0)
    square_units: Mapped[int] = mapped_column(BigInteger, default=0)
    positive: Mapped[int] = mapped_column(Integer, default=0)
    neutral: Mapped[int] = mapped_column(Integer, default=0)
    negative: Mapped[int] = mapped_column(Integer, default=0)


class EventSummaryRow(Base):
    """The materialised summary of an event: one primary-key read serves `GET .../summary`.

    `body` is the summary already encoded as JSON, so a read sends it without decoding it.
    """

    __tablename__ = "event_summaries"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    body: Mapped[str | None] = mapped_column(Text)
    # The lower middle (compound, reaction id) of the counted reactions: the median moves from
    # here by at most the number of reactions a document adds.
    median_compound: Mapped[float | None] = mapped_column(Float)
    median_reaction_id: Mapped[int | None] = mapped_column(BigId)
