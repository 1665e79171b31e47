"""Events: definitions, membership of documents and reactions, and the incremental tallies."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, case, cast, delete, func, insert, select, true, tuple_, update
from sqlalchemy.orm import Session

from domain.memberships import Addition, Arrival, Membership, copies_counted
from domain.tallies import (
    MAX_BY_PERSON,
    MAX_BY_ROLE,
    TOTAL,
    CountedReaction,
    Figures,
    Tally,
    TallySet,
    tally_set,
)
from schemas.events import EventCreate, EventUpdate
from store.models import (
    Event,
    EventDocument,
    EventReaction,
    EventSummaryRow,
    EventTally,
    Person,
    Reaction,
    utcnow,
)
from store.upsert import insert_rows, table_of, upsert_statement

MAX_EVENTS_MATCHED = 10_000


def create_event(session: Session, data: EventCreate) -> Event:
    """Store a user-defined event and its empty summary (version 0)."""
    return _add_event(
        session,
        Event(
            title=data.title,
            description=data.description,
            kind="defined",
            keywords=data.keywords,
            match=data.match,
            people=data.people,
            starts_at=data.starts_at,
            ends_at=data.ends_at,
        ),
    )


def create_story(session: Session, *, title: str, centroid: dict[str, Any]) -> Event:
    """Store an automatic story (an event found by clustering) and its empty summary."""
    return _add_event(
        session, Event(title=title[:300], kind="auto", keywords=[], match="any", centroid=centroid)
    )


def _add_event(session: Session, event: Event) -> Event:
    """Insert an event with its version-0 summary row."""
    now = utcnow()
    event.created_at = now
    event.last_activity_at = now
    session.add(event)
    session.flush()
    session.add(EventSummaryRow(event_id=event.id, version=0, updated_at=now, body=None))
    session.flush()
    return event


def update_event(session: Session, event: Event, *, data: EventUpdate) -> Event:
    """Apply the fields set in `data` (rename, new keywords, window...)."""
    for name, value in data.model_dump(exclude_unset=True).items():
        setattr(event, name, value)
    session.flush()
    return event


def delete_event(session: Session, event_id: int) -> None:
    """Delete an event with its memberships, tallies and summary."""
    for table in (EventTally, EventReaction, EventDocument, EventSummaryRow):
        session.execute(delete(table).where(table.event_id == event_id))
    session.execute(delete(Event).where(Event.id == event_id))


def get_event(session: Session, event_id: int) -> Event | None:
    """An event by id, or None."""
    return session.get(Event, event_id)


def list_events(
    session: Session, *, after_id: int | None, limit: int, kind: str | None = None
) -> list[Event]:
    """One page of events by id, optionally only defined or automatic ones."""
    stmt = select(Event).order_by(Event.id).limit(limit)
    if after_id is not None:
        stmt = stmt.where(Event.id > after_id)
    if kind is not None:
        stmt = stmt.where(Event.kind == kind)
    return list(session.scalars(stmt))


def defined_events(session: Session) -> list[Event]:
    """Every user-defined event, for keyword matching (bounded)."""
    stmt = select(Event).where(Event.kind == "defined").order_by(Event.id).limit(MAX_EVENTS_MATCHED)
    return list(session.scalars(stmt))


def recent_stories(session: Session, *, since: datetime, limit: int) -> list[Event]:
    """Automatic stories active since `since`, most recent first: the clustering candidates."""
    stmt = (
        select(Event)
        .where(Event.kind == "auto", Event.last_activity_at >= since)
        .order_by(Event.last_activity_at.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def attach_document(
    session: Session, *, event_id: int, document_id: int, outlet: str | None
) -> bool:
    """Add a document (from `outlet`) to an event; False when it was a member already."""
    stmt = upsert_statement(
        table_of(EventDocument),
        columns=("event_id", "document_id", "outlet"),
        conflict=("event_id", "document_id"),
        returning=("document_id",),
    )
    params = {"event_id": event_id, "document_id": document_id, "outlet": outlet}
    return session.execute(stmt, params).first() is not None


def add_documents(session: Session, *, event_id: int, arrivals: Sequence[Arrival]) -> Addition:
    """Attach processed documents to an event and count their reactions there: memberships,
    the outlets of the quotes they repeat, the outlets new to the event, and the tallies; a
    fixed handful of statements whatever the number of documents.

    The caller holds the event's summary lock. Which membership of a quote counts is settled by
    the unique index of counted quotes (`INSERT ... ON CONFLICT DO NOTHING`), in the order of
    `arrivals`. Writing the memberships before taking the lock was measured ~5% faster, but a
    recount (backfill, corrections), which holds the lock, could then wait on a quote inserted
    by a transaction waiting for that lock: a deadlock.
    """
    outlets = sorted({arrival.outlet for arrival in arrivals if arrival.outlet is not None})
    seen = set(
        session.scalars(
            select(EventDocument.outlet)
            .where(EventDocument.event_id == event_id, EventDocument.outlet.in_(outlets))
            .distinct()
        )
        if outlets
        else ()
    )
    attached = insert_rows(
        session,
        table_of(EventDocument),
        rows=[
            {"event_id": event_id, "document_id": arrival.document_id, "outlet": arrival.outlet}
            for arrival in arrivals
        ],
        conflict=("event_id", "document_id"),
        returning=("document_id",),
    )
    members = [member for arrival in arrivals for member in arrival.members]
    fresh, repeats = _insert_memberships(session, event_id=event_id, members=members)
    if repeats:
        session.execute(
            update(EventReaction)
            .where(
                EventReaction.event_id == event_id,
                EventReaction.reaction_id.in_(sorted(repeats)),
            )
            .values(outlets=EventReaction.outlets + case(repeats, value=EventReaction.reaction_id))
        )
    added = tally_set(member.counted() for member in fresh)
    tallies = _add_tallies(session, event_id=event_id, tallies=added)
    session.execute(update(Event).where(Event.id == event_id).values(last_activity_at=utcnow()))
    new_people = sum(
        1
        for (dimension, key), tally in added.tallies.items()
        if dimension == "person" and tallies[(dimension, key)].reactions == tally.reactions
    )
    return Addition(
        event_id=event_id,
        fresh=fresh,
        repeats=repeats,
        tallies=tallies,
        new_people=new_people,
        new_documents=len(attached),
        new_sources=len(set(outlets) - seen),
    )


def _insert_memberships(
    session: Session, *, event_id: int, members: Sequence[Membership]
) -> tuple[list[Membership], dict[int, int]]:
    """Insert memberships, each counted unless its person already counts the same quote here.

    Returns the memberships counted now, and for the repeats the outlets they add to the
    counted membership of their quote (by its reaction id).
    """
    if not members:
        return [], {}
    inserted = {
        reaction_id
        for (reaction_id,) in insert_rows(
            session,
            table_of(EventReaction),
            rows=[_row_values(event_id, member, counted=True) for member in members],
            conflict=("event_id", "person_id", "quote_key"),
            conflict_where="counted",
            returning=("reaction_id",),
        )
    }
    fresh = [member for member in members if member.reaction_id in inserted]
    rest = [member for member in members if member.reaction_id not in inserted]
    if not rest:
        return fresh, {}
    keys = sorted({(member.person_id, member.quote_key) for member in rest})
    # Whole (person, quote) pairs, so the unique index of counted quotes serves the read with
    # or without planner statistics.
    # Only memberships with a person collide on that index (NULLs never do).
    firsts: dict[tuple[int | None, str], int] = {
        (person_id, key): reaction_id
        for person_id, key, reaction_id in session.execute(
            select(
                EventReaction.person_id, EventReaction.quote_key, EventReaction.reaction_id
            ).where(
                EventReaction.event_id == event_id,
                EventReaction.counted == true(),
                tuple_(EventReaction.person_id, EventReaction.quote_key).in_(keys),
            )
        ).tuples()
    }
    insert_rows(
        session,
        table_of(EventReaction),
        rows=[_row_values(event_id, member, counted=False) for member in rest],
    )
    repeats: dict[int, int] = {}
    for member in rest:
        first = firsts[(member.person_id, member.quote_key)]
        repeats[first] = repeats.get(first, 0) + 1
    return fresh, repeats


def add_members(session: Session, *, event_id: int, members: Sequence[Membership]) -> None:
    """Insert memberships uncounted; the caller recounts the event afterwards."""
    if members:
        rows = [_row_values(event_id, member, counted=False) for member in members]
        session.execute(insert(EventReaction), rows)


def detach_document(session: Session, *, event_id: int, document_id: int) -> None:
    """Remove a document and its reactions from an event (the caller recounts the event)."""
    reaction_ids = select(Reaction.id).where(Reaction.document_id == document_id)
    session.execute(
        delete(EventReaction).where(
            EventReaction.event_id == event_id, EventReaction.reaction_id.in_(reaction_ids)
        )
    )
    session.execute(
        delete(EventDocument).where(
            EventDocument.event_id == event_id, EventDocument.document_id == document_id
        )
    )


def drop_empty_stories(session: Session, event_ids: Sequence[int]) -> list[int]:
    """Delete automatic stories left with no documents; the ids deleted."""
    dropped: list[int] = []
    for event_id in event_ids:
        event = session.get(Event, event_id)
        has_documents = session.scalar(
            select(EventDocument.document_id).where(EventDocument.event_id == event_id).limit(1)
        )
        if event is not None and event.kind == "auto" and has_documents is None:
            delete_event(session, event_id)
            dropped.append(event_id)
    return dropped


def memberships_in_documents(
    session: Session, *, event_id: int, document_ids: Sequence[int]
) -> dict[int, dict[int, float]]:
    """Of these documents, those the event holds, each with its member reactions' relevance."""
    held: dict[int, dict[int, float]] = {
        document_id: {}
        for document_id in session.scalars(
            select(EventDocument.document_id).where(
                EventDocument.event_id == event_id, EventDocument.document_id.in_(document_ids)
            )
        )
    }
    rows = session.execute(
        select(Reaction.document_id, EventReaction.reaction_id, EventReaction.relevance)
        .join(Reaction, Reaction.id == EventReaction.reaction_id)
        .where(EventReaction.event_id == event_id, Reaction.document_id.in_(document_ids))
    ).tuples()
    for document_id, reaction_id, relevance in rows:
        held.setdefault(document_id, {})[reaction_id] = relevance
    return held


def stories_of_documents(session: Session, document_ids: Sequence[int]) -> dict[int, list[int]]:
    """The automatic stories holding each of these documents."""
    rows = session.execute(
        select(EventDocument.document_id, EventDocument.event_id)
        .join(Event, Event.id == EventDocument.event_id)
        .where(Event.kind == "auto", EventDocument.document_id.in_(document_ids))
        .order_by(EventDocument.event_id)
    ).tuples()
    stories: dict[int, list[int]] = {}
    for document_id, event_id in rows:
        stories.setdefault(document_id, []).append(event_id)
    return stories


def documents_without_event(session: Session, document_ids: Sequence[int]) -> list[int]:
    """Those of these documents that no event holds."""
    held = set(
        session.scalars(
            select(EventDocument.document_id).where(EventDocument.document_id.in_(document_ids))
        )
    )
    return [document_id for document_id in document_ids if document_id not in held]


def _row_values(event_id: int, member: Membership, *, counted: bool) -> dict[str, Any]:
    """The column values of a reaction's membership row."""
    return {
        "event_id": event_id,
        "reaction_id": member.reaction_id,
        "person_id": member.person_id,
        "quote_key": member.quote_key,
        "counted": counted,
        "outlets": 1,
        "first_url": member.url,
        "compound": member.compound,
        "label": member.label,
        "kind": member.kind,
        "role": member.role,
        "outlet": member.outlet,
        "reacted_at": member.reacted_at,
        "relevance": member.relevance,
        "evidence": list(member.evidence) or None,
    }


def _add_tallies(
    session: Session, *, event_id: int, tallies: TallySet
) -> dict[tuple[str, str], Tally]:
    """Upsert-increment the event's tallies, rows in key order (no deadlocks); the new values."""
    rows = [
        {
            "event_id": event_id,
            "dimension": dimension,
            "key": key,
            "reactions": tally.reactions,
            "sum_units": tally.sum_units,
            "square_units": tally.square_units,
            "positive": tally.positive,
            "neutral": tally.neutral,
            "negative": tally.negative,
        }
        for (dimension, key), tally in sorted(tallies.tallies.items())
    ]
    added = ("reactions", "sum_units", "square_units", "positive", "neutral", "negative")
    upserted = insert_rows(
        session,
        table_of(EventTally),
        rows=rows,
        conflict=("event_id", "dimension", "key"),
        increment=added,
        returning=("dimension", "key", *added),
    )
    return {(dimension, key): Tally(*values) for dimension, key, *values in upserted}


_TALLY_COLUMNS = (
    EventTally.reactions,
    EventTally.sum_units,
    EventTally.square_units,
    EventTally.positive,
    EventTally.neutral,
    EventTally.negative,
)


def load_figures(session: Session, event_id: int) -> Figures:
    """The summary figures of the stored tallies, aggregated and ranked in SQL."""
    person = (EventTally.event_id == event_id, EventTally.dimension == "person")
    count = session.scalar(select(func.count()).where(*person)) or 0
    total = session.execute(
        select(*_TALLY_COLUMNS).where(
            EventTally.event_id == event_id,
            EventTally.dimension == TOTAL[0],
            EventTally.key == TOTAL[1],
        )
    ).one_or_none()
    person_id = cast(EventTally.key, BigInteger)
    ranked = (
        select(EventTally.key, person_id.label("person_id"), *_TALLY_COLUMNS)
        .where(*person)
        .order_by(EventTally.reactions.desc(), person_id)
        .limit(MAX_BY_PERSON)
        .subquery()
    )
    top_people = session.execute(
        select(ranked.c.key, Person.name, *(ranked.c[c.key] for c in _TALLY_COLUMNS))
        .join(Person, Person.id == ranked.c.person_id)
        .order_by(ranked.c.reactions.desc(), ranked.c.person_id)
    ).all()
    top_roles = session.execute(
        select(EventTally.key, *_TALLY_COLUMNS)
        .where(EventTally.event_id == event_id, EventTally.dimension == "role")
        .order_by(EventTally.reactions.desc(), _binary(session, EventTally.key))
        .limit(MAX_BY_ROLE)
    ).all()
    return Figures(
        total=Tally(*total) if total is not None else Tally(),
        people=count,
        top_people=[(key, Tally(*values)) for key, _, *values in top_people],
        names={int(key): name for key, name, *_ in top_people},
        top_roles=[(key, Tally(*values)) for key, *values in top_roles],
        hours=load_hours(session, event_id),
    )


def load_hours(
    session: Session, event_id: int, *, first: str | None = None, end: str | None = None
) -> dict[str, Tally]:
    """The event's hourly tallies, by the ISO start of the hour: all of them, or those of the
    hours from `first` up to `end` (excluded; hour keys, which sort by code point as in time)."""
    key = _binary(session, EventTally.key)
    stmt = select(EventTally.key, *_TALLY_COLUMNS).where(
        EventTally.event_id == event_id, EventTally.dimension == "hour"
    )
    if first is not None:
        stmt = stmt.where(key >= first)
    if end is not None:
        stmt = stmt.where(key < end)
    return {key: Tally(*values) for key, *values in session.execute(stmt).all()}


def _binary(session: Session, column: Any) -> Any:
    """Order text by code point, as Python does, whatever the database's collation."""
    return column.collate("C") if session.get_bind().dialect.name == "postgresql" else column


def recount_event(session: Session, event_id: int) -> None:
    """Recompute which memberships count, their outlets and every tally from the member rows."""
    rows = list(
        session.scalars(
            select(EventReaction)
            .where(EventReaction.event_id == event_id)
            .order_by(EventReaction.reaction_id)
        )
    )
    session.execute(
        update(EventReaction).where(EventReaction.event_id == event_id).values(counted=False)
    )
    session.flush()
    outlets = copies_counted([(row.reaction_id, row.person_id, row.quote_key) for row in rows])
    for row in rows:
        row.counted = row.reaction_id in outlets
        row.outlets = outlets.get(row.reaction_id, 1)
    session.flush()
    session.execute(delete(EventTally).where(EventTally.event_id == event_id))
    _add_tallies(
        session,
        event_id=event_id,
        tallies=tally_set(CountedReaction.of(row) for row in rows if row.counted),
    )


def events_of_people(session: Session, person_ids: Sequence[int]) -> list[int]:
    """Events holding reactions of these people."""
    stmt = select(EventReaction.event_id).where(EventReaction.person_id.in_(person_ids)).distinct()
    return sorted(session.scalars(stmt))


def events_of_document(session: Session, document_id: int) -> list[int]:
    """Events a document belongs to."""
    stmt = select(EventDocument.event_id).where(EventDocument.document_id == document_id)
    return sorted(session.scalars(stmt))


def move_members(session: Session, *, source_id: int, target_id: int) -> None:
    """Move an event's documents and reactions into another event (for merges)."""
    docs = session.execute(
        select(EventDocument.document_id, EventDocument.outlet).where(
            EventDocument.event_id == source_id
        )
    ).all()
    for document_id, outlet in docs:
        attach_document(session, event_id=target_id, document_id=document_id, outlet=outlet)
    taken = set(
        session.scalars(
            select(EventReaction.reaction_id).where(EventReaction.event_id == target_id)
        )
    )
    session.execute(
        update(EventReaction)
        .where(EventReaction.event_id == source_id, EventReaction.reaction_id.not_in(taken))
        .values(event_id=target_id, counted=False)
    )
