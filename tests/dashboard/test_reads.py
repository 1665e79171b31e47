"""The dashboard's batched reads agree with the repositories' own (PostgreSQL)."""

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from schemas.documents import DocumentCreate
from schemas.people import PersonKind
from store.db import session_scope
from store.repositories import documents, people

pytestmark = pytest.mark.postgres


def test_latest_roles_equal_the_first_of_roles_of(factory: sessionmaker[Session]) -> None:
    """For each person, the batched read returns what `roles_of` lists first (none for no role),
    with the person's kind."""
    with session_scope(factory) as session:
        named: tuple[tuple[str, PersonKind], ...] = (
            ("Ana Lima", "person"),
            ("Tomas Berg", "person"),
            ("Harbor AI", "organisation"),
        )
        ids = [people.get_or_create_person(session, name=name, kind=kind) for name, kind in named]
        for role in ("minister", "former minister", "senator"):
            people.add_role(session, person_id=ids[0], role=role)
        people.add_role(session, person_id=ids[1], role="analyst")
        people.add_role(session, person_id=ids[0], role="minister")  # seen again: latest now
    with session_scope(factory) as session:
        expected = {
            pid: people.roles_of(session, pid)[0].role if people.roles_of(session, pid) else None
            for pid in ids
        }
        speaking = people.kinds_and_latest_roles(session, [*ids, ids[0], 10_000])
        assert {pid: s.role for pid, s in speaking.items()} == expected
        assert expected[ids[0]] == "minister"
        assert [speaking[pid].kind for pid in ids] == ["person", "person", "organisation"]
        assert people.kinds_and_latest_roles(session, []) == {}


def test_document_headings_are_the_documents_fields(factory: sessionmaker[Session]) -> None:
    """The column-only headings carry what the full documents say, in id order, missing ids
    left out."""
    with session_scope(factory) as session:
        made = [
            documents.create_document(
                session,
                DocumentCreate(
                    text=f"Article {n}.",
                    title=f"Title {n}" if n else None,
                    url=f"https://news.example/{n}",
                    source="wire" if n else None,
                    published_at=datetime(2026, 11, 20 + n, tzinfo=UTC) if n else None,
                ),
            )[0].id
            for n in range(3)
        ]
    with session_scope(factory) as session:
        ids = [made[2], made[0], 10_000]
        headings = documents.document_headings(session, ids)
        full = documents.get_documents(session, ids)
        assert [h.id for h in headings] == sorted(made[i] for i in (0, 2))
        assert [
            (h.id, h.title, h.url, h.source, h.published_at, h.created_at) for h in headings
        ] == [(d.id, d.title, d.url, d.source, d.published_at, d.created_at) for d in full]
        assert documents.document_headings(session, []) == []
