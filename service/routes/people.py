"""People: search by name or alias, and one person's sentiment overall and per event."""

from typing import Annotated

from fastapi import APIRouter, Query

from schemas.base import Page
from schemas.people import PersonEvent, PersonListItem, PersonRead, PersonSentiment
from service.deps import ReaderDep, SessionDep
from service.errors import NotFoundError
from service.pagination import Cursor, Limit, decode_cursor, next_cursor
from store.repositories import events, people

router = APIRouter(prefix="/v1/people", tags=["people"])


@router.get("", dependencies=[ReaderDep])
def search_people(
    session: SessionDep,
    q: Annotated[str | None, Query(max_length=200, description="part of a name or alias")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[PersonListItem]:
    """People whose name or alias contains `q`, one page."""
    rows = people.search_people(session, query=q, after_id=decode_cursor(cursor), limit=limit)
    return Page[PersonListItem](
        items=[PersonListItem.model_validate(p) for p in rows],
        next_cursor=next_cursor([p.id for p in rows], limit),
    )


@router.get("/{person_id}", dependencies=[ReaderDep])
def read_person(person_id: int, session: SessionDep) -> PersonRead:
    """A person with aliases, roles as written, overall sentiment and sentiment per event."""
    person = people.get_person(session, person_id)
    if person is None:
        raise NotFoundError(f"person {person_id} not found")
    per_event = []
    for stats in people.event_stats_of(session, person_id):
        event = events.get_event(session, stats.event_id)
        if event is not None and stats.reactions:
            per_event.append(
                PersonEvent(
                    event_id=event.id,
                    title=event.title,
                    reactions=stats.reactions,
                    mean_compound=round(stats.sum_compound / stats.reactions, 4),
                )
            )
    return PersonRead(
        id=person.id,
        name=person.name,
        kind=person.kind,
        aliases=people.aliases_of(session, person_id),
        roles=people.roles_of(session, person_id),
        reactions=person.reactions,
        sentiment=PersonSentiment(
            mean=round(person.sum_compound / person.reactions, 4) if person.reactions else None,
            positive=person.positive,
            neutral=person.neutral,
            negative=person.negative,
        ),
        events=per_event,
    )
