"""Dashboard pages: the events list, an event (live) and a person, rendered on the server."""

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse

from service.dashboard.data import (
    EVENTS_SHOWN,
    MAX_EVENTS_SCANNED,
    load_event,
    load_index,
    load_person,
)
from service.dashboard.templating import render
from service.deps import ReaderDep, SessionDep

router = APIRouter(include_in_schema=False, dependencies=[ReaderDep])
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]
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


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_detail_page(event_id: RowId, session: SessionDep) -> HTMLResponse:
    """One event: cards, distribution, timeline, people and quotes; updated live by script."""
    page = load_event(session, event_id)
    if page is None:
        return _not_found(f"event {event_id}")
    return _html("event.html", page=page)


@router.get("/events/{event_id}/live", response_class=HTMLResponse)
def event_live_fragment(event_id: RowId, session: SessionDep) -> HTMLResponse:
    """The event page's figures alone, fetched by the page when its stream announces a change."""
    page = load_event(session, event_id)
    if page is None:
        return _not_found(f"event {event_id}")
    return _html("_event_body.html", page=page)


@router.get("/people/{person_id}", response_class=HTMLResponse)
def person_detail_page(
    person_id: RowId,
    session: SessionDep,
    after: Annotated[int | None, Query(ge=0, le=2**63 - 1)] = None,
) -> HTMLResponse:
    """One person: sentiment across events and over time, and their quotes (50 a page)."""
    page = load_person(session, person_id, after=after)
    if page is None:
        return _not_found(f"person {person_id}")
    return _html("person.html", page=page, after=after)
