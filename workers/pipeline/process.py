"""Processing of one document inside one transaction, and the retry decision around it."""

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from sqlalchemy.orm import Session, sessionmaker

from schemas.tasks import PROCESS_DOCUMENT
from store.db import after_commit, session_scope
from store.models import Document, Reaction
from store.repositories import documents, events, people, reactions, summaries
from store.repositories.reactions import NewReaction
from taskqueue import TaskSender
from taskqueue.announce import announce_summaries
from workers.aggregate.matching import EventRule, matching_events
from workers.extract import ExtractedQuote, extract_reactions
from workers.score.sentiment import score_text

log = logging.getLogger(__name__)

Extractor = Callable[..., list[ExtractedQuote]]
RETRY_BACKOFF_S = (5.0, 30.0, 120.0)
BACKFILL_BATCH = 200
SWEEP_BATCH = 500


@dataclass(frozen=True, slots=True)
class Attempt:
    """What one processing attempt came to; `retry_in` is set when it should run again."""

    outcome: str
    retry_in: float | None = None


def run_process_document(
    factory: sessionmaker[Session],
    *,
    document_id: int,
    sender: TaskSender,
    max_attempts: int,
    extract: Extractor = extract_reactions,
) -> Attempt:
    """Process a document; on error record the attempt in a new transaction and decide on retry."""
    try:
        with session_scope(factory) as session:
            outcome = process_document(
                session, document_id=document_id, sender=sender, extract=extract
            )
            return Attempt(outcome)
    except Exception as exc:
        log.exception("processing document %s failed", document_id)
        with session_scope(factory) as session:
            final = documents.record_failure(
                session,
                document_id=document_id,
                error=f"{type(exc).__name__}: {exc}",
                max_attempts=max_attempts,
            )
            attempts = getattr(documents.get_document(session, document_id), "attempts", 0)
        if final:
            return Attempt("failed")
        return Attempt("retry", RETRY_BACKOFF_S[min(attempts, len(RETRY_BACKOFF_S)) - 1])


def process_document(
    session: Session,
    *,
    document_id: int,
    sender: TaskSender,
    extract: Extractor = extract_reactions,
) -> str:
    """Extract, score and store a document's reactions and update its events, exactly once."""
    document = documents.lock_document(session, document_id)
    if document is None:
        return "missing"
    if document.status != "queued":
        return "skipped"
    rules = [
        EventRule(event_id=e.id, keywords=tuple(e.keywords), match=e.match)
        for e in events.all_events(session)
    ]
    event_ids = matching_events(title=document.title, text=document.text, rules=rules)
    summaries.lock_summaries(session, event_ids)
    stored = _store_reactions(session, document, extract(document.text, title=document.title))
    for event_id in event_ids:
        events.attach_document(session, event_id=event_id, document_id=document.id)
        events.attach_reactions(session, event_id=event_id, reactions=stored)
    changes = summaries.rebuild_summaries(session, event_ids)
    announce_summaries(session, sender=sender, changes=changes)
    documents.mark_processed(document)
    return "processed"


def _store_reactions(
    session: Session, document: Document, quotes: Sequence[ExtractedQuote]
) -> list[Reaction]:
    """Score attributed quotes, link their speakers to people and insert them."""
    new: list[NewReaction] = []
    for quote in quotes:
        if not quote.speaker_name:
            continue
        person_id = people.get_or_create_person(
            session, name=quote.speaker_name, kind=quote.speaker_type or "person"
        )
        mention = document.text[quote.speaker[0] : quote.speaker[1]] if quote.speaker else None
        if mention and mention[:1].isupper() and mention != quote.speaker_name:
            people.add_alias(session, person_id=person_id, alias=mention)
        if quote.role:
            people.add_role(session, person_id=person_id, role=quote.role)
        score = score_text(quote.text)
        new.append(
            NewReaction(
                person_id=person_id,
                quote=quote.text,
                kind=quote.kind,
                cue=quote.cue_lemma,
                role=quote.role,
                platform=quote.platform,
                confidence=quote.confidence,
                span=quote.quote,
                speaker_span=quote.speaker,
                compound=score.compound,
                pos=score.pos,
                neu=score.neu,
                neg=score.neg,
                label=score.label,
            )
        )
    stored = reactions.insert_reactions(session, document_id=document.id, reactions=new)
    by_person: dict[int, list[tuple[float, str]]] = defaultdict(list)
    for reaction in stored:
        by_person[reaction.person_id].append((reaction.compound, reaction.label))
    for person_id in sorted(by_person):
        people.add_sentiment(session, person_id=person_id, compounds=by_person[person_id])
    return stored


def backfill_event(
    session: Session, *, event_id: int, after_id: int, sender: TaskSender
) -> int | None:
    """Attach one batch of already processed documents to a new event; the next cursor or None."""
    event = events.get_event(session, event_id)
    if event is None:
        return None
    rule = EventRule(event_id=event.id, keywords=tuple(event.keywords), match=event.match)
    ids = documents.processed_ids_after(session, after_id=after_id, limit=BACKFILL_BATCH)
    if not ids:
        return None
    summaries.lock_summaries(session, [event_id])
    matched = [
        doc.id
        for doc in (documents.get_document(session, i) for i in ids)
        if doc is not None and matching_events(title=doc.title, text=doc.text, rules=[rule])
    ]
    fresh = [
        d for d in matched if events.attach_document(session, event_id=event_id, document_id=d)
    ]
    if fresh:
        stored = reactions.reactions_of_document_ids(session, fresh)
        events.attach_reactions(session, event_id=event_id, reactions=stored)
        changes = summaries.rebuild_summaries(session, [event_id])
        announce_summaries(session, sender=sender, changes=changes)
    return ids[-1]


def sweep_queued(session: Session, *, sender: TaskSender, older_than: timedelta) -> int:
    """Re-send documents still queued after `older_than`, once the claim has committed."""
    ids = documents.claim_stale_queued(session, older_than=older_than, limit=SWEEP_BATCH)
    for document_id in ids:
        after_commit(session, partial(sender.send, PROCESS_DOCUMENT, document_id))
    return len(ids)
