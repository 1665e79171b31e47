"""The dashboard's batched role read agrees with the repository's per-person order (PostgreSQL)."""

import pytest
from sqlalchemy.orm import Session, sessionmaker

from store.db import session_scope
from store.repositories import people

pytestmark = pytest.mark.postgres


def test_latest_roles_equal_the_first_of_roles_of(factory: sessionmaker[Session]) -> None:
    """For each person, the batched read returns what `roles_of` lists first; none for no role."""
    with session_scope(factory) as session:
        ids = [
            people.get_or_create_person(session, name=name, kind="person")
            for name in ("Ana Lima", "Tomas Berg", "Ines Duarte")
        ]
        for role in ("minister", "former minister", "senator"):
            people.add_role(session, person_id=ids[0], role=role)
        people.add_role(session, person_id=ids[1], role="analyst")
        people.add_role(session, person_id=ids[0], role="minister")  # seen again: latest now
    with session_scope(factory) as session:
        expected = {
            pid: people.roles_of(session, pid)[0].role
            for pid in ids
            if people.roles_of(session, pid)
        }
        assert people.latest_roles(session, ids) == expected
        assert expected[ids[0]] == "minister"
        assert people.latest_roles(session, []) == {}
