"""Sources: register feeds, pages and social queries; read their health; poll one now."""

from functools import partial

from fastapi import APIRouter, Response, status

from schemas.base import Page
from schemas.sources import PollAccepted, SourceCreate, SourceRead
from schemas.tasks import POLL_SOURCE
from service.deps import AdminDep, ReaderDep, SenderDep, SessionDep
from service.errors import NotFoundError
from service.pagination import Cursor, Limit, PathId, decode_cursor, next_cursor
from store.db import after_commit
from store.models import Source
from store.repositories import sources

router = APIRouter(prefix="/v1/sources", tags=["sources"])


def _source_or_404(session: SessionDep, source_id: int, *, lock: bool = False) -> Source:
    """The source (row-locked when asked), or a 404 naming its id."""
    found = (sources.lock_source if lock else sources.get_source)(session, source_id)
    if found is None:
        raise NotFoundError(f"source {source_id} not found")
    return found


def _poll_soon(session: SessionDep, sender: SenderDep, source: Source) -> bool:
    """Claim the source and send its poll once committed; False when a poll holds it already."""
    token = sources.claim_source(session, source)
    if token is None:
        return False
    after_commit(session, partial(sender.send, POLL_SOURCE, source.id, token))
    return True


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=[AdminDep])
def create_source(data: SourceCreate, session: SessionDep, sender: SenderDep) -> SourceRead:
    """Register a source; its first poll is sent as soon as it is stored."""
    source = sources.create_source(session, data)
    _poll_soon(session, sender, source)
    return SourceRead.model_validate(source)


@router.get("", dependencies=[ReaderDep])
def list_sources(session: SessionDep, limit: Limit = 50, cursor: Cursor = None) -> Page[SourceRead]:
    """Sources by id, one page."""
    rows = sources.list_sources(session, after_id=decode_cursor(cursor), limit=limit)
    return Page[SourceRead](
        items=[SourceRead.model_validate(s) for s in rows],
        next_cursor=next_cursor([s.id for s in rows], limit),
    )


@router.get("/{source_id}", dependencies=[ReaderDep])
def read_source(source_id: PathId, session: SessionDep) -> SourceRead:
    """One source with its last poll, status, consecutive errors, last error and documents."""
    return SourceRead.model_validate(_source_or_404(session, source_id))


@router.delete("/{source_id}", status_code=status.HTTP_204_NO_CONTENT, dependencies=[AdminDep])
def delete_source(source_id: PathId, session: SessionDep) -> Response:
    """Stop collecting from a source; the documents it brought stay."""
    if not sources.delete_source(session, source_id):
        raise NotFoundError(f"source {source_id} not found")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{source_id}/poll", status_code=status.HTTP_202_ACCEPTED, dependencies=[AdminDep])
def poll_source(source_id: PathId, session: SessionDep, sender: SenderDep) -> PollAccepted:
    """Poll a source now; `queued` is false when a poll of it is already under way."""
    source = _source_or_404(session, source_id, lock=True)
    return PollAccepted(id=source.id, queued=_poll_soon(session, sender, source))
