"""Events: definitions, document and reaction membership, and per-person-per-event tallies."""

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.events import EventCreate
from store.models import (
    Event,
    EventDocument,
    EventReaction,
    EventSummaryRow,
    PersonEventStats,
    Reaction,
    utcnow,
)
from store.upsert import insert_for

MAX_EVENTS_MATCHED = 10_000


def create_event(session: Session, data: EventCreate) -> Event:
    """Store an event and its empty summary (version 0)."""
    event = Event(title=data.title, keywords=data.keywords, match=data.match, created_at=utcnow())
    session.add(event)
    session.flush()
    session.add(EventSummaryRow(event_id=event.id, version=0, updated_at=event.created_at, data={}))
    session.flush()
    return event


def get_event(session: Session, event_id: int) -> Event | None:
    """An event by id, or None."""
    return session.get(Event, event_id)


def list_events(session: Session, *, after_id: int | None, limit: int) -> list[Event]:
    """One page of events by id."""
    stmt = select(Event).order_by(Event.id).limit(limit)
    if after_id is not None:
        stmt = stmt.where(Event.id > after_id)
    return list(session.scalars(stmt))


def all_events(session: Session) -> list[Event]:
    """Every event, for keyword matching (bounded)."""
    return list(session.scalars(select(Event).order_by(Event.id).limit(MAX_EVENTS_MATCHED)))


def attach_document(session: Session, *, event_id: int, document_id: int) -> bool:
    """Add a document to an event; False when it was a member already."""
    stmt = (
        insert_for(session, EventDocument)
        .values(event_id=event_id, document_id=document_id)
        .on_conflict_do_nothing(index_elements=["event_id", "document_id"])
        .returning(EventDocument.document_id)
    )
    return session.execute(stmt).scalar_one_or_none() is not None


def attach_reactions(session: Session, *, event_id: int, reactions: Sequence[Reaction]) -> None:
    """Add reactions to an event and fold them into its per-person tallies, in person order."""
    by_person: dict[int, list[Reaction]] = defaultdict(list)
    for reaction in reactions:
        inserted = session.execute(
            insert_for(session, EventReaction)
            .values(event_id=event_id, reaction_id=reaction.id, compound=reaction.compound)
            .on_conflict_do_nothing(index_elements=["event_id", "reaction_id"])
            .returning(EventReaction.reaction_id)
        ).scalar_one_or_none()
        if inserted is not None:
            by_person[reaction.person_id].append(reaction)
    for person_id in sorted(by_person):
        _add_to_tally(
            session, event_id=event_id, person_id=person_id, reactions=by_person[person_id]
        )


def _add_to_tally(
    session: Session, *, event_id: int, person_id: int, reactions: Sequence[Reaction]
) -> None:
    """Upsert one person's event tally with these reactions added."""
    labels = [r.label for r in reactions]
    added = {
        "reactions": len(reactions),
        "sum_compound": sum(r.compound for r in reactions),
        "positive": labels.count("positive"),
        "neutral": labels.count("neutral"),
        "negative": labels.count("negative"),
    }
    stmt = insert_for(session, PersonEventStats).values(
        event_id=event_id, person_id=person_id, **added
    )
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["event_id", "person_id"],
            set_={name: getattr(PersonEventStats, name) + value for name, value in added.items()},
        )
    )
