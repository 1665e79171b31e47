"""Reactions: idempotent insert and the reads that turn rows into API shapes."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, func, literal, select, true
from sqlalchemy.orm import Session

from domain.sentiment import NEGATIVE_AT, POSITIVE_AT
from domain.tallies import UNITS
from schemas.reactions import PersonRef, ReactionRead, Sentiment, SentimentScore
from store.models import Event, EventDocument, EventReaction, EventTally, Person, Reaction, utcnow
from store.upsert import insert_rows, table_of


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
    role: str | None = None
    organisation: str | None = None
    since: datetime | None = None
    until: datetime | None = None


MAX_ORGANISATIONS = 500
"""Organisations an `organisation` filter resolves to ids before querying the memberships."""

ReactionSort = Literal["time", "-time", "compound", "-compound"]
"""Orders of an event's reaction list: by when it was said or by compound, "-" for descending."""


def insert_reactions(
    session: Session, *, document_id: int, reactions: Sequence[NewReaction]
) -> list[int]:
    """Store the reactions of a document; a span stored before is skipped. The ids inserted."""
    return insert_documents_reactions(session, {document_id: reactions})


def insert_documents_reactions(
    session: Session, reactions: Mapping[int, Sequence[NewReaction]]
) -> list[int]:
    """Store the reactions of several documents (by document id) in one statement; a span
    stored before is skipped. Returns the ids of the rows inserted."""
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
        for document_id, items in reactions.items()
        for item in items
    ]
    inserted = insert_rows(
        session,
        table_of(Reaction),
        rows=rows,
        conflict=("document_id", "span_start", "span_end"),
        returning=("id",),
    )
    return [reaction_id for (reaction_id,) in inserted]


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
        _membership_reads(event_id)
        .where(EventReaction.counted == true())
        .order_by(Reaction.id)
        .limit(limit)
    )
    if after_id is not None:
        stmt = stmt.where(Reaction.id > after_id)
    for condition in _conditions(session, where):
        stmt = stmt.where(condition)
    return _reads_of(session, stmt)


def _membership_reads(event_id: int) -> Select[tuple[Any, ...]]:
    """Reactions with their speaker's name and their membership in the event."""
    return (
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
        .where(EventReaction.event_id == event_id)
    )


def _reads_of(session: Session, stmt: Select[tuple[Any, ...]]) -> list[ReactionRead]:
    """The API shapes of the rows of a `_membership_reads` statement, in its order."""
    return [
        to_read(reaction, name, membership=EventView(outlets, first_url, relevance, evidence))
        for reaction, name, outlets, first_url, relevance, evidence in session.execute(
            stmt
        ).tuples()
    ]


def _conditions(session: Session, where: ReactionFilter) -> list[ColumnElement[bool]]:
    """SQL conditions on event memberships for a filter (the organisations an `organisation`
    filter names are looked up first)."""
    conditions: list[ColumnElement[bool]] = []
    if where.person_id is not None:
        conditions.append(EventReaction.person_id == where.person_id)
    if where.label is not None:
        conditions.append(EventReaction.label == where.label)
        conditions.extend(_label_range(where.label))
    if where.min_compound is not None:
        conditions.append(EventReaction.compound >= where.min_compound)
    if where.max_compound is not None:
        conditions.append(EventReaction.compound <= where.max_compound)
    if where.kind is not None:
        conditions.append(EventReaction.kind == where.kind)
    if where.outlet is not None:
        conditions.append(EventReaction.outlet == where.outlet.strip().lower())
    if where.role is not None:
        conditions.append(EventReaction.role.icontains(_needle(where.role), autoescape=True))
    if where.organisation is not None:
        conditions.append(_organisation_condition(session, where.organisation))
    if where.since is not None:
        conditions.append(EventReaction.reacted_at >= where.since)
    if where.until is not None:
        conditions.append(EventReaction.reacted_at < where.until)
    return conditions


def _organisation_condition(session: Session, text: str) -> ColumnElement[bool]:
    """Memberships whose role names the organisation, or spoken by an organisation so named.

    The organisations are looked up first, so the planner sees their ids (or none) and can use
    the role's trigram index and the person index together; `OR person_id IN (subquery)` kept
    it on a scan of the event's memberships (~150 ms at 100,000). Past `MAX_ORGANISATIONS`
    names the subquery is kept: the filter stays exact, only slower.
    """
    needle = _needle(text)
    named = select(Person.id).where(
        Person.kind == "organisation", func.lower(Person.name).contains(needle, autoescape=True)
    )
    found = list(session.scalars(named.order_by(Person.id).limit(MAX_ORGANISATIONS + 1)))
    in_role = EventReaction.role.icontains(needle, autoescape=True)
    if not found:
        return in_role
    return in_role | EventReaction.person_id.in_(
        found if len(found) <= MAX_ORGANISATIONS else named
    )


def _label_range(label: str) -> list[ColumnElement[bool]]:
    """The compound range a label stands for (±0.05): redundant with the label, it lets the
    (event, counted, compound) index bound the scan instead of filtering every row."""
    if label == "positive":
        return [EventReaction.compound >= POSITIVE_AT]
    if label == "negative":
        return [EventReaction.compound <= NEGATIVE_AT]
    return [EventReaction.compound > NEGATIVE_AT, EventReaction.compound < POSITIVE_AT]


def _needle(text: str) -> str:
    """Search text with its spaces collapsed, lower-cased (matched by LIKE or ILIKE, wildcards
    escaped; ILIKE on PostgreSQL is what the role's trigram index serves)."""
    return " ".join(text.split()).lower()


def sorted_event_reactions(
    session: Session,
    *,
    event_id: int,
    where: ReactionFilter,
    sort: ReactionSort,
    offset: int,
    limit: int,
    known_total: int | None = None,
) -> tuple[list[ReactionRead], int]:
    """One page of an event's counted reactions, filtered, by time or compound (ties by id),
    and how many pass the filter: `known_total` when the caller knows it (then the read can
    stop at the page), else counted by the same scan."""
    column = EventReaction.reacted_at if sort.endswith("time") else EventReaction.compound
    order = (
        (column.desc(), EventReaction.reaction_id.desc())
        if sort.startswith("-")
        else (column.asc(), EventReaction.reaction_id.asc())
    )
    chosen = (
        select(EventReaction.reaction_id, func.count().over())
        .where(EventReaction.event_id == event_id, EventReaction.counted == true())
        .where(*_conditions(session, where))
        .order_by(*order)
        .offset(offset)
        .limit(limit)
    )
    if known_total is not None:
        chosen = chosen.with_only_columns(EventReaction.reaction_id, literal(known_total))
    rows = session.execute(chosen).tuples().all()
    if not rows:
        total = known_total
        if total is None:
            total = count_event_reactions(session, event_id=event_id, where=where)
        return [], total
    ids = [reaction_id for reaction_id, _ in rows]
    page = _membership_reads(event_id).where(Reaction.id.in_(ids))
    found = {read.id: read for read in _reads_of(session, page)}
    return [found[i] for i in ids if i in found], int(rows[0][1])


def count_event_reactions(session: Session, *, event_id: int, where: ReactionFilter) -> int:
    """How many of an event's counted reactions pass the filter."""
    stmt = (
        select(func.count())
        .select_from(EventReaction)
        .where(EventReaction.event_id == event_id, EventReaction.counted == true())
        .where(*_conditions(session, where))
    )
    return int(session.scalar(stmt) or 0)


@dataclass(frozen=True, slots=True)
class VoiceCount:
    """Counted reactions of an event for one key (a person id, an outlet or a role as written),
    with the sum of their compounds."""

    key: str
    reactions: int
    compound_sum: float


def event_voices(
    session: Session,
    *,
    event_id: int,
    dimension: Literal["person", "outlet", "role"],
    since: datetime | None,
    until: datetime | None,
    limit: int,
) -> list[VoiceCount]:
    """An event's reactions per person, outlet or role, most first: from the running tallies
    for the whole event, counted from the memberships for a time range."""
    if since is None and until is None:
        tallied = (
            select(EventTally.key, EventTally.reactions, EventTally.sum_units)
            .where(
                EventTally.event_id == event_id,
                EventTally.dimension == dimension,
                EventTally.reactions > 0,
            )
            .order_by(EventTally.reactions.desc(), EventTally.key)
            .limit(limit)
        )
        return [
            VoiceCount(key=key, reactions=count, compound_sum=units / UNITS)
            for key, count, units in session.execute(tallied).tuples()
        ]
    column = {
        "person": EventReaction.person_id,
        "outlet": EventReaction.outlet,
        "role": func.lower(EventReaction.role),
    }[dimension]
    counted = (
        select(column, func.count(), func.sum(EventReaction.compound))
        .where(EventReaction.event_id == event_id, EventReaction.counted == true())
        .where(*_conditions(session, ReactionFilter(since=since, until=until)))
        .where(column.is_not(None))
        .group_by(column)
        .order_by(func.count().desc(), column)
        .limit(limit)
    )
    return [
        VoiceCount(key=str(key), reactions=count, compound_sum=float(total or 0.0))
        for key, count, total in session.execute(counted).tuples()
    ]


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


@dataclass(frozen=True, slots=True)
class DocumentEvent:
    """An event holding reactions of a document: how many, and the best relevance among them."""

    event_id: int
    title: str
    kind: str
    reactions: int
    relevance: float


def events_of_document_reactions(session: Session, document_id: int) -> list[DocumentEvent]:
    """The events holding a document, with how many of its reactions each took and the best
    relevance among them (0 when it took none), most relevant first."""
    taken = (
        select(
            EventReaction.event_id,
            func.count().label("reactions"),
            func.max(EventReaction.relevance).label("relevance"),
        )
        .join(Reaction, Reaction.id == EventReaction.reaction_id)
        .where(Reaction.document_id == document_id)
        .group_by(EventReaction.event_id)
        .subquery()
    )
    relevance = func.coalesce(taken.c.relevance, 0.0)
    stmt = (
        select(Event.id, Event.title, Event.kind, func.coalesce(taken.c.reactions, 0), relevance)
        .join(EventDocument, EventDocument.event_id == Event.id)
        .outerjoin(taken, taken.c.event_id == Event.id)
        .where(EventDocument.document_id == document_id)
        .order_by(relevance.desc(), Event.id)
    )
    return [
        DocumentEvent(event_id=i, title=t, kind=k, reactions=int(n), relevance=float(r))
        for i, t, k, n, r in session.execute(stmt).tuples()
    ]


def role_tally_count(session: Session, *, event_id: int, needle: str) -> int:
    """How many of an event's counted reactions have a role containing `needle` (any case),
    summed from the role tallies instead of scanning the memberships."""
    stmt = select(func.coalesce(func.sum(EventTally.reactions), 0)).where(
        EventTally.event_id == event_id,
        EventTally.dimension == "role",
        EventTally.key.contains(_needle(needle), autoescape=True),
    )
    return int(session.scalar(stmt) or 0)
