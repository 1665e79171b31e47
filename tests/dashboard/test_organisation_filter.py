"""The organisation filter of an event's reaction list: a role naming the organisation, or the
organisation speaking for itself, looked up first and then matched (PostgreSQL)."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from domain.memberships import Arrival
from schemas.documents import DocumentCreate
from schemas.events import EventCreate
from schemas.people import PersonKind
from store.db import session_scope
from store.repositories import documents, events, people, reactions
from store.repositories.reactions import NewReaction, ReactionFilter
from workers.pipeline.process import members_of
from workers.score.sentiment import score_text

MOMENT = datetime(2026, 11, 20, 9, tzinfo=UTC)
SPEAKERS: tuple[tuple[str, PersonKind, str | None], ...] = (
    ("Ada Quill Test", "person", "a partner at Oakline Capital"),
    ("Oakline Capital", "organisation", None),
    ("Oakline Capital Partners", "organisation", "the fund"),
    ("Bo Lark Test", "person", "a professor of law"),
    ("Oakline Street Club", "person", None),  # a person named so is not an organisation
)


def seed(factory: sessionmaker[Session]) -> tuple[int, dict[str, int]]:
    """An event of one document with one reaction per speaker; the reaction ids by speaker."""
    with session_scope(factory) as session:
        event = events.create_event(session, EventCreate(title="Oakline", keywords=["oakline"]))
        document, _ = documents.create_document(
            session, DocumentCreate(text="Oakline article.", source="wire", published_at=MOMENT)
        )
        ids = [
            people.get_or_create_person(session, name=name, kind=kind) for name, kind, _ in SPEAKERS
        ]
        said = [
            NewReaction(
                person_id=person_id,
                quote=f"We will see how the market takes it, number {index}.",
                kind="direct",
                cue="say",
                role=role,
                platform=None,
                confidence=0.9,
                span=(index * 100, index * 100 + 50),
                speaker_span=None,
                score=score_text("We will see how the market takes it."),
                speaker_text=None,
                speaker_name=None,
                said_at=MOMENT + timedelta(minutes=index),
            )
            for index, (person_id, (_, _, role)) in enumerate(zip(ids, SPEAKERS, strict=True))
        ]
        reactions.insert_reactions(session, document_id=document.id, reactions=said)
        stored = reactions.reactions_of_document_ids(session, [document.id])
        arrival = Arrival(
            document_id=document.id, outlet="wire", members=members_of(document, stored)
        )
        events.add_documents(session, event_id=event.id, arrivals=[arrival])
        by_speaker = {name: r.id for (name, _, _), r in zip(SPEAKERS, stored, strict=True)}
        return event.id, by_speaker


@pytest.mark.postgres
@pytest.mark.parametrize("limit", [500, 1])
def test_organisation_filter_matches_roles_and_organisations_speaking(
    factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    # limit 1: more organisations are named than are looked up, so the subquery is kept
    monkeypatch.setattr(reactions, "MAX_ORGANISATIONS", limit)
    event_id, ids = seed(factory)
    expected = {ids["Ada Quill Test"], ids["Oakline Capital"], ids["Oakline Capital Partners"]}
    with session_scope(factory) as session:
        for text in ("oakline capital", "  OAKLINE   Capital "):
            rows, total = reactions.sorted_event_reactions(
                session,
                event_id=event_id,
                where=ReactionFilter(organisation=text),
                sort="time",
                offset=0,
                limit=50,
            )
            assert {row.id for row in rows} == expected
            assert total == 3
        nobody = ReactionFilter(organisation="Pinecrest")
        assert reactions.count_event_reactions(session, event_id=event_id, where=nobody) == 0
        law = ReactionFilter(organisation="of law")
        assert reactions.count_event_reactions(session, event_id=event_id, where=law) == 1
