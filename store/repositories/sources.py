"""Sources: registration, claim-based scheduling, poll bookkeeping, items and fingerprints."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from schemas.sources import ItemStatus, SourceCreate
from store.models import Document, DocumentBand, DocumentFingerprint, Source, SourceItem, utcnow
from store.upsert import insert_for

MAX_ERROR_CHARS = 2000
MAX_CANDIDATES = 50
POLL_LEASE = timedelta(seconds=600)
"""Longer than the poll task's hard time limit: a lease that expires means the poll died."""


@dataclass(frozen=True, slots=True)
class PollState:
    """What a poll needs to know about its source, read before any network I/O."""

    source_id: int
    kind: str
    url: str
    query: str | None
    etag: str | None
    last_modified: str | None
    cursor: str | None


@dataclass(frozen=True, slots=True)
class ItemState:
    """What is recorded about one entry of a source."""

    status: ItemStatus
    attempts: int
    url: str | None
    title: str | None


def create_source(session: Session, data: SourceCreate) -> Source:
    """Store a new source, due now."""
    source = Source(
        kind=data.kind,
        url=data.url,
        query=data.query,
        interval_s=data.interval_s,
        status="pending",
        next_poll_at=utcnow(),
        claim_token=0,
        started_token=0,
        consecutive_errors=0,
        documents_collected=0,
        created_at=utcnow(),
    )
    session.add(source)
    session.flush()
    return source


def get_source(session: Session, source_id: int) -> Source | None:
    """A source by id, or None."""
    return session.get(Source, source_id)


def list_sources(session: Session, *, after_id: int | None, limit: int) -> list[Source]:
    """Sources by id, one page."""
    stmt = select(Source).order_by(Source.id).limit(limit)
    if after_id is not None:
        stmt = stmt.where(Source.id > after_id)
    return list(session.scalars(stmt))


def delete_source(session: Session, source_id: int) -> bool:
    """Delete a source and its item records; its documents stay. True when it existed."""
    result = session.execute(delete(Source).where(Source.id == source_id))
    return bool(getattr(result, "rowcount", 0))


def claim_source(session: Session, source: Source) -> int | None:
    """Claim a locked or new source for one poll: a fresh token, or None when a poll holds it."""
    now = utcnow()
    if source.lease_until is not None and _aware(source.lease_until) > now:
        return None
    source.claim_token += 1
    source.lease_until = now + POLL_LEASE
    source.next_poll_at = now + timedelta(seconds=source.interval_s)
    return source.claim_token


def lock_source(session: Session, source_id: int) -> Source | None:
    """A source with its row lock, so claims on it run one at a time."""
    return session.scalars(select(Source).where(Source.id == source_id).with_for_update()).first()


def claim_due(session: Session, *, limit: int) -> list[tuple[int, int]]:
    """Claim up to `limit` due sources nobody polls; (id, token) pairs. Skips rows others lock."""
    now = utcnow()
    stmt = (
        select(Source)
        .where(Source.next_poll_at <= now)
        .where((Source.lease_until.is_(None)) | (Source.lease_until < now))
        .order_by(Source.next_poll_at, Source.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = []
    for source in session.scalars(stmt):
        token = claim_source(session, source)
        if token is not None:
            claimed.append((source.id, token))
    return claimed


def start_poll(session: Session, *, source_id: int, token: int) -> PollState | None:
    """Mark the claim `token` as started; None when it is stale, expired or already started."""
    now = utcnow()
    result = session.execute(
        update(Source)
        .where(
            Source.id == source_id,
            Source.claim_token == token,
            Source.started_token != token,
            Source.lease_until > now,
        )
        .values(started_token=token)
    )
    source = session.get(Source, source_id) if getattr(result, "rowcount", 0) else None
    if source is None:
        return None
    return PollState(
        source_id=source.id,
        kind=source.kind,
        url=source.url,
        query=source.query,
        etag=source.etag,
        last_modified=source.last_modified,
        cursor=source.cursor,
    )


def finish_poll(
    session: Session,
    *,
    source_id: int,
    token: int,
    error: str | None,
    item_error: str | None,
    validators: tuple[str | None, str | None] | None,
    cursor: str | None,
    collected: int,
    backoff_cap_s: int,
) -> None:
    """Record a poll's outcome and release the claim; failures push the next poll back."""
    source = lock_source(session, source_id)
    if source is None or source.claim_token != token:
        return
    now = utcnow()
    source.last_polled_at = now
    source.lease_until = None
    source.documents_collected += collected
    if error is not None:
        source.status = "error"
        source.consecutive_errors += 1
        source.last_error = error[:MAX_ERROR_CHARS]
        delay = min(source.interval_s * 2 ** min(source.consecutive_errors, 16), backoff_cap_s)
        source.next_poll_at = now + timedelta(seconds=delay)
        return
    source.status = "partial" if item_error else "ok"
    source.consecutive_errors = 0
    source.last_error = item_error[:MAX_ERROR_CHARS] if item_error else None
    if validators is not None:
        source.etag, source.last_modified = validators
    if cursor is not None:
        source.cursor = cursor


def item_states(
    session: Session, *, source_id: int, key_hashes: Sequence[str]
) -> dict[str, ItemState]:
    """The recorded state of the given entries of a source, by key hash."""
    if not key_hashes:
        return {}
    rows = session.scalars(
        select(SourceItem).where(
            SourceItem.source_id == source_id, SourceItem.key_hash.in_(list(key_hashes))
        )
    )
    return {r.key_hash: ItemState(r.status, r.attempts, r.url, r.title) for r in rows}


def failed_items(
    session: Session, *, source_id: int, max_attempts: int, limit: int
) -> dict[str, ItemState]:
    """Entries of a source that failed fewer than `max_attempts` times, oldest first."""
    rows = session.scalars(
        select(SourceItem)
        .where(
            SourceItem.source_id == source_id,
            SourceItem.status == "failed",
            SourceItem.attempts < max_attempts,
        )
        .order_by(SourceItem.updated_at, SourceItem.id)
        .limit(limit)
    )
    return {r.key_hash: ItemState(r.status, r.attempts, r.url, r.title) for r in rows}


def record_item(
    session: Session,
    *,
    source_id: int,
    key_hash: str,
    url: str | None,
    title: str | None,
    status: ItemStatus,
    document_id: int | None = None,
    error: str | None = None,
) -> None:
    """Insert or update an entry's record; a failure counts one more attempt."""
    now = utcnow()
    stmt = insert_for(session, SourceItem).values(
        source_id=source_id,
        key_hash=key_hash,
        url=url,
        title=title,
        status=status,
        attempts=1 if status == "failed" else 0,
        last_error=error[:MAX_ERROR_CHARS] if error else None,
        document_id=document_id,
        updated_at=now,
    )
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["source_id", "key_hash"],
            set_={
                "status": status,
                "attempts": SourceItem.attempts + (1 if status == "failed" else 0),
                "last_error": stmt.excluded.last_error,
                "document_id": stmt.excluded.document_id,
                "updated_at": now,
            },
        )
    )


def document_by_canonical_url(session: Session, canonical_url: str) -> int | None:
    """The first document stored under this canonical URL, or None."""
    return session.scalars(
        select(Document.id)
        .where(Document.canonical_url == canonical_url)
        .order_by(Document.id)
        .limit(1)
    ).first()


def near_duplicate_candidates(
    session: Session, band_keys: Sequence[str]
) -> list[tuple[int, list[int]]]:
    """(document id, signature) of documents sharing an LSH band, first stored first."""
    ids = select(DocumentBand.document_id).where(DocumentBand.band.in_(list(band_keys)))
    rows = session.execute(
        select(DocumentFingerprint.document_id, DocumentFingerprint.signature)
        .where(DocumentFingerprint.document_id.in_(ids))
        .order_by(DocumentFingerprint.document_id)
        .limit(MAX_CANDIDATES)
    )
    return [(doc_id, list(sig)) for doc_id, sig in rows]


def add_fingerprint(
    session: Session, *, document_id: int, signature: list[int], band_keys: Sequence[str]
) -> None:
    """Store a document's signature and band keys, once."""
    session.execute(
        insert_for(session, DocumentFingerprint)
        .values(document_id=document_id, signature=signature)
        .on_conflict_do_nothing(index_elements=["document_id"])
    )
    for key in band_keys:
        session.execute(
            insert_for(session, DocumentBand)
            .values(band=key, document_id=document_id)
            .on_conflict_do_nothing(index_elements=["band", "document_id"])
        )


def link_document(
    session: Session, *, document_id: int, source_id: int, canonical_url: str | None
) -> None:
    """Record which source a new document came from and its canonical URL."""
    session.execute(
        update(Document)
        .where(Document.id == document_id)
        .values(source_id=source_id, canonical_url=canonical_url)
    )


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; the store only writes UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)
