"""Page data: reads through the API's repositories in the request's session, then view models."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from domain.outlets import outlet_of
from domain.tallies import mean_of_units
from schemas.events import EventRead
from schemas.people import PersonKind
from schemas.sources import SourceRead
from schemas.summaries import EventSummary
from service.dashboard.browse import (
    DocumentPage,
    PersonIndexRow,
    ReactionList,
    document_page,
    person_index_row,
    reaction_list,
)
from service.dashboard.listing import (
    ListQuery,
    Voice,
    known_total,
    organisation_voices,
    outlet_voices,
    person_voices,
)
from service.dashboard.views import (
    DocumentBrief,
    EventPage,
    EventRow,
    PersonPage,
    VoiceTable,
    event_page,
    event_rows,
    person_page,
    safe_href,
    select_events,
    voice_table,
)
from store.repositories import documents, events, people, reactions, sources, summaries
from usecases.people import read_person

MAX_EVENTS_SCANNED = 5000
SCAN_PAGE = 500
EVENTS_SHOWN = 100
QUOTES_PER_PAGE = 50
VOICES_SHOWN = 10
MAX_OUTLETS = 200
PEOPLE_PER_PAGE = 50
MAX_SOURCES = 500


def load_index(session: Session, *, query: str | None) -> tuple[list[EventRow], int]:
    """The events list (newest activity first, filtered by `query`) and how many were scanned."""
    scanned: list[EventRead] = []
    after: int | None = None
    while len(scanned) < MAX_EVENTS_SCANNED:
        page = events.list_events(session, after_id=after, limit=SCAN_PAGE)
        scanned.extend(EventRead.model_validate(event) for event in page)
        if len(page) < SCAN_PAGE:
            break
        after = page[-1].id
    chosen = select_events(scanned, query=query, limit=EVENTS_SHOWN)
    stored: dict[int, dict[str, Any]] = {}
    for event in chosen:
        data = summaries.read_summary(session, event.id)
        if data is not None:
            stored[event.id] = data
    return event_rows(chosen, stored), len(scanned)


def briefs(session: Session, document_ids: Sequence[int]) -> dict[int, DocumentBrief]:
    """Title, link, outlet and publication date of documents, in one column-only query."""
    return {
        d.id: DocumentBrief(
            id=d.id,
            title=d.title,
            url=d.url,
            outlet=outlet_of(d.source, d.url),
            published=d.published_at or d.created_at,
        )
        for d in documents.document_headings(session, sorted(set(document_ids)))
    }


def _summary(session: Session, event_id: int, query: ListQuery) -> EventSummary | None:
    """The stored summary, or the one of the date range."""
    if query.ranged:
        return summaries.summary_in_range(
            session, event_id=event_id, since=query.start, until=query.end
        )
    return summaries.read_event_summary(session, event_id)


@dataclass(frozen=True, slots=True)
class _EventParts:
    """What the event page and its list both read: the event, its summary (stored or for the
    range), the listed people's latest roles and kinds, and the outlets' counts."""

    event: EventRead
    summary: EventSummary
    roles: dict[int, str]
    kinds: dict[int, PersonKind]
    outlets: list[Voice]


def _parts(session: Session, event_id: int, query: ListQuery) -> _EventParts | None:
    """Read the event's shared parts once, or None if unknown."""
    event = events.get_event(session, event_id)
    summary = _summary(session, event_id, query) if event is not None else None
    if event is None or summary is None:
        return None
    counts = reactions.event_voices(
        session,
        event_id=event_id,
        dimension="outlet",
        since=query.start,
        until=query.end,
        limit=MAX_OUTLETS,
    )
    speaking = people.kinds_and_latest_roles(session, [t.person.id for t in summary.by_person])
    return _EventParts(
        event=EventRead.model_validate(event),
        summary=summary,
        roles={i: s.role for i, s in speaking.items() if s.role is not None},
        kinds={i: s.kind for i, s in speaking.items()},
        outlets=outlet_voices(counts, total=summary.reactions),
    )


def _voices(parts: _EventParts) -> list[VoiceTable]:
    """Share of voice by person, organisation and outlet."""
    summary = parts.summary
    ids = [tally.person.id for tally in summary.by_person]
    people_note = f"of the {len(ids)} people with the most reactions" if ids else ""
    return [
        voice_table(
            "people",
            "By person",
            rows=person_voices(summary.by_person, total=summary.reactions, limit=VOICES_SHOWN),
            note="",
        ),
        voice_table(
            "organisations",
            "By organisation",
            rows=organisation_voices(
                summary.by_person,
                roles=parts.roles,
                kinds=parts.kinds,
                total=summary.reactions,
                limit=VOICES_SHOWN,
            ),
            note=f"organisations speaking, and the affiliations in the latest roles {people_note}",
        ),
        voice_table(
            "outlets",
            "By outlet",
            rows=parts.outlets[:VOICES_SHOWN],
            note="where the articles came from",
        ),
    ]


def _event_page(session: Session, parts: _EventParts, query: ListQuery) -> EventPage:
    """The event page's figures from its parts."""
    summary = parts.summary
    tops = [r.document_id for r in (*summary.top_positive, *summary.top_negative)]
    return event_page(
        parts.event,
        summary,
        roles=parts.roles,
        documents=briefs(session, tops),
        start=query.start,
        end=query.end,
        voices=_voices(parts),
    )


def load_event(
    session: Session, event_id: int, *, query: ListQuery | None = None
) -> EventPage | None:
    """The event page's figures from the stored summary (as the API serves it) or the date
    range's, or None if unknown (the live fragment)."""
    controls = query or ListQuery()
    parts = _parts(session, event_id, controls)
    return None if parts is None else _event_page(session, parts, controls)


def load_event_with_list(
    session: Session, event_id: int, *, query: ListQuery
) -> tuple[EventPage, ReactionList] | None:
    """The event page and its filtered, sorted page of reactions, or None if unknown."""
    parts = _parts(session, event_id, query)
    if parts is None:
        return None
    total = known_total(query, parts.summary, outlets=parts.outlets)
    if total is None and query.role_alone and query.role:
        total = reactions.role_tally_count(session, event_id=event_id, needle=query.role)
    rows, total = reactions.sorted_event_reactions(
        session,
        event_id=event_id,
        where=query.where(),
        sort=query.sort,
        offset=query.offset,
        limit=query.size,
        known_total=total,
    )
    listing = reaction_list(
        event_id=event_id,
        query=query,
        reactions=rows,
        total=total,
        documents=briefs(session, [r.document_id for r in rows]),
        people=sorted(parts.summary.by_person, key=lambda t: t.person.name.casefold()),
        outlets=parts.outlets,
    )
    return _event_page(session, parts, query), listing


def load_people(
    session: Session, *, query: str | None, kind: str | None, page: int
) -> tuple[list[PersonIndexRow], int]:
    """One page of the people index and how many match."""
    found, total = people.people_index(
        session, query=query, kind=kind, offset=(page - 1) * PEOPLE_PER_PAGE, limit=PEOPLE_PER_PAGE
    )
    counts = people.event_counts(session, [p.id for p in found])
    return [
        person_index_row(
            person_id=p.id,
            name=p.name,
            kind=p.kind,
            reactions=p.reactions,
            mean=mean_of_units(p.sum_units, p.reactions) if p.reactions else None,
            events=counts.get(p.id, 0),
            last_seen=p.last_seen,
        )
        for p in found
    ], total


def load_person(session: Session, person_id: int, *, after: int | None) -> PersonPage | None:
    """The person page (the API's assembly of the person) with one page of quotes, or None."""
    if people.get_person(session, person_id) is None:
        return None
    person = read_person(session, person_id)
    quotes = reactions.reactions_of_person(
        session, person_id=person_id, after_id=after, limit=QUOTES_PER_PAGE
    )
    articles = briefs(session, [q.document_id for q in quotes])
    urls = {i: brief.url for i, brief in articles.items()}
    next_after = quotes[-1].id if len(quotes) == QUOTES_PER_PAGE else None
    return person_page(person, quotes, urls=urls, next_after=next_after, documents=articles)


def load_document(session: Session, document_id: int) -> DocumentPage | None:
    """The document page, or None if unknown."""
    document = documents.get_document(session, document_id)
    if document is None:
        return None
    brief = briefs(session, [document_id])[document_id]
    return document_page(
        brief=brief,
        text=document.text,
        received=document.created_at,
        status=document.status,
        reactions=reactions.reactions_of_document(session, document_id),
        events=reactions.events_of_document_reactions(session, document_id),
        href=safe_href(document.url),
    )


def load_sources(session: Session) -> list[SourceRead]:
    """The collectors' sources with their polling state, by id."""
    return [
        SourceRead.model_validate(s)
        for s in sources.list_sources(session, after_id=None, limit=MAX_SOURCES)
    ]
