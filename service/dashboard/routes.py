"""Dashboard pages: the events list, an event (live) and a person, rendered on the server."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import HTMLResponse

from service.dashboard.data import (
    EVENTS_SHOWN,
    MAX_EVENTS_SCANNED,
    PEOPLE_PER_PAGE,
    load_document,
    load_event,
    load_event_with_list,
    load_index,
    load_people,
    load_person,
    load_sources,
)
from service.dashboard.listing import (
    MAX_PAGE,
    MAX_PAGE_SIZE,
    MIN_PAGE_SIZE,
    PAGE_SIZE,
    ListQuery,
    list_query,
)
from service.dashboard.templating import render
from service.deps import ReaderDep, SessionDep
from store.repositories.reactions import ReactionSort
from usecases.errors import InvalidInputError

router = APIRouter(include_in_schema=False, dependencies=[ReaderDep])
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]
SearchText = Annotated[str | None, Query(max_length=200)]
PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE)]
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


def _html(template: str, *, status_code: int = 200, **context: object) -> HTMLResponse:
    """A rendered page with the dashboard's security headers."""
    return HTMLResponse(render(template, **context), status_code=status_code, headers=PAGE_HEADERS)


def _not_found(what: str) -> HTMLResponse:
    """The 404 page naming what was not found."""
    return _html("not_found.html", status_code=404, what=what)


@router.get("/", response_class=HTMLResponse)
def events_page(
    session: SessionDep, q: Annotated[str | None, Query(max_length=200)] = None
) -> HTMLResponse:
    """Events with reactions, people and a sentiment bar, newest activity first."""
    rows, scanned = load_index(session, query=q)
    return _html(
        "index.html",
        rows=rows,
        query=q or "",
        shown_max=EVENTS_SHOWN,
        capped=scanned >= MAX_EVENTS_SCANNED,
    )


def controls(
    since: date | None = None,
    until: date | None = None,
    *,
    label: Annotated[str | None, Query(max_length=16)] = None,
    person: Annotated[str | None, Query(max_length=20)] = None,
    role: SearchText = None,
    organisation: SearchText = None,
    outlet: Annotated[str | None, Query(max_length=300)] = None,
    sort: ReactionSort = "-time",
    page: PageNumber = 1,
    size: Annotated[int, Query(ge=MIN_PAGE_SIZE, le=MAX_PAGE_SIZE)] = PAGE_SIZE,
) -> ListQuery:
    """The event page's date range, filters, order and page from the URL."""
    return list_query(
        since=since,
        until=until,
        label=label,
        person=person,
        role=role,
        organisation=organisation,
        outlet=outlet,
        sort=sort,
        page=page,
        size=size,
    )


ControlsDep = Annotated[ListQuery, Depends(controls)]


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_detail_page(event_id: RowId, session: SessionDep, *, query: ControlsDep) -> HTMLResponse:
    """One event for a date range: cards, distribution, timeline, share of voice, people, top
    quotes and the filtered reaction list; the figures update live by script."""
    loaded = load_event_with_list(session, event_id, query=query)
    if loaded is None:
        return _not_found(f"event {event_id}")
    page, listing = loaded
    return _html("event.html", page=page, listing=listing, query=query)


@router.get("/events/{event_id}/live", response_class=HTMLResponse)
def event_live_fragment(
    event_id: RowId, session: SessionDep, *, query: ControlsDep
) -> HTMLResponse:
    """The event page's figures alone (for the same date range), fetched by the page when its
    stream announces a change."""
    page = load_event(session, event_id, query=query)
    if page is None:
        return _not_found(f"event {event_id}")
    return _html("_event_body.html", page=page, query=query)


@router.get("/people", response_class=HTMLResponse)
def people_page(
    session: SessionDep,
    q: SearchText = None,
    *,
    kind: Annotated[str | None, Query(max_length=16)] = None,
    page: PageNumber = 1,
) -> HTMLResponse:
    """People and organisations, most reactions first: search, kind, counts, mean, events."""
    kind = kind or None
    if kind not in (None, "person", "organisation"):
        raise InvalidInputError("kind: person or organisation")
    rows, total = load_people(session, query=q, kind=kind, page=page)
    return _html(
        "people.html",
        rows=rows,
        total=total,
        query=q or "",
        kind=kind or "",
        page=page,
        pages=max(1, -(-total // PEOPLE_PER_PAGE)),
    )


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document_detail_page(document_id: RowId, session: SessionDep) -> HTMLResponse:
    """One article: its details, its reactions marked in the text and the events holding it."""
    page = load_document(session, document_id)
    if page is None:
        return _not_found(f"document {document_id}")
    return _html("document.html", page=page)


@router.get("/sources", response_class=HTMLResponse)
def sources_page(session: SessionDep) -> HTMLResponse:
    """The collectors' sources: last poll, next poll, errors and documents collected."""
    return _html("sources.html", sources=load_sources(session))


@router.get("/people/{person_id}", response_class=HTMLResponse)
def person_detail_page(
    person_id: RowId,
    session: SessionDep,
    *,
    after: Annotated[int | None, Query(ge=0, le=2**63 - 1)] = None,
) -> HTMLResponse:
    """One person: sentiment across events and over time, and their quotes (50 a page)."""
    page = load_person(session, person_id, after=after)
    if page is None:
        return _not_found(f"person {person_id}")
    return _html("person.html", page=page, after=after)
