"""Processing of one document inside one transaction, and the retry decision around it."""

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

from sqlalchemy.orm import Session, sessionmaker

from schemas.tasks import PROCESS_DOCUMENT
from store.db import after_commit, session_scope
from store.models import Document, Event, Reaction
from store.outages import is_infrastructure_error
from store.repositories import documents, events, people, reactions, summaries
from store.repositories.events import Membership, quote_key
from store.repositories.reactions import NewReaction
from store.repositories.summaries import outlet_of
from taskqueue import TaskSender
from taskqueue.announce import announce_summaries
from workers.aggregate import stories
from workers.aggregate.matching import EventRule, matching_events
from workers.aggregate.targeting import target_events
from workers.extract import ExtractedQuote, extract_reactions
from workers.extract.cues import PRONOUNS
from workers.score.sentiment import score_text

log = logging.getLogger(__name__)

Extractor = Callable[..., list[ExtractedQuote]]
RETRY_BACKOFF_S = (5.0, 30.0, 120.0)
BUSY_RETRY_S = 1.0
BACKFILL_BATCH = 200
SWEEP_BATCH = 500
STORY_CANDIDATES = 500
STORY_TITLE_SAMPLE = 20


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
    batch: int = 1,
) -> Attempt:
    """Process a document, with up to `batch` - 1 other queued ones in the same transaction; on
    error record the attempt in a new transaction and decide on retry; an outage of the
    database or broker is raised instead, unrecorded, for the task to retry.

    A failed batch is redone one document at a time, this one here and each claimed one by a
    new message, so a bad document costs the others of its batch only the wait.
    """
    claimed: list[int] = []
    try:
        with session_scope(factory) as session:
            locked = lock_batch(session, document_id=document_id, size=batch)
            if isinstance(locked, str):
                return Attempt(locked, BUSY_RETRY_S if locked == "busy" else None)
            claimed = [document.id for document in locked[1:]]
            process_documents(session, locked, sender=sender, extract=extract)
            return Attempt("processed")
    except Exception as exc:
        if is_infrastructure_error(exc):
            raise  # an outage is no fault of the document's: the task retries it, uncounted
        if claimed:
            log.warning("a batch of %d documents failed; redoing each alone", len(claimed) + 1)
            for other in claimed:
                sender.send(PROCESS_DOCUMENT, other)
            return run_process_document(
                factory,
                document_id=document_id,
                sender=sender,
                max_attempts=max_attempts,
                extract=extract,
            )
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


def lock_batch(session: Session, *, document_id: int, size: int) -> list[Document] | str:
    """The document and up to `size` - 1 other queued ones, locked for processing; or why there
    is nothing to do: "missing", "skipped" (done already) or "busy" (another worker holds it,
    in its own batch, so this delivery comes back a moment later to check)."""
    document = documents.lock_document(session, document_id, skip_locked=True)
    if document is None:
        return "missing" if documents.get_document(session, document_id) is None else "busy"
    if document.status != "queued":
        return "skipped"
    return [document, *documents.claim_queued(session, besides=document_id, limit=size - 1)]


def document_time(document: Document) -> datetime:
    """When a document's reactions were made: its publication time, else when it arrived."""
    moment = document.published_at or document.created_at
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def rule_of(event: Event) -> EventRule:
    """The matching rule of a stored event."""
    return EventRule(
        event_id=event.id,
        keywords=tuple(event.keywords),
        match=event.match,
        people=tuple(event.people or ()),
        starts_at=event.starts_at,
        ends_at=event.ends_at,
    )


def process_document(
    session: Session,
    *,
    document_id: int,
    sender: TaskSender,
    extract: Extractor = extract_reactions,
) -> str:
    """Process one document on its own, exactly once; what came of it."""
    locked = lock_batch(session, document_id=document_id, size=1)
    if isinstance(locked, str):
        return locked
    process_documents(session, locked, sender=sender, extract=extract)
    return "processed"


def process_documents(
    session: Session,
    batch: Sequence[Document],
    *,
    sender: TaskSender,
    extract: Extractor = extract_reactions,
) -> None:
    """Extract, score and store the reactions of locked queued documents and add them to their
    events, in one transaction in which each event's summary advances once.

    Locks are taken in one global order, each as late as possible: the document rows (never
    waited for), new speakers (in name order), the story assignment lock, the events' summary
    rows (in id order), and last the rows of the people who spoke, whose totals every article
    quoting them updates.
    """
    speakers = _store_reactions(
        session, [(document, extract(document.text, title=document.title)) for document in batch]
    )
    rules = [rule_of(event) for event in events.defined_events(session)]
    matched = {document.id: _matched_events(session, document, rules) for document in batch}
    stored = reactions.reactions_of_document_ids(session, [document.id for document in batch])
    rows = summaries.lock_summaries(
        session, [rule.event_id for found in matched.values() for rule in found]
    )
    additions = [
        events.add_document(
            session,
            event_id=event_id,
            document_id=document.id,
            outlet=outlet_of(document.source, document.url),
            members=members,
        )
        for document in batch
        for event_id, members in sorted(
            _members_by_event(
                document,
                [reaction for reaction in stored if reaction.document_id == document.id],
                matched[document.id],
            ).items()
        )
    ]
    changes = summaries.advance_summaries(session, rows, events.merge_additions(additions))
    people.add_aliases(session, speakers.aliases)
    people.add_roles(session, speakers.roles)
    people.add_reactions(session, [r for r in stored if r.id in speakers.reaction_ids])
    announce_summaries(session, sender=sender, changes=changes)
    for document in batch:
        documents.mark_processed(document)


def _matched_events(
    session: Session, document: Document, rules: Sequence[EventRule]
) -> list[EventRule]:
    """The defined events a document matches, else the automatic story it joins."""
    moment = document_time(document)
    matched = matching_events(title=document.title, text=document.text, moment=moment, rules=rules)
    if matched:
        return matched
    return [EventRule(event_id=_story_for(session, document, moment), keywords=(), match="any")]


def _members_by_event(
    document: Document, stored: Sequence[Reaction], matched: Sequence[EventRule]
) -> dict[int, list[Membership]]:
    """Every stored reaction of the document (a collected post's own included), as a member of
    the one matched event it reacts to; every matched event has an entry, empty or not."""
    by_event: dict[int, list[Membership]] = {rule.event_id: [] for rule in matched}
    spans = [(reaction.span_start, reaction.span_end) for reaction in stored]
    for reaction, target in zip(stored, target_events(document.text, spans, matched), strict=True):
        if target is not None:
            by_event[target].append(membership(reaction, document))
    return by_event


def membership(reaction: Reaction, document: Document) -> Membership:
    """How an event sees a stored reaction of this document."""
    return Membership(
        reaction_id=reaction.id,
        person_id=reaction.person_id,
        quote_key=quote_key(reaction.quote),
        compound=reaction.compound,
        label=reaction.label,
        kind=reaction.kind,
        role=reaction.role,
        outlet=outlet_of(document.source, document.url),
        url=document.url,
        reacted_at=document_time(document),
    )


def _story_for(session: Session, document: Document, moment: datetime) -> int:
    """The automatic story this unmatched document joins, created when none is close enough.

    Stories are assigned one document at a time (a transaction-scoped lock on PostgreSQL), so
    two workers never open two stories for the same news.
    """
    documents.lock_story_assignment(session)
    doc = stories.story_doc(title=document.title, text=document.text, time=moment)
    candidates = {
        event.id: event
        for event in events.recent_stories(
            session, since=moment - stories.DEFAULT_WINDOW, limit=STORY_CANDIDATES
        )
        if event.centroid
    }
    centroids = [stories.from_json(event.centroid or {}) for event in candidates.values()]
    chosen = stories.assign_story(
        doc, centroids, threshold=stories.DEFAULT_THRESHOLD, window=stories.DEFAULT_WINDOW
    )
    if chosen is None:
        title = stories.clean_title(document.title or "") or "Untitled story"
        event = events.create_story(session, title=title, centroid={})
        event.centroid = stories.to_json(stories.new_centroid(event.id, doc))
        return event.id
    event = candidates[chosen]
    centroid = stories.add_to_centroid(stories.from_json(event.centroid or {}), doc)
    event.centroid = stories.to_json(centroid)
    if not event.title_fixed:
        titles = documents.titles_in_event(session, event_id=event.id, limit=STORY_TITLE_SAMPLE)
        event.title = stories.story_title([*titles, document.title or ""], centroid)[:300]
    return event.id


@dataclass(frozen=True, slots=True)
class _Speakers:
    """What an article adds to its speakers: aliases, roles, and the ids of the reactions it
    inserted, which go into their totals."""

    aliases: list[tuple[int, str]]
    roles: list[tuple[int, str]]
    reaction_ids: set[int]


def _store_reactions(
    session: Session, extracted: Sequence[tuple[Document, Sequence[ExtractedQuote]]]
) -> _Speakers:
    """Score attributed quotes, link their speakers to people and insert the reactions.

    Speakers are created or found at once for all the documents, in name order; their rows are
    updated only at the end of the transaction (see `process_documents`), so the most quoted
    people are not locked early.
    """
    attributed = [
        (document, quote)
        for document, quotes in extracted
        for quote in quotes
        if quote.speaker_name
    ]
    person_ids = people.get_or_create_people(
        session,
        [
            (_identity(quote.speaker_name or "", document.id), quote.speaker_type or "person")
            for document, quote in attributed
        ],
    )
    new: dict[int, list[NewReaction]] = {document.id: [] for document, _ in extracted}
    aliases: list[tuple[int, str]] = []
    roles: list[tuple[int, str]] = []
    for document, quote in attributed:
        person_id = person_ids[_identity(quote.speaker_name or "", document.id)]
        mention = document.text[quote.speaker[0] : quote.speaker[1]] if quote.speaker else None
        if mention and mention != quote.speaker_name and _names_someone(mention):
            aliases.append((person_id, mention))
        if quote.role:
            roles.append((person_id, quote.role))
        new[document.id].append(
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
                score=score_text(quote.text),
                speaker_text=mention,
                speaker_name=quote.speaker_name,
            )
        )
    inserted: set[int] = set()
    for document_id, rows in new.items():
        inserted.update(
            reactions.insert_reactions(session, document_id=document_id, reactions=rows)
        )
    return _Speakers(aliases=aliases, roles=roles, reaction_ids=inserted)


def _names_someone(mention: str) -> bool:
    """Whether the words that named a speaker can be another name of theirs ("Lin" for "Junyang
    Lin"): capitalised, but not a sentence-initial pronoun ("He said" names no one)."""
    return mention[:1].isupper() and mention.lower() not in PRONOUNS


def _identity(speaker_name: str, document_id: int) -> str:
    """The person a speaker name stands for: a proper name is one person across documents; a
    description the article never resolved ("the senator") stays within its document."""
    if people.is_proper_name(speaker_name):
        return speaker_name
    return f"{speaker_name} (document {document_id})"


def backfill_event(
    session: Session, *, event_id: int, after_id: int, sender: TaskSender
) -> int | None:
    """Bring one batch of processed documents into a new or changed event; next cursor or None.

    A document that now matches the event is re-targeted among all the defined events it
    matches (it leaves its automatic story, if any); every event touched is recounted once.
    """
    event = events.get_event(session, event_id)
    if event is None or event.kind != "defined":
        return None
    ids = documents.processed_ids_after(session, after_id=after_id, limit=BACKFILL_BATCH)
    if not ids:
        return None
    rule = rule_of(event)
    plan: list[tuple[Document, list[int]]] = []
    for doc in (documents.get_document(session, i) for i in ids):
        if doc is None or not matching_events(
            title=doc.title, text=doc.text, moment=document_time(doc), rules=[rule]
        ):
            continue
        current = events.events_of_document(session, doc.id)
        if event_id not in current:
            plan.append((doc, current))
    if plan:
        involved = {event_id}.union(*(current for _, current in plan))
        summaries.lock_summaries(session, sorted(involved))
        defined = [rule_of(e) for e in events.defined_events(session)]
        for doc, current in plan:
            _retarget(session, doc, current=current, rules=defined)
        for touched in sorted(involved):
            events.recount_event(session, touched)
        events.drop_empty_stories(session, sorted(involved))
        changes = summaries.rebuild_summaries(session, sorted(involved))
        announce_summaries(session, sender=sender, changes=changes)
    return ids[-1]


def _retarget(
    session: Session, doc: Document, *, current: list[int], rules: list[EventRule]
) -> None:
    """Move a document's reactions to the defined events it now matches (uncounted; recount)."""
    matched = matching_events(
        title=doc.title, text=doc.text, moment=document_time(doc), rules=rules
    )
    for event_id in current:
        events.detach_document(session, event_id=event_id, document_id=doc.id)
    stored = reactions.reactions_of_document_ids(session, [doc.id])
    for event_id, members in _members_by_event(doc, stored, matched).items():
        events.attach_document(
            session, event_id=event_id, document_id=doc.id, outlet=outlet_of(doc.source, doc.url)
        )
        events.add_members(session, event_id=event_id, members=members)


def sweep_queued(session: Session, *, sender: TaskSender, older_than: timedelta) -> int:
    """Re-send documents still queued after `older_than`, once the claim has committed."""
    ids = documents.claim_stale_queued(session, older_than=older_than, limit=SWEEP_BATCH)
    for document_id in ids:
        after_commit(session, partial(sender.send, PROCESS_DOCUMENT, document_id))
    return len(ids)
