"""People: one row per canonical name, with aliases, roles as written and running sentiment."""

import re
import unicodedata
from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from store.models import Person, PersonAlias, PersonEventStats, PersonRole, utcnow
from store.upsert import insert_for

_HONORIFIC = re.compile(r"^(mr|mrs|ms|dr|sen|rep|gov|prof|sir|dame)\.?\s+", re.IGNORECASE)


def name_key(name: str) -> str:
    """The identity key of a name: case-, accent- and honorific-insensitive, spaces collapsed."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    folded = _HONORIFIC.sub("", " ".join(folded.split()))
    key = re.sub(r"[^\w\s'-]", "", folded).lower().strip()
    return key or name.strip().lower()


def get_or_create_person(session: Session, *, name: str, kind: str) -> int:
    """The id of the person with this name, created if new; safe under concurrent inserts."""
    key = name_key(name)
    session.execute(
        insert_for(session, Person)
        .values(name=name, name_key=key, kind=kind, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["name_key"])
    )
    return session.scalars(select(Person.id).where(Person.name_key == key)).one()


def add_alias(session: Session, *, person_id: int, alias: str) -> None:
    """Remember a surface form of the person's name."""
    session.execute(
        insert_for(session, PersonAlias)
        .values(person_id=person_id, alias=alias[:300])
        .on_conflict_do_nothing(index_elements=["person_id", "alias"])
    )


def add_role(session: Session, *, person_id: int, role: str) -> None:
    """Remember a role as written, refreshing when it was last seen."""
    now = utcnow()
    stmt = insert_for(session, PersonRole).values(
        person_id=person_id, role=role[:500], first_seen=now, last_seen=now
    )
    session.execute(
        stmt.on_conflict_do_update(index_elements=["person_id", "role"], set_={"last_seen": now})
    )


def add_sentiment(
    session: Session, *, person_id: int, compounds: Sequence[tuple[float, str]]
) -> None:
    """Fold (compound, label) pairs into the person's running totals."""
    session.execute(
        update(Person)
        .where(Person.id == person_id)
        .values(
            reactions=Person.reactions + len(compounds),
            sum_compound=Person.sum_compound + sum(c for c, _ in compounds),
            positive=Person.positive + sum(1 for _, lab in compounds if lab == "positive"),
            neutral=Person.neutral + sum(1 for _, lab in compounds if lab == "neutral"),
            negative=Person.negative + sum(1 for _, lab in compounds if lab == "negative"),
        )
    )


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


def aliases_of(session: Session, person_id: int) -> list[str]:
    """The aliases of a person, in the order first seen."""
    stmt = (
        select(PersonAlias.alias).where(PersonAlias.person_id == person_id).order_by(PersonAlias.id)
    )
    return list(session.scalars(stmt))


def roles_of(session: Session, person_id: int) -> list[str]:
    """The roles of a person as written, most recently seen first."""
    stmt = (
        select(PersonRole.role)
        .where(PersonRole.person_id == person_id)
        .order_by(PersonRole.last_seen.desc(), PersonRole.id)
    )
    return list(session.scalars(stmt))


def event_stats_of(session: Session, person_id: int) -> list[PersonEventStats]:
    """The person's per-event aggregates, most reactions first."""
    stmt = (
        select(PersonEventStats)
        .where(PersonEventStats.person_id == person_id)
        .order_by(PersonEventStats.reactions.desc(), PersonEventStats.event_id)
    )
    return list(session.scalars(stmt))
