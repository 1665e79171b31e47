"""Page data: reads through the API's repositories in the request's session, then view models."""

from typing import Any

from sqlalchemy.orm import Session

from schemas.events import EventRead
from schemas.summaries import EventSummary
from service.dashboard.views import (
    EventPage,
    EventRow,
    PersonPage,
    event_page,
    event_rows,
    person_page,
    select_events,
)
from service.routes.people import read_person
from store.repositories import documents, events, people, reactions, summaries

MAX_EVENTS_SCANNED = 5000
SCAN_PAGE = 500
EVENTS_SHOWN = 100
QUOTES_PER_PAGE = 50


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


def load_event(session: Session, event_id: int) -> EventPage | None:
    """The event page from the stored summary (as the API serves it), or None if unknown."""
    event = events.get_event(session, event_id)
    data = summaries.read_summary(session, event_id)
    if event is None or data is None:
        return None
    summary = EventSummary.model_validate(data)
    roles = people.latest_roles(session, [tally.person.id for tally in summary.by_person])
    return event_page(EventRead.model_validate(event), summary, roles=roles)


def load_person(session: Session, person_id: int, *, after: int | None) -> PersonPage | None:
    """The person page (the API's assembly of the person) with one page of quotes, or None."""
    if people.get_person(session, person_id) is None:
        return None
    person = read_person(person_id, session)
    quotes = reactions.reactions_of_person(
        session, person_id=person_id, after_id=after, limit=QUOTES_PER_PAGE
    )
    urls: dict[int, str | None] = {}
    for quote in quotes:
        if quote.document_id not in urls:
            document = documents.get_document(session, quote.document_id)
            urls[quote.document_id] = document.url if document else None
    next_after = quotes[-1].id if len(quotes) == QUOTES_PER_PAGE else None
    return person_page(person, quotes, urls=urls, next_after=next_after)
