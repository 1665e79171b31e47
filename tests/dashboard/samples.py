"""Plain factories of events, summaries, people and reactions for the dashboard's unit tests."""

from datetime import UTC, datetime
from typing import Any

from schemas.events import EventRead
from schemas.people import PersonRead
from schemas.reactions import ReactionRead
from schemas.summaries import EventSummary

HOSTILE = '<script>alert("x")</script><b onmouseover="alert(1)">bold</b> & "quoted"'
MOMENT = datetime(2026, 11, 23, 14, 5, tzinfo=UTC)


def event(*, event_id: int = 1, title: str = "Aurora 2 release", **changes: Any) -> EventRead:
    """An event as the API reads it."""
    data: dict[str, Any] = {
        "id": event_id,
        "title": title,
        "kind": "defined",
        "keywords": ["Aurora 2"],
        "match": "any",
        "people": [],
        "starts_at": None,
        "ends_at": None,
        "created_at": MOMENT,
        "last_activity_at": MOMENT,
    }
    data.update(changes)
    return EventRead.model_validate(data)


def reaction(
    *, reaction_id: int = 1, quote: str = "A remarkable, generous release.", **changes: Any
) -> ReactionRead:
    """A reaction as it appears in a summary's top lists."""
    data: dict[str, Any] = {
        "id": reaction_id,
        "document_id": 7,
        "person": {"id": 3, "name": "Ines Duarte"},
        "quote": quote,
        "kind": "direct",
        "cue": "said",
        "role": "a researcher at Harbor AI",
        "span": (10, 40),
        "speaker_span": None,
        "sentiment": {"compound": 0.8, "pos": 0.5, "neu": 0.5, "neg": 0.0, "label": "positive"},
        "platform": None,
        "outlets": 2,
        "first_url": "https://news.example/aurora",
    }
    data.update(changes)
    return ReactionRead.model_validate(data)


def summary(**changes: Any) -> EventSummary:
    """A stored summary with three people, two timeline points and one top reaction each way."""
    negative = reaction(
        reaction_id=2,
        quote="A reckless, dangerous step.",
        person={"id": 4, "name": "Tomas Berg"},
        role=None,
        sentiment={"compound": -0.6, "pos": 0.0, "neu": 0.4, "neg": 0.6, "label": "negative"},
        first_url=None,
    )
    data: dict[str, Any] = {
        "event_id": 1,
        "version": 4,
        "updated_at": MOMENT,
        "reactions": 5,
        "people": 3,
        "documents": 2,
        "sources": 2,
        "first_reaction_at": MOMENT,
        "last_reaction_at": MOMENT,
        "sentiment": {
            "mean": 0.1234,
            "median": 0.2,
            "stddev": 0.5,
            "positive": 3,
            "neutral": 1,
            "negative": 1,
            "shares": {"positive": 0.6, "neutral": 0.2, "negative": 0.2},
        },
        "by_person": [
            {"person": {"id": 3, "name": "Ines Duarte"}, "reactions": 3, "mean_compound": 0.5},
            {"person": {"id": 4, "name": "Tomas Berg"}, "reactions": 1, "mean_compound": -0.6},
            {"person": {"id": 5, "name": "Ana Lima"}, "reactions": 1, "mean_compound": 0.0},
        ],
        "by_role": [{"role": "a researcher at harbor ai", "reactions": 3, "mean_compound": 0.5}],
        "timeline": {
            "bucket": "hour",
            "points": [
                {"start": "2026-11-23T14:00:00+00:00", "reactions": 4, "mean_compound": 0.2},
                {"start": "2026-11-23T15:00:00+00:00", "reactions": 1, "mean_compound": -0.6},
            ],
        },
        "top_positive": [reaction().model_dump()],
        "top_negative": [negative.model_dump()],
    }
    data.update(changes)
    return EventSummary.model_validate(data)


def person(**changes: Any) -> PersonRead:
    """A person as the API reads it, with two events and two days."""
    data: dict[str, Any] = {
        "id": 3,
        "name": "Ines Duarte",
        "kind": "person",
        "aliases": ["Ines Duarte", "Duarte"],
        "roles": ["a researcher at Harbor AI"],
        "alias_history": [],
        "role_history": [],
        "first_seen": MOMENT,
        "last_seen": MOMENT,
        "reactions": 4,
        "sentiment": {"mean": 0.3, "positive": 3, "neutral": 0, "negative": 1},
        "events": [
            {"event_id": 1, "title": "Aurora 2 release", "reactions": 3, "mean_compound": 0.5},
            {"event_id": 2, "title": "Northwind exit", "reactions": 1, "mean_compound": -0.3},
        ],
        "timeline": [
            {"day": "2026-11-23", "reactions": 3, "mean_compound": 0.5},
            {"day": "2026-11-24", "reactions": 1, "mean_compound": -0.3},
        ],
    }
    data.update(changes)
    return PersonRead.model_validate(data)
