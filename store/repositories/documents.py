"""Documents: deduplicated insert, row lock for processing, failure bookkeeping, sweeping."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from schemas.documents import DocumentCreate
from store.models import Document, EventDocument, utcnow
from store.upsert import table_of, upsert_statement

MAX_ERROR_CHARS = 2000
STORY_LOCK_KEY = 7_715_001


def content_hash(text: str) -> str:
    """Hash of the text with whitespace collapsed: a re-post with a trailing newline matches."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def create_document(session: Session, data: DocumentCreate) -> tuple[Document, bool]:
    """Insert a queued document unless its content hash exists; returns it and whether it is new.

    The insert is a cached text statement: the API runs it on every POST.
    """
    digest = content_hash(data.text)
    now = utcnow()
    values = {
        "content_hash": digest,
        "text": data.text,
        "title": data.title,
        "url": data.url,
        "source": data.source,
        "published_at": data.published_at,
        "status": "queued",
        "attempts": 0,
        "created_at": now,
        "enqueued_at": now,
    }
    stmt = upsert_statement(
        table_of(Document), columns=tuple(values), conflict=("content_hash",), returning=("id",)
    )
    new_id = session.scalar(stmt, values)
    document = session.scalars(select(Document).where(Document.content_hash == digest)).one()
    return document, new_id is not None


def get_document(session: Session, document_id: int) -> Document | None:
    """A document by id, or None."""
    return session.get(Document, document_id)


def get_documents(session: Session, document_ids: Sequence[int]) -> list[Document]:
    """Documents by id, in id order (missing ones left out)."""
    if not document_ids:
        return []
    stmt = select(Document).where(Document.id.in_(document_ids)).order_by(Document.id)
    return list(session.scalars(stmt))


def status_of(session: Session, document_id: int) -> str | None:
    """A document's status as last committed, read without a lock; None when it is missing."""
    return session.scalar(select(Document.status).where(Document.id == document_id))


@dataclass(frozen=True, slots=True)
class DocumentHeading:
    """What a link to a document shows: its title, where it came from and when (no text)."""

    id: int
    title: str | None
    url: str | None
    source: str | None
    published_at: datetime | None
    created_at: datetime


def document_headings(session: Session, document_ids: Sequence[int]) -> list[DocumentHeading]:
    """The headings of documents by id, in id order (missing ones left out): columns only, so
    a page of quotes does not read each article's text."""
    if not document_ids:
        return []
    stmt = (
        select(
            Document.id,
            Document.title,
            Document.url,
            Document.source,
            Document.published_at,
            Document.created_at,
        )
        .where(Document.id.in_(document_ids))
        .order_by(Document.id)
    )
    return [DocumentHeading(*row) for row in session.execute(stmt).tuples()]


def lock_document(
    session: Session, document_id: int, *, skip_locked: bool = False
) -> Document | None:
    """Load a document with a row lock so concurrent deliveries of its task run one at a time;
    with `skip_locked`, None also when another transaction holds the row."""
    stmt = (
        select(Document).where(Document.id == document_id).with_for_update(skip_locked=skip_locked)
    )
    return session.scalars(stmt).one_or_none()


def claim_queued(session: Session, *, besides: int, limit: int) -> list[Document]:
    """Lock up to `limit` other queued documents no attempt has failed on yet, newest first,
    skipping those another worker holds: a worker with a backlog processes them with its own.

    Newest first, because the oldest are the next messages on the queue: the other workers
    take those, and rarely find a claimed document's row still held.
    """
    if limit < 1:
        return []
    stmt = (
        select(Document)
        .where(Document.status == "queued", Document.attempts == 0, Document.id != besides)
        .order_by(Document.enqueued_at.desc())
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.scalars(stmt))


def mark_processed(document: Document) -> None:
    """Record successful processing."""
    document.status = "processed"
    document.error = None
    document.processed_at = utcnow()


def record_failure(session: Session, *, document_id: int, error: str, max_attempts: int) -> bool:
    """Count a failed attempt; mark the document failed once attempts run out. True when final."""
    document = lock_document(session, document_id)
    if document is None or document.status != "queued":
        return True
    document.attempts += 1
    document.error = error[:MAX_ERROR_CHARS]
    if document.attempts >= max_attempts:
        document.status = "failed"
        return True
    return False


def claim_stale_queued(
    session: Session, *, older_than: timedelta, limit: int, never_attempted: bool = False
) -> list[int]:
    """Ids of documents still queued after `older_than` (only those no attempt failed on, when
    asked), re-stamped so none is claimed twice."""
    cutoff: datetime = utcnow() - older_than
    stmt = select(Document.id).where(Document.status == "queued", Document.enqueued_at < cutoff)
    if never_attempted:
        stmt = stmt.where(Document.attempts == 0)
    ids = list(
        session.scalars(stmt.order_by(Document.id).limit(limit).with_for_update(skip_locked=True))
    )
    if ids:
        session.execute(update(Document).where(Document.id.in_(ids)).values(enqueued_at=utcnow()))
    return ids


def processed_ids_after(session: Session, *, after_id: int, limit: int) -> list[int]:
    """Ids of processed documents past `after_id`, in order, for batched backfills."""
    return list(
        session.scalars(
            select(Document.id)
            .where(Document.status == "processed", Document.id > after_id)
            .order_by(Document.id)
            .limit(limit)
        )
    )


def lock_story_assignment(session: Session) -> None:
    """Serialise story assignment across workers (a transaction lock; SQLite is serial anyway)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": STORY_LOCK_KEY})


def titles_in_event(session: Session, *, event_id: int, limit: int) -> list[str]:
    """Titles of an event's first documents, for naming automatic stories."""
    stmt = (
        select(Document.title)
        .join(EventDocument, EventDocument.document_id == Document.id)
        .where(EventDocument.event_id == event_id, Document.title.is_not(None))
        .order_by(Document.id)
        .limit(limit)
    )
    return [title for title in session.scalars(stmt) if title]


def delete_document(session: Session, document_id: int) -> None:
    """Delete a document; its reactions and memberships go with it (the caller recounts)."""
    session.execute(delete(Document).where(Document.id == document_id))


def queue_depth(session: Session) -> tuple[int, datetime | None]:
    """How many documents wait to be processed, and since when the oldest has (index scan)."""
    count, oldest = session.execute(
        select(func.count(), func.min(Document.created_at)).where(Document.status == "queued")
    ).one()
    return int(count), oldest
