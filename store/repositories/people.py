"""People: one row per canonical name, with aliases, roles as written and running sentiment."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, case, delete, func, or_, select, update
from sqlalchemy.orm import Session

from domain.names import name_key
from domain.tallies import Tally
from schemas.people import PersonKind
from store.models import (
    Event,
    EventReaction,
    EventTally,
    Person,
    PersonAlias,
    PersonRole,
    Reaction,
    utcnow,
)
from store.upsert import table_of, upsert_statement

MAX_TIMELINE_REACTIONS = 50_000


def get_or_create_person(session: Session, *, name: str, kind: PersonKind) -> int:
    """The id of the person with this name, created if new; safe under concurrent inserts."""
    return get_or_create_people(session, [(name, kind)])[name]


def get_or_create_people(session: Session, speakers: Sequence[tuple[str, str]]) -> dict[str, int]:
    """Ids of these (name, kind) speakers by name, creating the new ones in key order.

    Two statements whatever the number of speakers; inserting in key order means concurrent
    writers of the same new names never wait on each other in a cycle.
    """
    keyed = {name_key(name): (name, kind) for name, kind in speakers}
    if not keyed:
        return {}
    now = utcnow()
    columns = ("name", "name_key", "kind", "reactions", "sum_units", "positive", "neutral")
    session.execute(
        upsert_statement(
            table_of(Person),
            columns=(*columns, "negative", "created_at"),
            conflict=("name_key",),
        ),
        [
            {
                "name": name,
                "name_key": key,
                "kind": kind,
                "reactions": 0,
                "sum_units": 0,
                "positive": 0,
                "neutral": 0,
                "negative": 0,
                "created_at": now,
            }
            for key, (name, kind) in sorted(keyed.items())
        ],
    )
    found = dict(
        session.execute(
            select(Person.name_key, Person.id).where(Person.name_key.in_(sorted(keyed)))
        )
        .tuples()
        .all()
    )
    return {name: found[name_key(name)] for name, _ in speakers}


def add_aliases(session: Session, aliases: Sequence[tuple[int, str, datetime]]) -> None:
    """Remember (person, surface form, when said) in one statement, widening first/last seen."""
    _upsert_seen(session, PersonAlias, "alias", aliases, limit=300)


def add_roles(session: Session, roles: Sequence[tuple[int, str, datetime]]) -> None:
    """Remember (person, role as written, when said) in one statement, widening first/last seen."""
    _upsert_seen(session, PersonRole, "role", roles, limit=500)


def add_alias(session: Session, *, person_id: int, alias: str) -> None:
    """Remember one surface form of a person's name."""
    add_aliases(session, [(person_id, alias, utcnow())])


def add_role(session: Session, *, person_id: int, role: str) -> None:
    """Remember one role of a person as written."""
    add_roles(session, [(person_id, role, utcnow())])


def _upsert_seen(
    session: Session,
    table: type[PersonAlias] | type[PersonRole],
    column: str,
    seen: Sequence[tuple[int, str, datetime]],
    *,
    limit: int,
) -> None:
    """Insert (person, text) rows seen at a time (the document's publication), or widen their
    first and last seen; the rows of one statement folded and sorted first."""
    spans: dict[tuple[int, str], tuple[datetime, datetime]] = {}
    for person_id, text, moment in seen:
        key = (person_id, text[:limit])
        first, last = spans.get(key, (moment, moment))
        spans[key] = (min(first, moment), max(last, moment))
    if not spans:
        return
    stmt = upsert_statement(
        table_of(table),
        columns=("person_id", column, "first_seen", "last_seen"),
        conflict=("person_id", column),
        earliest=("first_seen",),
        latest=("last_seen",),
    )
    session.execute(
        stmt,
        [
            {"person_id": person_id, column: text, "first_seen": first, "last_seen": last}
            for (person_id, text), (first, last) in sorted(spans.items())
        ],
    )


_SAID = func.coalesce(Reaction.said_at, Reaction.created_at)


def said_at(reaction: Reaction) -> datetime:
    """When a reaction was said: its document's publication time, else when it arrived."""
    return reaction.said_at or reaction.created_at


def add_reactions(session: Session, reactions: Sequence[Reaction]) -> None:
    """Fold newly stored reactions into their people's running totals, in person order."""
    tallies: dict[int, Tally] = {}
    latest: dict[int, datetime] = {}
    earliest: dict[int, datetime] = {}
    for reaction in reactions:
        if reaction.person_id is None:
            continue
        tallies.setdefault(reaction.person_id, Tally()).add(reaction.compound, reaction.label)
        said = said_at(reaction)
        latest[reaction.person_id] = max(said, latest.get(reaction.person_id, said))
        earliest[reaction.person_id] = min(said, earliest.get(reaction.person_id, said))
    if not tallies:
        return
    table = cast(Table, Person.__table__)
    session.execute(
        update(table)
        .where(table.c.id == bindparam("person"))
        .values(
            reactions=table.c.reactions + bindparam("added"),
            sum_units=table.c.sum_units + bindparam("units"),
            positive=table.c.positive + bindparam("pos"),
            neutral=table.c.neutral + bindparam("neu"),
            negative=table.c.negative + bindparam("neg"),
            first_seen=case(
                (
                    or_(table.c.first_seen.is_(None), table.c.first_seen > bindparam("first")),
                    bindparam("first"),
                ),
                else_=table.c.first_seen,
            ),
            last_seen=case(
                (
                    or_(table.c.last_seen.is_(None), table.c.last_seen < bindparam("last")),
                    bindparam("last"),
                ),
                else_=table.c.last_seen,
            ),
        ),
        [
            {
                "person": person_id,
                "added": tally.reactions,
                "units": tally.sum_units,
                "pos": tally.positive,
                "neu": tally.neutral,
                "neg": tally.negative,
                "first": earliest[person_id],
                "last": latest[person_id],
            }
            for person_id, tally in sorted(tallies.items())
        ],
    )


def recount_people(session: Session, person_ids: Sequence[int]) -> None:
    """Recompute each person's running totals and first/last seen from all their reactions."""
    for person_id in sorted(set(person_ids)):
        person = session.get(Person, person_id, with_for_update=True)
        if person is None:
            continue
        tally = Tally()
        seen = []
        for compound, label, said in session.execute(
            select(Reaction.compound, Reaction.label, _SAID).where(Reaction.person_id == person_id)
        ).tuples():
            tally.add(compound, label)
            seen.append(said)
        person.reactions, person.sum_units = tally.reactions, tally.sum_units
        person.positive, person.neutral, person.negative = (
            tally.positive,
            tally.neutral,
            tally.negative,
        )
        person.first_seen = min(seen, default=None)
        person.last_seen = max(seen, default=None)


def get_person(session: Session, person_id: int) -> Person | None:
    """A person by id, or None."""
    return session.get(Person, person_id)


def search_people(
    session: Session, *, query: str | None, after_id: int | None, limit: int
) -> list[Person]:
    """People whose name or alias contains `query`, by id, one page."""
    stmt = select(Person).order_by(Person.id).limit(limit)
    if after_id is not None:
        stmt = stmt.where(Person.id > after_id)
    if query:
        pattern = f"%{query.lower()}%"
        alias_match = select(PersonAlias.person_id).where(
            func.lower(PersonAlias.alias).like(pattern)
        )
        stmt = stmt.where((func.lower(Person.name).like(pattern)) | Person.id.in_(alias_match))
    return list(session.scalars(stmt))


def aliases_of(session: Session, person_id: int) -> list[PersonAlias]:
    """The aliases of a person, in the order first seen."""
    stmt = select(PersonAlias).where(PersonAlias.person_id == person_id).order_by(PersonAlias.id)
    return list(session.scalars(stmt))


def roles_of(session: Session, person_id: int) -> list[PersonRole]:
    """The roles of a person as written, most recently seen first."""
    stmt = (
        select(PersonRole)
        .where(PersonRole.person_id == person_id)
        .order_by(PersonRole.last_seen.desc(), PersonRole.id)
    )
    return list(session.scalars(stmt))


@dataclass(frozen=True, slots=True)
class Speaking:
    """Whether a speaker is a person or an organisation, and its latest role as written."""

    kind: PersonKind
    role: str | None


def kinds_and_latest_roles(session: Session, person_ids: Sequence[int]) -> dict[int, Speaking]:
    """Each person's kind and most recently seen role (ties: the first recorded), in one query
    (the role read per person from its roles' unique index)."""
    if not person_ids:
        return {}
    latest = (
        select(PersonRole.role)
        .where(PersonRole.person_id == Person.id)
        .order_by(PersonRole.last_seen.desc(), PersonRole.id)
        .limit(1)
        .scalar_subquery()
    )
    stmt = select(Person.id, Person.kind, latest).where(Person.id.in_(sorted(set(person_ids))))
    return {
        person_id: Speaking(kind=kind, role=role)
        for person_id, kind, role in session.execute(stmt).tuples()
    }


@dataclass(frozen=True, slots=True)
class PersonInEvent:
    """A person's tally in one event, with the event's title."""

    event_id: int
    title: str
    reactions: int
    sum_units: int


def events_of_person(session: Session, person_id: int) -> list[PersonInEvent]:
    """The person's tallies in each event with its title, most reactions first, in one query."""
    stmt = (
        select(EventTally.event_id, Event.title, EventTally.reactions, EventTally.sum_units)
        .join(Event, Event.id == EventTally.event_id)
        .where(
            EventTally.dimension == "person",
            EventTally.key == str(person_id),
            EventTally.reactions > 0,
        )
        .order_by(EventTally.reactions.desc(), EventTally.event_id)
    )
    return [PersonInEvent(*row) for row in session.execute(stmt).tuples()]


def sentiment_over_time(session: Session, person_id: int, *, limit: int) -> list[tuple[Any, ...]]:
    """(day, reactions, mean compound) of a person's reactions, newest `limit` days."""
    rows = session.execute(
        select(_SAID, Reaction.compound)
        .where(Reaction.person_id == person_id)
        .order_by(_SAID.desc())
        .limit(MAX_TIMELINE_REACTIONS)
    ).all()
    days: dict[str, list[float]] = {}
    for created_at, compound in rows:
        days.setdefault(created_at.date().isoformat(), []).append(compound)
    return [
        (day, len(values), round(sum(values) / len(values), 4))
        for day, values in sorted(days.items())[-limit:]
    ]


def merge_people(session: Session, *, target_id: int, source_ids: Sequence[int]) -> None:
    """Fold people into `target_id`: their reactions, aliases and roles move with when they were
    seen (a merged name is an alias over the merged person's own first and last seen); they
    are deleted.

    Memberships of both are left uncounted: the caller recounts the events they touch.
    """
    target = session.get(Person, target_id)
    assert target is not None
    for source_id in sorted(set(source_ids) - {target_id}):
        source = session.get(Person, source_id)
        if source is None:
            continue
        session.execute(
            update(Reaction).where(Reaction.person_id == source_id).values(person_id=target_id)
        )
        session.execute(
            update(EventReaction)
            .where(EventReaction.person_id.in_([source_id, target_id]))
            .values(counted=False)
        )
        session.execute(
            update(EventReaction)
            .where(EventReaction.person_id == source_id)
            .values(person_id=target_id)
        )
        seen = [source.first_seen or source.created_at, source.last_seen or source.created_at]
        add_aliases(session, [(target_id, source.name, moment) for moment in seen])
        add_aliases(
            session,
            [
                (target_id, alias.alias, moment)
                for alias in aliases_of(session, source_id)
                for moment in (alias.first_seen, alias.last_seen)
            ],
        )
        add_roles(
            session,
            [
                (target_id, role.role, moment)
                for role in roles_of(session, source_id)
                for moment in (role.first_seen, role.last_seen)
            ],
        )
        session.execute(delete(Person).where(Person.id == source_id))
    session.flush()


def split_person(session: Session, *, person_id: int, alias: str) -> int | None:
    """Move the reactions attributed under `alias` to a person of that name; its id, or None."""
    matching = [
        reaction_id
        for reaction_id, spoken, written in session.execute(
            select(Reaction.id, Reaction.speaker_name, Reaction.speaker_text).where(
                Reaction.person_id == person_id
            )
        ).tuples()
        if alias in (spoken, written)
    ]
    if not matching:
        return None
    session.execute(
        delete(PersonAlias).where(PersonAlias.person_id == person_id, PersonAlias.alias == alias)
    )
    session.flush()
    new_id = _create_distinct_person(session, name=alias)
    session.execute(update(Reaction).where(Reaction.id.in_(matching)).values(person_id=new_id))
    session.execute(
        update(EventReaction)
        .where(EventReaction.reaction_id.in_(matching))
        .values(person_id=new_id)
    )
    return new_id


def _create_distinct_person(session: Session, *, name: str) -> int:
    """A new person for a split-off alias, its key made unique if the plain name is taken."""
    key = name_key(name)
    taken = set(session.scalars(select(Person.name_key).where(Person.name_key.like(f"{key}%"))))
    suffix = 2
    unique = key
    while unique in taken:
        unique = f"{key} #{suffix}"
        suffix += 1
    person = Person(name=name, name_key=unique, kind="person", created_at=utcnow())
    session.add(person)
    session.flush()
    return person.id


def speakers_of_document(session: Session, document_id: int) -> list[int]:
    """The people who speak in a document."""
    stmt = select(Reaction.person_id).where(Reaction.document_id == document_id).distinct()
    return sorted(session.scalars(stmt))


def people_index(
    session: Session, *, query: str | None, kind: str | None, offset: int, limit: int
) -> tuple[list[Person], int]:
    """People (or organisations) whose name or alias contains `query`, most reactions first,
    one page, and how many match."""
    conditions = []
    if kind is not None:
        conditions.append(Person.kind == kind)
    if query:
        needle = " ".join(query.split()).lower()
        alias_match = select(PersonAlias.person_id).where(
            func.lower(PersonAlias.alias).contains(needle, autoescape=True)
        )
        conditions.append(
            func.lower(Person.name).contains(needle, autoescape=True) | Person.id.in_(alias_match)
        )
    stmt = (
        select(Person)
        .where(*conditions)
        .order_by(Person.reactions.desc(), Person.id)
        .offset(offset)
        .limit(limit)
    )
    total = session.scalar(select(func.count()).select_from(Person).where(*conditions)) or 0
    return list(session.scalars(stmt)), int(total)


def event_counts(session: Session, person_ids: Sequence[int]) -> dict[int, int]:
    """In how many events each person has counted reactions, in one query."""
    if not person_ids:
        return {}
    stmt = (
        select(EventTally.key, func.count())
        .where(
            EventTally.dimension == "person",
            EventTally.key.in_([str(i) for i in person_ids]),
            EventTally.reactions > 0,
        )
        .group_by(EventTally.key)
    )
    return {int(key): count for key, count in session.execute(stmt).tuples()}
