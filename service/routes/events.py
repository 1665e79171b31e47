"""Events: define, rename, merge and delete them; read summaries, reactions and exports."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from notify.cache import SummaryCache
from schemas.base import Page
from schemas.events import EventCreate, EventKind, EventMerge, EventRead, EventUpdate
from schemas.reactions import QuoteKind, ReactionRead, SentimentLabel
from schemas.summaries import EventSummary
from service.deps import AdminDep, ReaderDep, SenderDep, SessionDep
from service.exports import ExportFormat, export_rows
from service.pagination import (
    NO_NUL,
    Cursor,
    Limit,
    PathId,
    QueryId,
    decode_cursor,
    next_cursor,
)
from store.repositories.reactions import ReactionFilter
from usecases import events
from usecases.errors import InvalidInputError

router = APIRouter(prefix="/v1/events", tags=["events"])
Compound = Annotated[float | None, Query(ge=-1.0, le=1.0)]
EXPORT_MEDIA: dict[ExportFormat, str] = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "json": "application/json",
}


def reaction_filter(
    person_id: QueryId = None,
    *,
    label: SentimentLabel | None = None,
    min_compound: Compound = None,
    max_compound: Compound = None,
    kind: QuoteKind | None = None,
    outlet: Annotated[str | None, Query(max_length=300, pattern=NO_NUL)] = None,
    role: Annotated[str | None, Query(max_length=200, pattern=NO_NUL)] = None,
    organisation: Annotated[str | None, Query(max_length=200, pattern=NO_NUL)] = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> ReactionFilter:
    """Filters of reaction lists and exports, from the query string (`role` and `organisation`
    match part of the role or affiliation as written, any case; the time range is [since,
    until) on when the reaction was said)."""
    if min_compound is not None and max_compound is not None and min_compound > max_compound:
        raise InvalidInputError("min_compound: must not exceed max_compound")
    if since is not None and until is not None and since >= until:
        raise InvalidInputError("until: must be after since")
    return ReactionFilter(
        person_id=person_id,
        label=label,
        min_compound=min_compound,
        max_compound=max_compound,
        kind=kind,
        outlet=outlet,
        role=role or None,
        organisation=organisation or None,
        since=since,
        until=until,
    )


FilterDep = Annotated[ReactionFilter, Depends(reaction_filter)]


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=[AdminDep])
def create_event(data: EventCreate, *, session: SessionDep, sender: SenderDep) -> EventRead:
    """Define an event; documents already processed are matched against it in the background."""
    return events.create_event(session, data, sender=sender)


@router.get("", dependencies=[ReaderDep])
def list_events(
    session: SessionDep,
    *,
    limit: Limit = 50,
    cursor: Cursor = None,
    kind: EventKind | None = None,
) -> Page[EventRead]:
    """Events by id, one page; `kind` keeps only defined events or automatic stories."""
    items = events.list_events(session, after_id=decode_cursor(cursor), limit=limit, kind=kind)
    return Page[EventRead](items=items, next_cursor=next_cursor([e.id for e in items], limit))


@router.get("/{event_id}", dependencies=[ReaderDep])
def read_event(event_id: PathId, session: SessionDep) -> EventRead:
    """One event."""
    return events.read_event(session, event_id)


@router.patch("/{event_id}", dependencies=[AdminDep])
def update_event(
    event_id: PathId, *, data: EventUpdate, session: SessionDep, sender: SenderDep
) -> EventRead:
    """Rename an event or change what selects it; a renamed story keeps its new title. A defined
    event's stored documents are judged again (its title and description count too)."""
    return events.update_event(session, event_id, data=data, sender=sender)


@router.delete("/{event_id}", status_code=status.HTTP_204_NO_CONTENT, dependencies=[AdminDep])
def delete_event(event_id: PathId, *, session: SessionDep, sender: SenderDep) -> Response:
    """Delete an event, its memberships and its summary (documents and reactions stay); after
    commit it is announced gone, and documents no other event holds join automatic stories."""
    events.delete_event(session, event_id, sender=sender)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{event_id}/merge", dependencies=[AdminDep])
def merge_events(
    event_id: PathId, *, data: EventMerge, session: SessionDep, sender: SenderDep
) -> EventRead:
    """Fold other events into this one (they are deleted); its summary follows."""
    return events.merge_events(session, event_id, data=data, sender=sender)


@router.get("/{event_id}/summary", dependencies=[ReaderDep], response_model=EventSummary)
async def read_summary(
    event_id: PathId,
    *,
    request: Request,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Response:
    """The event's summary: as stored (from this process's cache of the latest version, else
    one row read), or computed for [since, until)."""
    if since is not None and until is not None and since >= until:
        raise InvalidInputError("until: must be after since")
    cache: SummaryCache = request.app.state.stream_hub.cache
    if since is None and until is None and (cached := cache.get(event_id)) is not None:
        return Response(cached, media_type="application/json")
    body = await run_in_threadpool(
        _summary_body, request.app.state.session_factory, event_id, cache, since, until
    )
    return Response(body, media_type="application/json")


def _summary_body(
    factory: sessionmaker[Session],
    event_id: int,
    cache: SummaryCache,
    since: datetime | None,
    until: datetime | None,
) -> bytes:
    """The summary read in a session of its own (the route runs outside the request's)."""
    with factory() as session:
        return events.summary_body(session, event_id, cache=cache, since=since, until=until)


@router.get("/{event_id}/reactions", dependencies=[ReaderDep])
def list_event_reactions(
    event_id: PathId,
    *,
    session: SessionDep,
    where: FilterDep,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[ReactionRead]:
    """The event's counted reactions by id, filtered, one page."""
    items = events.event_reactions(
        session, event_id, where=where, after_id=decode_cursor(cursor), limit=limit
    )
    return Page[ReactionRead](items=items, next_cursor=next_cursor([r.id for r in items], limit))


@router.get(
    "/{event_id}/reactions/export",
    dependencies=[ReaderDep],
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "the reactions: one CSV row or JSON line each, or one JSON array",
            "content": {media.split(";")[0]: {} for media in EXPORT_MEDIA.values()},
        }
    },
)
def export_event_reactions(
    event_id: PathId,
    *,
    request: Request,
    session: SessionDep,
    where: FilterDep,
    format: ExportFormat = "csv",
) -> StreamingResponse:
    """Every matching reaction as CSV, JSON lines or one JSON array, streamed in batches
    (memory stays flat)."""
    events.existing_event(session, event_id)
    media = EXPORT_MEDIA[format]
    body = export_rows(
        request.app.state.session_factory, event_id=event_id, where=where, fmt=format
    )
    headers = {"Content-Disposition": f'attachment; filename="event-{event_id}.{format}"'}
    return StreamingResponse(body, media_type=media, headers=headers)
