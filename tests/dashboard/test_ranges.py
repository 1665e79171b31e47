"""A date range's figures, aggregated by the database, equal the tallies of the same memberships
folded one by one in Python, on PostgreSQL and on SQLite."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, true
from sqlalchemy.orm import Session, sessionmaker

from domain.memberships import Arrival
from domain.outlets import outlet_of
from domain.tallies import CountedReaction, figures_of, median, tally_set
from schemas.documents import DocumentCreate
from schemas.events import EventCreate
from store.db import session_factory, session_scope
from store.migrate import upgrade
from store.models import EventReaction, Person
from store.repositories import documents, events, people, ranges, reactions
from store.repositories.reactions import NewReaction
from workers.pipeline.process import members_of
from workers.score.sentiment import score_text

START = datetime(2026, 11, 20, 22, 30, tzinfo=UTC)
QUOTES = ("A wonderful, generous result.", "A sad and terrible day.", "The vote is on Tuesday.")
ROLES = ("Analyst at a think tank", "analyst  at a THINK tank", "minister", None, "")


def seed(factory: sessionmaker[Session]) -> int:
    """An event of 30 documents over 60 hours (two outlets), 4 reactions each, through the
    pipeline's storing steps; some reactions have no person, roles differ in case and spaces."""
    with session_scope(factory) as session:
        event = events.create_event(session, EventCreate(title="Range", keywords=["range"]))
        ids = [
            people.get_or_create_person(session, name=f"Speaker {n} Range", kind="person")
            for n in range(5)
        ]
        for number in range(30):
            moment = START + timedelta(hours=2 * number, minutes=7 * number % 60)
            document, _ = documents.create_document(
                session,
                DocumentCreate(
                    text=f"Range article {number}.",
                    source=("wire", "daily")[number % 2],
                    published_at=moment,
                ),
            )
            reactions.insert_reactions(
                session,
                document_id=document.id,
                reactions=[
                    NewReaction(
                        person_id=None if index == 3 else ids[(number + index) % len(ids)],
                        quote=f"{QUOTES[(number * index) % 3]} {number}-{index}",
                        kind="direct",
                        cue="say",
                        role=ROLES[(number + index) % len(ROLES)],
                        platform=None,
                        confidence=0.9,
                        span=(index * 10, index * 10 + 5),
                        speaker_span=None,
                        score=score_text(QUOTES[(number * index) % 3]),
                        speaker_text=None,
                        speaker_name=None if index != 3 else "a spokesperson",
                        said_at=moment,
                    )
                    for index in range(4)
                ],
            )
            stored = reactions.reactions_of_document_ids(session, [document.id])
            arrival = Arrival(
                document_id=document.id,
                outlet=outlet_of(document.source, document.url),
                members=members_of(document, stored),
            )
            events.add_documents(session, event_id=event.id, arrivals=[arrival])
        return event.id


def folded(
    session: Session, event_id: int, since: datetime | None, until: datetime | None
) -> tuple[object, float | None]:
    """The reference: every counted membership of the range folded into tallies in Python."""
    rows = session.scalars(
        select(EventReaction).where(
            EventReaction.event_id == event_id, EventReaction.counted == true()
        )
    ).all()
    chosen = [
        CountedReaction(
            person_id=row.person_id,
            compound=row.compound,
            label=row.label,
            role=row.role,
            outlet=row.outlet,
            reacted_at=row.reacted_at,
        )
        for row in rows
        if (since is None or row.reacted_at >= since) and (until is None or row.reacted_at < until)
    ]
    return figures_of(tally_set(chosen)), median(sorted(r.compound for r in chosen))


DAY = datetime(2026, 11, 21, tzinfo=UTC)
RANGES = [
    (None, None),
    (START + timedelta(hours=5), START + timedelta(hours=29)),
    (START + timedelta(hours=30), None),
    (None, START + timedelta(hours=1)),
    (START + timedelta(days=10), START + timedelta(days=11)),
    (DAY, DAY + timedelta(days=1)),  # whole hours only, as the page's day ranges
    (START + timedelta(hours=2), START + timedelta(hours=2, minutes=20)),  # within one hour
    (DAY + timedelta(hours=3), START + timedelta(hours=40)),  # whole start, partial end
]


def check_ranges(factory: sessionmaker[Session]) -> None:
    """Each range's figures and median equal the reference's, and the people listed come with
    their names."""
    event_id = seed(factory)
    with session_scope(factory) as session:
        names = {person.id: person.name for person in session.scalars(select(Person))}
        for since, until in RANGES:
            expected = folded(session, event_id, since, until)
            figures, middle = ranges.range_figures(
                session, event_id=event_id, since=since, until=until
            )
            assert (replace(figures, names={}), middle) == expected, (since, until)
            assert figures.names == {int(key): names[int(key)] for key, _ in figures.top_people}
        whole, _ = ranges.range_figures(session, event_id=event_id, since=None, until=None)
        assert whole.total.reactions == 120
        assert [key for key, _ in whole.top_roles] == ["analyst at a think tank", "minister"]
        assert len(whole.hours) == 30


@pytest.mark.postgres
def test_range_figures_equal_the_folded_tallies_on_postgres(
    factory: sessionmaker[Session],
) -> None:
    check_ranges(factory)


def test_range_figures_equal_the_folded_tallies_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ranges.db'}"
    upgrade(url)
    check_ranges(session_factory(url))
