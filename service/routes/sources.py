"""Sources: register feeds, pages and social queries; read their health; poll one now."""

from fastapi import APIRouter, Response, status

from schemas.base import Page
from schemas.sources import PollAccepted, SourceCreate, SourceRead
from service.deps import AdminDep, ReaderDep, SenderDep, SessionDep
from service.pagination import Cursor, Limit, PathId, decode_cursor, next_cursor
from usecases import sources

router = APIRouter(prefix="/v1/sources", tags=["sources"])


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=[AdminDep])
def create_source(data: SourceCreate, *, session: SessionDep, sender: SenderDep) -> SourceRead:
    """Register a source; its first poll is sent as soon as it is stored."""
    return sources.create_source(session, data, sender=sender)


@router.get("", dependencies=[ReaderDep])
def list_sources(
    session: SessionDep, *, limit: Limit = 50, cursor: Cursor = None
) -> Page[SourceRead]:
    """Sources by id, one page."""
    items = sources.list_sources(session, after_id=decode_cursor(cursor), limit=limit)
    return Page[SourceRead](items=items, next_cursor=next_cursor([s.id for s in items], limit))


@router.get("/{source_id}", dependencies=[ReaderDep])
def read_source(source_id: PathId, session: SessionDep) -> SourceRead:
    """One source with its last poll, status, consecutive errors, last error and documents."""
    return sources.read_source(session, source_id)


@router.delete("/{source_id}", status_code=status.HTTP_204_NO_CONTENT, dependencies=[AdminDep])
def delete_source(source_id: PathId, session: SessionDep) -> Response:
    """Stop collecting from a source; the documents it brought stay."""
    sources.delete_source(session, source_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{source_id}/poll", status_code=status.HTTP_202_ACCEPTED, dependencies=[AdminDep])
def poll_source(source_id: PathId, *, session: SessionDep, sender: SenderDep) -> PollAccepted:
    """Poll a source now; `queued` is false when a poll of it is already under way."""
    return sources.poll_now(session, source_id, sender=sender)
