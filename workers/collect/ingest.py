"""Writing a harvest: dedupe by canonical URL, content hash and near-duplicates, then store."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from schemas.sources import ItemStatus
from store.models import Document
from store.repositories import people, reactions, sources
from store.repositories.reactions import NewReaction
from taskqueue import TaskSender
from usecases.documents import store_document
from workers.collect import neardup
from workers.collect.collectors import Author, Item
from workers.score.sentiment import score_text


@dataclass(frozen=True, slots=True)
class Prepared:
    """An item with its MinHash signature and bands, computed before the transaction opens."""

    item: Item
    signature: list[int]
    band_keys: list[str]


def prepare(item: Item) -> Prepared:
    """Fingerprint an article's text; posts, short texts and failed items get none."""
    if item.document is None or item.author is not None:
        return Prepared(item, [], [])
    if len(item.document.text.split()) < neardup.MIN_WORDS:
        return Prepared(item, [], [])
    sig = neardup.signature(item.document.text)
    return Prepared(item, sig, neardup.bands(sig))


@dataclass(frozen=True, slots=True)
class Stored:
    """What writing a harvest came to."""

    collected: int
    failed: int
    first_error: str | None


def store_items(
    session: Session, *, source_id: int, items: Sequence[Prepared], sender: TaskSender
) -> Stored:
    """Store each item as a new document, link it to the copy it duplicates, or record it failed."""
    collected = failed = 0
    first_error = None
    for prepared in items:
        item = prepared.item
        if item.document is None:
            failed += 1
            first_error = first_error or f"{item.url or 'entry'}: {item.error}"
            sources.record_item(
                session,
                source_id=source_id,
                key_hash=item.key_hash,
                url=item.url,
                title=item.title,
                status="failed",
                error=item.error,
            )
            continue
        document_id = _existing_copy(session, prepared)
        status: ItemStatus = "duplicate"
        if document_id is None:
            document, created = store_document(session, item.document, sender=sender)
            document_id = document.id
            if created:
                status = "done"
                collected += 1
                _link_new_document(session, prepared, document_id=document_id, source_id=source_id)
                if item.author is not None:
                    _store_post_reaction(session, document=document, author=item.author)
        sources.record_item(
            session,
            source_id=source_id,
            key_hash=item.key_hash,
            url=item.url,
            title=item.title,
            status=status,
            document_id=document_id,
        )
    return Stored(collected=collected, failed=failed, first_error=first_error)


def _existing_copy(session: Session, prepared: Prepared) -> int | None:
    """The first stored document with the same canonical URL or a near-identical text."""
    canonical = prepared.item.canonical_url
    if canonical:
        found = sources.document_by_canonical_url(session, canonical)
        if found is not None:
            return found
    for document_id, signature in sources.near_duplicate_candidates(session, prepared.band_keys):
        if neardup.is_near_duplicate(prepared.signature, signature):
            return document_id
    return None


def _link_new_document(
    session: Session, prepared: Prepared, *, document_id: int, source_id: int
) -> None:
    """Record a new document's source, canonical URL and fingerprint."""
    sources.link_document(
        session,
        document_id=document_id,
        source_id=source_id,
        canonical_url=prepared.item.canonical_url,
    )
    if prepared.signature:
        sources.add_fingerprint(
            session,
            document_id=document_id,
            signature=prepared.signature,
            band_keys=prepared.band_keys,
        )


def _store_post_reaction(session: Session, *, document: Document, author: Author) -> None:
    """A social post is its author's reaction of kind `post`, spanning the whole text."""
    text = document.text
    person_id = people.get_or_create_person(session, name=author.name, kind="person")
    people.add_alias(session, person_id=person_id, alias=author.handle)
    reactions.insert_reactions(
        session,
        document_id=document.id,
        reactions=[
            NewReaction(
                person_id=person_id,
                quote=text,
                kind="post",
                cue=None,
                role=None,
                platform=author.platform,
                confidence=1.0,
                span=(0, len(text)),
                speaker_span=None,
                score=score_text(text),
                speaker_text=author.handle,
                speaker_name=author.name,
                said_at=document.published_at or document.created_at,
            )
        ],
    )
    people.recount_people(session, [person_id])
