"""Processing of one document inside one transaction, and the retry decision around it."""

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Literal

from sqlalchemy.orm import Session, sessionmaker

from domain.memberships import Arrival, Membership, quote_key
from domain.moments import as_utc
from domain.names import names_someone
from domain.outlets import outlet_of
from domain.relevance import Quoted, Relevance, judge_article
from schemas.tasks import PROCESS_DOCUMENT
from store.db import after_commit, session_scope
from store.models import Document, Event, Reaction
from store.outages import is_infrastructure_error
from store.repositories import documents, events, people, reactions, summaries
from store.repositories.reactions import NewReaction
from taskqueue import TaskSender
from taskqueue.announce import announce_summaries
from usecases import corrections
from workers.aggregate import stories
from workers.aggregate.matching import EventRule, matching_events
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


Refusal = Literal["missing", "skipped", "busy"]
"""Why a delivery has nothing to process: the document is gone, done already ("skipped"), or
held by another worker in its own batch ("busy": this delivery comes back to check)."""
Outcome = Literal["processed", "retry", "failed"] | Refusal
"""What one processing attempt came to (the `outcome` label of the attempts metric)."""


@dataclass(frozen=True, slots=True)
class Attempt:
    """What one processing attempt came to; `retry_in` is set when it should run again."""

    outcome: Outcome
    retry_in: float | None = None
    processed: tuple[int, ...] = ()  # the documents this attempt processed (a batch: several)
    lags: tuple[float, ...] = ()  # seconds from arrival to processing of each of them


@dataclass(frozen=True, slots=True)
class Batch:
    """What `lock_batch` came to: the documents locked for processing, the delivered one
    first, or none and the `refusal` that says why."""

    documents: list[Document]
    refusal: Refusal | None = None


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
            if locked.refusal is not None:
                retry_in = BUSY_RETRY_S if locked.refusal == "busy" else None
                return Attempt(locked.refusal, retry_in)
            claimed = [document.id for document in locked.documents[1:]]
            process_documents(session, locked.documents, sender=sender, extract=extract)
            return Attempt(
                "processed",
                processed=tuple(document.id for document in locked.documents),
                lags=tuple(_lag(document) for document in locked.documents),
            )
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


def _lag(document: Document) -> float:
    """Seconds from a processed document's arrival to its processing."""
    processed = as_utc(document.processed_at or document.created_at)
    return max((processed - as_utc(document.created_at)).total_seconds(), 0.0)


def lock_batch(session: Session, *, document_id: int, size: int) -> Batch:
    """The document and up to `size` - 1 other queued ones, locked for processing; or why there
    is nothing to do.

    The status is read first without a lock: most deliveries under a backlog are of documents
    a batch has processed already, and a transaction that locks nothing writes nothing, so
    skipping them costs no WAL flush at commit.
    """
    status = documents.status_of(session, document_id)
    if status is None:
        return Batch([], "missing")
    if status != "queued":
        return Batch([], "skipped")
    document = documents.lock_document(session, document_id, skip_locked=True)
    if document is None:
        return Batch([], "busy")  # held by another worker (or deleted: the next look says so)
    if document.status != "queued":
        return Batch([], "skipped")
    return Batch([document, *documents.claim_queued(session, besides=document_id, limit=size - 1)])


def document_time(document: Document) -> datetime:
    """When a document's reactions were made: its publication time, else when it arrived."""
    moment = document.published_at or document.created_at
    return as_utc(moment)


def rule_of(event: Event) -> EventRule:
    """The matching rule of a stored event."""
    return EventRule(
        event_id=event.id,
        keywords=tuple(event.keywords),
        match=event.match,
        people=tuple(event.people or ()),
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        title=event.title,
        description=event.description,
    )


def process_document(
    session: Session,
    *,
    document_id: int,
    sender: TaskSender,
    extract: Extractor = extract_reactions,
) -> Outcome:
    """Process one document on its own, exactly once; what came of it."""
    locked = lock_batch(session, document_id=document_id, size=1)
    if locked.refusal is not None:
        return locked.refusal
    process_documents(session, locked.documents, sender=sender, extract=extract)
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

    Each defined event whose keywords a document matches takes the reactions about it (judged for
    that event alone); a document no defined event takes joins an automatic story whole.
    Locks are taken in one global order, each as late as possible: the document rows (never
    waited for), new speakers (in name order), the story assignment lock, the events' summary
    rows (in id order), and last the rows of the people who spoke, whose totals every article
    quoting them updates.
    """
    speakers = _store_reactions(
        session, [(document, extract(document.text, title=document.title)) for document in batch]
    )
    rules = [rule_of(event) for event in events.defined_events(session)]
    stored = reactions.reactions_of_document_ids(session, [document.id for document in batch])
    by_document = _by_document(stored)
    taken = {
        document.id: events_taking(document, by_document.get(document.id, []), rules=rules)
        for document in batch
    }
    unmatched = [document for document in batch if not taken[document.id]]
    for document, story_id in zip(unmatched, _stories_for(session, unmatched), strict=True):
        taken[document.id] = {story_id: members_of(document, by_document.get(document.id, []))}
    rows = summaries.lock_summaries(
        session, [event_id for found in taken.values() for event_id in found]
    )
    arrivals: dict[int, list[Arrival]] = {}
    for document in batch:
        outlet = outlet_of(document.source, document.url)
        for event_id, members in taken[document.id].items():
            arrivals.setdefault(event_id, []).append(Arrival(document.id, outlet, members))
    additions = [
        events.add_documents(session, event_id=event_id, arrivals=arriving)
        for event_id, arriving in sorted(arrivals.items())
    ]
    changes = summaries.advance_summaries(session, rows, additions=additions)
    people.add_aliases(session, speakers.aliases)
    people.add_roles(session, speakers.roles)
    people.add_reactions(session, [r for r in stored if r.id in speakers.reaction_ids])
    announce_summaries(session, sender=sender, changes=changes)
    for document in batch:
        documents.mark_processed(document)


def events_taking(
    document: Document, stored: Sequence[Reaction], *, rules: Sequence[EventRule]
) -> dict[int, list[Membership]]:
    """The defined events that take a document, each with the document's reactions about it.

    An event takes a document its keywords (people, window) select when a reaction is about it,
    when the title or lead names it, or when there is no reaction to judge; whether a reaction
    is about an event depends on that reaction and that event alone (`domain.relevance`).
    """
    matched = matching_events(
        title=document.title, text=document.text, moment=document_time(document), rules=rules
    )
    if not matched:
        return {}
    judged = judge_article(
        text=document.text,
        title=document.title,
        reactions=[_quoted(reaction) for reaction in stored],
        queries=[rule.query for rule in matched],
    )
    return {
        rule.event_id: members_of(document, stored, relevances=relevances)
        for rule, relevances in zip(matched, judged, strict=True)
        if relevances is not None
    }


def _by_document(stored: Sequence[Reaction]) -> dict[int, list[Reaction]]:
    """Stored reactions grouped by their document, each group in the given order."""
    grouped: dict[int, list[Reaction]] = {}
    for reaction in stored:
        grouped.setdefault(reaction.document_id, []).append(reaction)
    return grouped


def _quoted(reaction: Reaction) -> Quoted:
    """Where a stored reaction's quote and attribution are, and who said it."""
    start, end = reaction.span_start, reaction.span_end
    if reaction.speaker_start is not None and reaction.speaker_end is not None:
        start, end = min(start, reaction.speaker_start), max(end, reaction.speaker_end)
    return Quoted(
        span=(start, end), speaker=reaction.speaker_name, quoted=reaction.kind != "indirect"
    )


def members_of(
    document: Document,
    stored: Sequence[Reaction],
    *,
    relevances: Sequence[Relevance] | None = None,
) -> list[Membership]:
    """The memberships of a document's reactions: those judged relevant, or all of them (for an
    automatic story, which holds its documents whole)."""
    if relevances is None:
        return [membership(reaction, document) for reaction in stored]
    return [
        membership(reaction, document, relevance=relevance)
        for reaction, relevance in zip(stored, relevances, strict=True)
        if relevance.relevant
    ]


def membership(
    reaction: Reaction, document: Document, *, relevance: Relevance | None = None
) -> Membership:
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
        relevance=1.0 if relevance is None else relevance.score,
        evidence=() if relevance is None else relevance.evidence,
    )


def _stories_for(session: Session, unmatched: Sequence[Document]) -> list[int]:
    """The automatic story each unmatched document joins, in order, created when none is close
    enough.

    Stories are assigned one transaction at a time (a transaction-scoped lock on PostgreSQL),
    so two workers never open two stories for the same news. The lock is taken once the
    documents' word vectors are made, after every document of the batch is judged, and the
    candidate stories are read once for the batch.
    """
    if not unmatched:
        return []
    docs = [
        stories.story_doc(title=document.title, text=document.text, time=document_time(document))
        for document in unmatched
    ]
    documents.lock_story_assignment(session)
    since = min(doc.time for doc in docs) - stories.DEFAULT_WINDOW
    candidates = {
        event.id: event
        for event in events.recent_stories(session, since=since, limit=STORY_CANDIDATES)
        if event.centroid
    }
    centroids = {
        event_id: stories.from_json(event.centroid or {}) for event_id, event in candidates.items()
    }
    return [
        _story_for(session, document, doc=doc, candidates=candidates, centroids=centroids)
        for document, doc in zip(unmatched, docs, strict=True)
    ]


def _story_for(
    session: Session,
    document: Document,
    *,
    doc: stories.StoryDoc,
    candidates: dict[int, Event],
    centroids: dict[int, stories.StoryCentroid],
) -> int:
    """The automatic story one document (with its word vector) joins; the caller holds the
    story assignment lock. `candidates` and their `centroids` are updated with the result."""
    chosen = stories.assign_story(
        doc,
        list(centroids.values()),
        threshold=stories.DEFAULT_THRESHOLD,
        window=stories.DEFAULT_WINDOW,
    )
    if chosen is None:
        title = stories.clean_title(document.title or "") or "Untitled story"
        event = events.create_story(session, title=title, centroid={})
        centroid = stories.new_centroid(event.id, doc)
        candidates[event.id] = event
    else:
        event = candidates[chosen]
        centroid = stories.add_to_centroid(centroids[chosen], doc)
        if not event.title_fixed:
            titles = documents.titles_in_event(session, event_id=event.id, limit=STORY_TITLE_SAMPLE)
            event.title = stories.story_title([*titles, document.title or ""], centroid)[:300]
    event.centroid = stories.to_json(centroid)
    centroids[event.id] = centroid
    return event.id


@dataclass(frozen=True, slots=True)
class _Speakers:
    """What an article adds to its speakers: aliases, roles, and the ids of the reactions it
    inserted, which go into their totals."""

    aliases: list[tuple[int, str, datetime]]
    roles: list[tuple[int, str, datetime]]
    reaction_ids: set[int]


def _store_reactions(
    session: Session, extracted: Sequence[tuple[Document, Sequence[ExtractedQuote]]]
) -> _Speakers:
    """Score attributed quotes, link the speakers that name someone to people and insert the
    reactions (a speaker that is only a description keeps it on the reaction, with no person).

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
            (quote.speaker_name or "", quote.speaker_type or "person")
            for _, quote in attributed
            if _is_person(quote)
        ],
    )
    new: dict[int, list[NewReaction]] = {document.id: [] for document, _ in extracted}
    aliases: list[tuple[int, str, datetime]] = []
    roles: list[tuple[int, str, datetime]] = []
    for document, quote in attributed:
        person_id = person_ids.get(quote.speaker_name or "") if _is_person(quote) else None
        mention = document.text[quote.speaker[0] : quote.speaker[1]] if quote.speaker else None
        said = document_time(document)
        if person_id is not None:
            if mention and mention != quote.speaker_name and _names_someone(mention):
                aliases.append((person_id, mention, said))
            if quote.role:
                roles.append((person_id, quote.role, said))
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
                said_at=said,
            )
        )
    inserted = set(reactions.insert_documents_reactions(session, new))
    return _Speakers(aliases=aliases, roles=roles, reaction_ids=inserted)


def _names_someone(mention: str) -> bool:
    """Whether the words that named a speaker can be another name of theirs ("Lin" for "Junyang
    Lin"): capitalised, but not a sentence-initial pronoun ("He said" names no one)."""
    return mention[:1].isupper() and mention.lower() not in PRONOUNS


def _is_person(quote: ExtractedQuote) -> bool:
    """Whether a quote's speaker is someone (a person or an organisation, one across documents)
    rather than a description the article never resolved ("the senator", "two people briefed",
    "a spokesperson"), which is kept on the reaction and creates no person."""
    return quote.speaker_type != "description" and names_someone(quote.speaker_name or "")


def backfill_event(
    session: Session, *, event_id: int, after_id: int, sender: TaskSender
) -> int | None:
    """Re-judge one batch of processed documents for a new, changed or deleted event; the next
    cursor, or None when done.

    Only this event's memberships change: a document it now takes leaves its automatic story, a
    document it no longer takes and no other defined event holds joins one. A deleted event
    leaves documents that no event holds any more; they join stories (`adopt_orphans`).
    """
    event = events.get_event(session, event_id)
    if event is None:
        return adopt_orphans(session, after_id=after_id, sender=sender)
    if event.kind != "defined":
        return None
    ids = documents.processed_ids_after(session, after_id=after_id, limit=BACKFILL_BATCH)
    if not ids:
        return None
    rule = rule_of(event)
    stored = _by_document(reactions.reactions_of_document_ids(session, ids))
    held = events.memberships_in_documents(session, event_id=event_id, document_ids=ids)
    stories_of = events.stories_of_documents(session, ids)
    plan: list[tuple[Document, list[Membership] | None]] = []
    for document in documents.get_documents(session, ids):
        members = events_taking(document, stored.get(document.id, []), rules=[rule]).get(event_id)
        now = None if members is None else {m.reaction_id: m.relevance for m in members}
        if now != held.get(document.id) or (now is not None and stories_of.get(document.id)):
            plan.append((document, members))
    if plan:
        touched = _rejudge(session, event_id=event_id, plan=plan, held=held, stories_of=stories_of)
        corrections.refresh_events(session, touched, sender=sender)
    return ids[-1]


def _rejudge(
    session: Session,
    *,
    event_id: int,
    plan: Sequence[tuple[Document, list[Membership] | None]],
    held: dict[int, dict[int, float]],
    stories_of: dict[int, list[int]],
) -> set[int]:
    """Apply an event's new judgement of documents (uncounted); the events to recount."""
    touched = {event_id}.union(*(stories_of.get(document.id, ()) for document, _ in plan))
    summaries.lock_summaries(session, sorted(touched))
    orphans: list[Document] = []
    for document, members in plan:
        events.detach_document(session, event_id=event_id, document_id=document.id)
        if members is None:
            if document.id in held and not events.events_of_document(session, document.id):
                orphans.append(document)
            continue
        _attach(session, event_id=event_id, document=document, members=members)
        for story_id in stories_of.get(document.id, ()):
            events.detach_document(session, event_id=story_id, document_id=document.id)
    return touched | _adopt(session, orphans)


def adopt_orphans(session: Session, *, after_id: int, sender: TaskSender) -> int | None:
    """Put one batch of processed documents that no event holds into automatic stories; the
    next cursor, or None when done (stories stay a partition of what defined events leave)."""
    ids = documents.processed_ids_after(session, after_id=after_id, limit=BACKFILL_BATCH)
    if not ids:
        return None
    orphans = documents.get_documents(session, events.documents_without_event(session, ids))
    corrections.refresh_events(session, _adopt(session, orphans), sender=sender)
    return ids[-1]


def _adopt(session: Session, orphans: Sequence[Document]) -> set[int]:
    """Give each document (with all its reactions) to the story it joins; the stories touched."""
    stored = _by_document(
        reactions.reactions_of_document_ids(session, [document.id for document in orphans])
    )
    touched: set[int] = set()
    for document, story_id in zip(orphans, _stories_for(session, orphans), strict=True):
        summaries.lock_summaries(session, [story_id])
        members = members_of(document, stored.get(document.id, []))
        _attach(session, event_id=story_id, document=document, members=members)
        touched.add(story_id)
    return touched


def _attach(
    session: Session, *, event_id: int, document: Document, members: Sequence[Membership]
) -> None:
    """Add a document and its member reactions to an event (uncounted; the caller recounts)."""
    outlet = outlet_of(document.source, document.url)
    events.attach_document(session, event_id=event_id, document_id=document.id, outlet=outlet)
    events.add_members(session, event_id=event_id, members=members)


def sweep_queued(
    session: Session, *, sender: TaskSender, older_than: timedelta, never_attempted: bool = False
) -> int:
    """Re-send documents still queued after `older_than` (only those never tried, when asked),
    once the claim has committed."""
    ids = documents.claim_stale_queued(
        session, older_than=older_than, limit=SWEEP_BATCH, never_attempted=never_attempted
    )
    for document_id in ids:
        after_commit(session, partial(sender.send, PROCESS_DOCUMENT, document_id))
    return len(ids)
