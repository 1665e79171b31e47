"""Events: define, list, rename, merge and delete them; read their summaries and reactions."""

from datetime import datetime

from sqlalchemy.orm import Session

from notify.cache import SummaryCache
from schemas.events import EventCreate, EventKind, EventMerge, EventRead, EventUpdate
from schemas.reactions import ReactionRead
from schemas.tasks import BACKFILL_EVENT
from store.db import after_commit
from store.models import Event
from store.repositories import events, reactions, summaries
from store.repositories.reactions import ReactionFilter
from taskqueue import TaskSender
from taskqueue.announce import announce_summaries
from usecases import corrections
from usecases.errors import InvalidInputError, NotFoundError


def existing_event(session: Session, event_id: int) -> Event:
    """The event, or a 404 naming its id."""
    event = events.get_event(session, event_id)
    if event is None:
        raise NotFoundError(f"event {event_id} not found")
    return event


def _judge_again(session: Session, event_id: int, *, sender: TaskSender) -> None:
    """Once committed, send the backfill that judges the stored documents for the event."""
    after_commit(session, lambda: sender.send(BACKFILL_EVENT, event_id, 0))


def create_event(session: Session, data: EventCreate, *, sender: TaskSender) -> EventRead:
    """Define an event; documents already processed are judged for it in the background."""
    event = events.create_event(session, data)
    _judge_again(session, event.id, sender=sender)
    return EventRead.model_validate(event)


def list_events(
    session: Session, *, after_id: int | None, limit: int, kind: EventKind | None
) -> list[EventRead]:
    """Events by id, one page; `kind` keeps only defined events or automatic stories."""
    rows = events.list_events(session, after_id=after_id, limit=limit, kind=kind)
    return [EventRead.model_validate(event) for event in rows]


def read_event(session: Session, event_id: int) -> EventRead:
    """One event (404 when unknown)."""
    return EventRead.model_validate(existing_event(session, event_id))


def update_event(
    session: Session, event_id: int, *, data: EventUpdate, sender: TaskSender
) -> EventRead:
    """Rename an event or change what selects it; a renamed story keeps its new title, and a
    defined event's stored documents are judged again. A story takes nothing but a title."""
    event = existing_event(session, event_id)
    changes = data.model_dump(exclude_unset=True)
    if event.kind == "auto" and set(changes) - {"title"}:
        raise InvalidInputError(
            f"{sorted(set(changes) - {'title'})[0]}: an automatic story can only be renamed"
        )
    events.update_event(session, event, data=data)
    if "title" in changes:
        event.title_fixed = True
    if event.kind == "defined" and changes:
        _judge_again(session, event.id, sender=sender)
    return EventRead.model_validate(event)


def delete_event(session: Session, event_id: int, *, sender: TaskSender) -> None:
    """Delete an event, its memberships and its summary (documents and reactions stay); after
    commit it is announced gone, and documents no other event holds join automatic stories."""
    existing_event(session, event_id)
    events.delete_event(session, event_id)
    announce_summaries(session, sender=sender, changes=[(event_id, 0)])
    _judge_again(session, event_id, sender=sender)


def merge_events(
    session: Session, event_id: int, *, data: EventMerge, sender: TaskSender
) -> EventRead:
    """Fold other events into this one (they are deleted); its summary follows."""
    event = existing_event(session, event_id)
    missing = [i for i in data.event_ids if events.get_event(session, i) is None]
    if missing:
        raise InvalidInputError(f"event_ids: unknown events {missing}")
    if event_id in data.event_ids:
        raise InvalidInputError("event_ids: cannot merge an event into itself")
    corrections.merge_events(session, target_id=event_id, source_ids=data.event_ids, sender=sender)
    return EventRead.model_validate(event)


def stored_summary(session: Session, event_id: int) -> tuple[int, bytes] | None:
    """The version and encoded body of the event's stored summary, or None when unknown."""
    return summaries.read_summary_body(session, event_id)


def summary_body(
    session: Session,
    event_id: int,
    *,
    cache: SummaryCache,
    since: datetime | None,
    until: datetime | None,
) -> bytes:
    """The encoded summary: as stored (kept in the process's cache), or computed for [since,
    until); 404 when the event is unknown."""
    if since is None and until is None:
        generation = cache.generation(event_id)
        stored = stored_summary(session, event_id)
        if stored is None:
            raise NotFoundError(f"event {event_id} not found")
        version, body = stored
        cache.put(event_id, version, body=body, generation=generation)
        return body
    ranged = summaries.summary_in_range(session, event_id=event_id, since=since, until=until)
    if ranged is None:
        raise NotFoundError(f"event {event_id} not found")
    return ranged.model_dump_json().encode()


def event_reactions(
    session: Session, event_id: int, *, where: ReactionFilter, after_id: int | None, limit: int
) -> list[ReactionRead]:
    """The event's counted reactions by id, filtered, one page (404 when unknown)."""
    existing_event(session, event_id)
    return reactions.reactions_of_event(
        session, event_id=event_id, after_id=after_id, limit=limit, where=where
    )
