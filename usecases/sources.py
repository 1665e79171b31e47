"""Sources: register feeds, pages and social queries, read their health, and send their polls
(one now, or every due one on beat's tick)."""

from functools import partial

from sqlalchemy.orm import Session

from schemas.sources import PollAccepted, SourceCreate, SourceRead
from schemas.tasks import POLL_SOURCE
from store.db import after_commit
from store.models import Source
from store.repositories import sources
from taskqueue import TaskSender
from usecases.errors import NotFoundError


def _send_poll(session: Session, source_id: int, *, token: int, sender: TaskSender) -> None:
    """Send the claimed poll once the claim is committed."""
    after_commit(session, partial(sender.send, POLL_SOURCE, source_id, token))


def _poll_soon(session: Session, source: Source, *, sender: TaskSender) -> bool:
    """Claim the source and send its poll once committed; False when a poll holds it already."""
    token = sources.claim_source(session, source)
    if token is None:
        return False
    _send_poll(session, source.id, token=token, sender=sender)
    return True


def create_source(session: Session, data: SourceCreate, *, sender: TaskSender) -> SourceRead:
    """Register a source; its first poll is sent as soon as it is stored."""
    source = sources.create_source(session, data)
    _poll_soon(session, source, sender=sender)
    return SourceRead.model_validate(source)


def list_sources(session: Session, *, after_id: int | None, limit: int) -> list[SourceRead]:
    """Sources by id, one page."""
    rows = sources.list_sources(session, after_id=after_id, limit=limit)
    return [SourceRead.model_validate(source) for source in rows]


def read_source(session: Session, source_id: int) -> SourceRead:
    """One source with its polling state (404 when unknown)."""
    source = sources.get_source(session, source_id)
    if source is None:
        raise NotFoundError(f"source {source_id} not found")
    return SourceRead.model_validate(source)


def delete_source(session: Session, source_id: int) -> None:
    """Stop collecting from a source (404 when unknown); the documents it brought stay."""
    if not sources.delete_source(session, source_id):
        raise NotFoundError(f"source {source_id} not found")


def poll_now(session: Session, source_id: int, *, sender: TaskSender) -> PollAccepted:
    """Poll a source now (row-locked while claimed); `queued` is false when a poll of it is
    already under way."""
    source = sources.lock_source(session, source_id)
    if source is None:
        raise NotFoundError(f"source {source_id} not found")
    return PollAccepted(id=source.id, queued=_poll_soon(session, source, sender=sender))


def poll_due_sources(session: Session, *, sender: TaskSender, limit: int) -> int:
    """Claim up to `limit` due sources (skipping locked ones) and send one poll per claim after
    commit; how many were claimed."""
    claimed = sources.claim_due(session, limit=limit)
    for source_id, token in claimed:
        _send_poll(session, source_id, token=token, sender=sender)
    return len(claimed)
