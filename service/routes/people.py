"""People: search, one person's sentiment per event and over time, what they said, corrections."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from domain.tallies import mean_of_units
from schemas.base import Page
from schemas.people import (
    PersonDay,
    PersonEvent,
    PersonListItem,
    PersonMerge,
    PersonRead,
    PersonSentiment,
    PersonSplit,
    PersonSplitResult,
    SeenAs,
)
from schemas.reactions import ReactionRead
from service.deps import AdminDep, ReaderDep, SenderDep, SessionDep
from service.errors import InvalidInputError, NotFoundError
from service.pagination import NO_NUL, Cursor, Limit, PathId, decode_cursor, next_cursor
from store import corrections
from store.models import Person
from store.repositories import events, people, reactions

router = APIRouter(prefix="/v1/people", tags=["people"])
TIMELINE_DAYS = 365


def _person_or_404(session: SessionDep, person_id: int) -> Person:
    """The person, or a 404 naming the id."""
    person = people.get_person(session, person_id)
    if person is None:
        raise NotFoundError(f"person {person_id} not found")
    return person


@router.get("", dependencies=[ReaderDep])
def search_people(
    session: SessionDep,
    q: Annotated[
        str | None, Query(max_length=200, pattern=NO_NUL, description="part of a name or alias")
    ] = None,
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
def read_person(person_id: PathId, session: SessionDep) -> PersonRead:
    """A person with aliases, roles as written, and sentiment overall, per event and by day."""
    person = _person_or_404(session, person_id)
    per_event = []
    for tally in people.event_tallies_of(session, person_id):
        event = events.get_event(session, tally.event_id)
        if event is not None:
            per_event.append(
                PersonEvent(
                    event_id=event.id,
                    title=event.title,
                    reactions=tally.reactions,
                    mean_compound=mean_of_units(tally.sum_units, tally.reactions),
                )
            )
    aliases = people.aliases_of(session, person_id)
    roles = people.roles_of(session, person_id)
    return PersonRead(
        id=person.id,
        name=person.name,
        kind=person.kind,
        aliases=[a.alias for a in aliases],
        roles=[r.role for r in roles],
        alias_history=[
            SeenAs(text=a.alias, first_seen=a.first_seen, last_seen=a.last_seen) for a in aliases
        ],
        role_history=[
            SeenAs(text=r.role, first_seen=r.first_seen, last_seen=r.last_seen) for r in roles
        ],
        first_seen=person.first_seen,
        last_seen=person.last_seen,
        reactions=person.reactions,
        sentiment=PersonSentiment(
            mean=mean_of_units(person.sum_units, person.reactions) if person.reactions else None,
            positive=person.positive,
            neutral=person.neutral,
            negative=person.negative,
        ),
        events=per_event,
        timeline=[
            PersonDay(day=day, reactions=count, mean_compound=mean)
            for day, count, mean in people.sentiment_over_time(
                session, person_id, limit=TIMELINE_DAYS
            )
        ],
    )


@router.get("/{person_id}/reactions", dependencies=[ReaderDep])
def list_person_reactions(
    person_id: PathId, session: SessionDep, limit: Limit = 50, cursor: Cursor = None
) -> Page[ReactionRead]:
    """What a person said, by id, one page."""
    _person_or_404(session, person_id)
    items = reactions.reactions_of_person(
        session, person_id=person_id, after_id=decode_cursor(cursor), limit=limit
    )
    return Page[ReactionRead](items=items, next_cursor=next_cursor([r.id for r in items], limit))


@router.post("/{person_id}/merge", dependencies=[AdminDep])
def merge_people(
    person_id: PathId, data: PersonMerge, session: SessionDep, sender: SenderDep
) -> PersonRead:
    """Fold other people into this one; the summaries of their events follow."""
    _person_or_404(session, person_id)
    missing = [i for i in data.person_ids if people.get_person(session, i) is None]
    if missing:
        raise InvalidInputError(f"person_ids: unknown people {missing}")
    if person_id in data.person_ids:
        raise InvalidInputError("person_ids: cannot merge a person into itself")
    corrections.merge_people(
        session, target_id=person_id, source_ids=data.person_ids, sender=sender
    )
    return read_person(person_id, session)


@router.post("/{person_id}/split", status_code=status.HTTP_201_CREATED, dependencies=[AdminDep])
def split_person(
    person_id: PathId, data: PersonSplit, session: SessionDep, sender: SenderDep
) -> PersonSplitResult:
    """Move the reactions attributed under an alias to a new person; summaries follow."""
    _person_or_404(session, person_id)
    new_id = corrections.split_person(session, person_id=person_id, alias=data.alias, sender=sender)
    if new_id is None:
        raise InvalidInputError(f"alias: no reaction of person {person_id} is under that alias")
    return PersonSplitResult(id=new_id, name=data.alias)
