"""Reactions: idempotent insert and the reads that turn rows into API shapes."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from schemas.reactions import PersonRef, ReactionRead, Sentiment, SentimentScore
from store.models import EventReaction, Person, Reaction, utcnow
from store.upsert import batches, numbered, table_of, upsert_statement


@dataclass(frozen=True, slots=True)
class NewReaction:
    """A scored, attributed quote ready to store (person None: an unresolved description)."""

    person_id: int | None
    quote: str
    kind: str
    cue: str | None
    role: str | None
    platform: str | None
    confidence: float
    span: tuple[int, int]
    speaker_span: tuple[int, int] | None
    score: SentimentScore
    speaker_text: str | None
    speaker_name: str | None
    said_at: datetime


@dataclass(frozen=True, slots=True)
class ReactionFilter:
    """Filters of an event's reaction list; None means no condition."""

    person_id: int | None = None
    label: str | None = None
    min_compound: float | None = None
    max_compound: float | None = None
    kind: str | None = None
    outlet: str | None = None


def insert_reactions(
    session: Session, *, document_id: int, reactions: Sequence[NewReaction]
) -> list[int]:
    """Store the reactions of a document in one statement; a span stored before is skipped.

    Returns the ids of the rows inserted.
    """
    if not reactions:
        return []
    now = utcnow()
    rows = [
        {
            "document_id": document_id,
            "person_id": item.person_id,
            "quote": item.quote,
            "kind": item.kind,
            "cue": item.cue,
            "role": item.role,
            "platform": item.platform,
            "confidence": item.confidence,
            "span_start": item.span[0],
            "span_end": item.span[1],
            "speaker_start": item.speaker_span[0] if item.speaker_span else None,
            "speaker_end": item.speaker_span[1] if item.speaker_span else None,
            "compound": item.score.compound,
            "pos": item.score.pos,
            "neu": item.score.neu,
            "neg": item.score.neg,
            "label": item.score.label,
            "speaker_text": item.speaker_text,
            "speaker_name": item.speaker_name,
            "created_at": now,
            "said_at": item.said_at,
        }
        for item in reactions
    ]
    ids: list[int] = []
    for batch in batches(rows):
        stmt = upsert_statement(
            table_of(Reaction),
            tuple(batch[0]),
            ("document_id", "span_start", "span_end"),
            rows=len(batch),
            returning=("id",),
        )
        ids += session.scalars(stmt, numbered(batch))
    return ids


def reactions_of_document(session: Session, document_id: int) -> list[ReactionRead]:
    """All reactions of a document, in text order."""
    stmt = (
        select(Reaction, Person.name)
        .outerjoin(Person, Person.id == Reaction.person_id)
        .where(Reaction.document_id == document_id)
        .order_by(Reaction.span_start, Reaction.id)
    )
    return [to_read(reaction, name) for reaction, name in session.execute(stmt)]


def reactions_of_event(
    session: Session,
    *,
    event_id: int,
    after_id: int | None,
    limit: int,
    where: ReactionFilter = ReactionFilter(),
) -> list[ReactionRead]:
    """One page of an event's counted reactions by id, filtered."""
    stmt = (
        select(
            Reaction,
            Person.name,
            EventReaction.outlets,
            EventReaction.first_url,
            EventReaction.relevance,
            EventReaction.evidence,
        )
        .join(EventReaction, EventReaction.reaction_id == Reaction.id)
        .outerjoin(Person, Person.id == Reaction.person_id)
        .where(EventReaction.event_id == event_id, EventReaction.counted == true())
        .order_by(Reaction.id)
        .limit(limit)
    )
    if after_id is not None:
        stmt = stmt.where(Reaction.id > after_id)
    for condition in _conditions(where):
        stmt = stmt.where(condition)
    return [
        to_read(reaction, name, membership=EventView(outlets, first_url, relevance, evidence))
        for reaction, name, outlets, first_url, relevance, evidence in session.execute(
            stmt
        ).tuples()
    ]


def _conditions(where: ReactionFilter) -> list[ColumnElement[bool]]:
    """SQL conditions on event memberships for a filter."""
    conditions: list[ColumnElement[bool]] = []
    if where.person_id is not None:
        conditions.append(EventReaction.person_id == where.person_id)
    if where.label is not None:
        conditions.append(EventReaction.label == where.label)
    if where.min_compound is not None:
        conditions.append(EventReaction.compound >= where.min_compound)
    if where.max_compound is not None:
        conditions.append(EventReaction.compound <= where.max_compound)
    if where.kind is not None:
        conditions.append(EventReaction.kind == where.kind)
    if where.outlet is not None:
        conditions.append(EventReaction.outlet == where.outlet.strip().lower())
    return conditions


def reactions_of_person(
    session: Session, *, person_id: int, after_id: int | None, limit: int
) -> list[ReactionRead]:
    """One page of what a person said, by id."""
    stmt = (
        select(Reaction, Person.name)
        .join(Person, Person.id == Reaction.person_id)
        .where(Reaction.person_id == person_id)
        .order_by(Reaction.id)
        .limit(limit)
    )
    if after_id is not None:
        stmt = stmt.where(Reaction.id > after_id)
    return [to_read(reaction, name) for reaction, name in session.execute(stmt).tuples()]


def reactions_of_document_ids(session: Session, document_ids: Sequence[int]) -> list[Reaction]:
    """The stored reactions of several documents, for attaching them to a new event."""
    if not document_ids:
        return []
    stmt = select(Reaction).where(Reaction.document_id.in_(document_ids)).order_by(Reaction.id)
    return list(session.scalars(stmt))


@dataclass(frozen=True, slots=True)
class EventView:
    """What an event's membership adds to a reaction read for that event."""

    outlets: int | None
    first_url: str | None
    relevance: float | None = None
    evidence: list[str] | None = None


def to_read(
    reaction: Reaction, person_name: str | None, *, membership: EventView | None = None
) -> ReactionRead:
    """The API shape of a stored reaction (with its outlets, relevance and evidence when read
    for an event)."""
    speaker = (
        (reaction.speaker_start, reaction.speaker_end)
        if reaction.speaker_start is not None and reaction.speaker_end is not None
        else None
    )
    return ReactionRead(
        id=reaction.id,
        document_id=reaction.document_id,
        person=(
            PersonRef(id=reaction.person_id, name=person_name or "")
            if reaction.person_id is not None
            else None
        ),
        speaker=person_name or reaction.speaker_name or "",
        quote=reaction.quote,
        kind=reaction.kind,
        cue=reaction.cue,
        role=reaction.role,
        span=(reaction.span_start, reaction.span_end),
        speaker_span=speaker,
        sentiment=Sentiment(
            compound=reaction.compound,
            pos=reaction.pos,
            neu=reaction.neu,
            neg=reaction.neg,
            label=reaction.label,
        ),
        platform=reaction.platform,
        outlets=membership.outlets if membership else None,
        first_url=membership.first_url if membership else None,
        relevance=membership.relevance if membership else None,
        evidence=membership.evidence if membership else None,
    )
