"""People: search them, read one (sentiment overall, per event and by day), what they said,
and the corrections that fold people together or split an alias off."""

from sqlalchemy.orm import Session

from domain.tallies import mean_of_units
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
from store.models import Person
from store.repositories import people, reactions
from taskqueue import TaskSender
from usecases import corrections
from usecases.errors import InvalidInputError, NotFoundError

TIMELINE_DAYS = 365


def existing_person(session: Session, person_id: int) -> Person:
    """The person, or a 404 naming the id."""
    person = people.get_person(session, person_id)
    if person is None:
        raise NotFoundError(f"person {person_id} not found")
    return person


def search_people(
    session: Session, *, query: str | None, after_id: int | None, limit: int
) -> list[PersonListItem]:
    """People whose name or alias contains `query`, by id, one page."""
    rows = people.search_people(session, query=query, after_id=after_id, limit=limit)
    return [PersonListItem.model_validate(person) for person in rows]


def read_person(session: Session, person_id: int) -> PersonRead:
    """A person with aliases, roles as written, and sentiment overall, per event and by day,
    in five queries however many events they spoke in (404 when unknown)."""
    person = existing_person(session, person_id)
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
        events=[
            PersonEvent(
                event_id=tally.event_id,
                title=tally.title,
                reactions=tally.reactions,
                mean_compound=mean_of_units(tally.sum_units, tally.reactions),
            )
            for tally in people.events_of_person(session, person_id)
        ],
        timeline=[
            PersonDay(day=day, reactions=count, mean_compound=mean)
            for day, count, mean in people.sentiment_over_time(
                session, person_id, limit=TIMELINE_DAYS
            )
        ],
    )


def person_reactions(
    session: Session, person_id: int, *, after_id: int | None, limit: int
) -> list[ReactionRead]:
    """What a person said, by id, one page (404 when unknown)."""
    existing_person(session, person_id)
    return reactions.reactions_of_person(
        session, person_id=person_id, after_id=after_id, limit=limit
    )


def merge_people(
    session: Session, person_id: int, *, data: PersonMerge, sender: TaskSender
) -> PersonRead:
    """Fold other people into this one; the summaries of their events follow."""
    existing_person(session, person_id)
    missing = [i for i in data.person_ids if people.get_person(session, i) is None]
    if missing:
        raise InvalidInputError(f"person_ids: unknown people {missing}")
    if person_id in data.person_ids:
        raise InvalidInputError("person_ids: cannot merge a person into itself")
    corrections.merge_people(
        session, target_id=person_id, source_ids=data.person_ids, sender=sender
    )
    return read_person(session, person_id)


def split_person(
    session: Session, person_id: int, *, data: PersonSplit, sender: TaskSender
) -> PersonSplitResult:
    """Move the reactions attributed under an alias to a new person; summaries follow."""
    existing_person(session, person_id)
    new_id = corrections.split_person(session, person_id=person_id, alias=data.alias, sender=sender)
    if new_id is None:
        raise InvalidInputError(f"alias: no reaction of person {person_id} is under that alias")
    return PersonSplitResult(id=new_id, name=data.alias)
