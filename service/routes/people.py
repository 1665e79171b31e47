"""People: search, one person's sentiment per event and over time, what they said, corrections."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from schemas.base import Page
from schemas.people import PersonListItem, PersonMerge, PersonRead, PersonSplit, PersonSplitResult
from schemas.reactions import ReactionRead
from service.deps import AdminDep, ReaderDep, SenderDep, SessionDep
from service.pagination import NO_NUL, Cursor, Limit, PathId, decode_cursor, next_cursor
from usecases import people

router = APIRouter(prefix="/v1/people", tags=["people"])


@router.get("", dependencies=[ReaderDep])
def search_people(
    session: SessionDep,
    *,
    q: Annotated[
        str | None, Query(max_length=200, pattern=NO_NUL, description="part of a name or alias")
    ] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[PersonListItem]:
    """People whose name or alias contains `q`, one page."""
    items = people.search_people(session, query=q, after_id=decode_cursor(cursor), limit=limit)
    return Page[PersonListItem](items=items, next_cursor=next_cursor([p.id for p in items], limit))


@router.get("/{person_id}", dependencies=[ReaderDep])
def read_person(person_id: PathId, session: SessionDep) -> PersonRead:
    """A person with aliases, roles as written, and sentiment overall, per event and by day."""
    return people.read_person(session, person_id)


@router.get("/{person_id}/reactions", dependencies=[ReaderDep])
def list_person_reactions(
    person_id: PathId, *, session: SessionDep, limit: Limit = 50, cursor: Cursor = None
) -> Page[ReactionRead]:
    """What a person said, by id, one page."""
    items = people.person_reactions(session, person_id, after_id=decode_cursor(cursor), limit=limit)
    return Page[ReactionRead](items=items, next_cursor=next_cursor([r.id for r in items], limit))


@router.post("/{person_id}/merge", dependencies=[AdminDep])
def merge_people(
    person_id: PathId, *, data: PersonMerge, session: SessionDep, sender: SenderDep
) -> PersonRead:
    """Fold other people into this one; the summaries of their events follow."""
    return people.merge_people(session, person_id, data=data, sender=sender)


@router.post("/{person_id}/split", status_code=status.HTTP_201_CREATED, dependencies=[AdminDep])
def split_person(
    person_id: PathId, *, data: PersonSplit, session: SessionDep, sender: SenderDep
) -> PersonSplitResult:
    """Move the reactions attributed under an alias to a new person; summaries follow."""
    return people.split_person(session, person_id, data=data, sender=sender)
