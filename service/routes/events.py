"""Events: define them, list them, read their summary and their reactions."""

from typing import Any

from fastapi import APIRouter, status
from fastapi.responses import JSONResponse

from schemas.base import Page
from schemas.events import EventCreate, EventRead
from schemas.reactions import ReactionRead
from schemas.summaries import EventSummary
from schemas.tasks import BACKFILL_EVENT
from service.deps import AdminDep, ReaderDep, SenderDep, SessionDep
from service.errors import NotFoundError
from service.pagination import Cursor, Limit, decode_cursor, next_cursor
from store.db import after_commit
from store.models import Event
from store.repositories import events, reactions, summaries

router = APIRouter(prefix="/v1/events", tags=["events"])


def _event_or_404(session: SessionDep, event_id: int) -> Event:
    """The event, or a 404 naming its id."""
    event = events.get_event(session, event_id)
    if event is None:
        raise NotFoundError(f"event {event_id} not found")
    return event


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=[AdminDep])
def create_event(data: EventCreate, session: SessionDep, sender: SenderDep) -> EventRead:
    """Define an event; documents already processed are matched against it in the background."""
    event = events.create_event(session, data)
    after_commit(session, lambda: sender.send(BACKFILL_EVENT, event.id, 0))
    return EventRead.model_validate(event)


@router.get("", dependencies=[ReaderDep])
def list_events(session: SessionDep, limit: Limit = 50, cursor: Cursor = None) -> Page[EventRead]:
    """Events by id, one page."""
    rows = events.list_events(session, after_id=decode_cursor(cursor), limit=limit)
    return Page[EventRead](
        items=[EventRead.model_validate(e) for e in rows],
        next_cursor=next_cursor([e.id for e in rows], limit),
    )


@router.get("/{event_id}", dependencies=[ReaderDep])
def read_event(event_id: int, session: SessionDep) -> EventRead:
    """One event."""
    return EventRead.model_validate(_event_or_404(session, event_id))


@router.get("/{event_id}/summary", dependencies=[ReaderDep], response_model=EventSummary)
def read_summary(event_id: int, session: SessionDep) -> Any:
    """The event's materialised summary, served as stored (one primary-key read)."""
    data = summaries.read_summary(session, event_id)
    if data is None:
        raise NotFoundError(f"event {event_id} not found")
    return JSONResponse(data)


@router.get("/{event_id}/reactions", dependencies=[ReaderDep])
def list_event_reactions(
    event_id: int, session: SessionDep, limit: Limit = 50, cursor: Cursor = None
) -> Page[ReactionRead]:
    """The event's reactions by id, one page."""
    _event_or_404(session, event_id)
    items = reactions.reactions_of_event(
        session, event_id=event_id, after_id=decode_cursor(cursor), limit=limit
    )
    return Page[ReactionRead](items=items, next_cursor=next_cursor([r.id for r in items], limit))
