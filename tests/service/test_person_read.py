"""Reading a person costs the same few queries however many events they spoke in (PostgreSQL)."""

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from schemas.events import EventCreate
from store.db import session_scope
from store.models import EventTally, Person
from store.repositories import events
from usecases.people import read_person


def _person_in_events(session: Session, count: int) -> int:
    """A person with one reaction in each of `count` new events (tallies written directly)."""
    person = Person(name="Ann Lee", name_key=f"ann lee {count}", reactions=count, sum_units=0)
    session.add(person)
    session.flush()
    for n in range(count):
        made = events.create_event(session, EventCreate(title=f"Event {n}", keywords=[f"k{n}"]))
        session.add(
            EventTally(
                event_id=made.id,
                dimension="person",
                key=str(person.id),
                reactions=n + 1,
                sum_units=5_000 * (n + 1),
            )
        )
    session.flush()
    return person.id


def _queries_of_read(session: Session, person_id: int) -> tuple[int, Any]:
    """How many statements reading the person runs, and what it reads."""
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        read = read_person(session, person_id)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements), read


def test_a_person_is_read_in_a_fixed_number_of_queries(factory: sessionmaker[Session]) -> None:
    """One event or twenty, the same statements run, and each event comes with its title and
    mean, most reactions first."""
    with session_scope(factory) as session:
        few = _person_in_events(session, 1)
        many = _person_in_events(session, 20)
    with session_scope(factory) as session:
        few_queries, _ = _queries_of_read(session, few)
    with session_scope(factory) as session:
        many_queries, read = _queries_of_read(session, many)
    assert few_queries == many_queries <= 5
    assert [e.title for e in read.events] == [f"Event {n}" for n in reversed(range(20))]
    assert {e.mean_compound for e in read.events} == {0.5}
    assert [e.reactions for e in read.events] == list(reversed(range(1, 21)))
