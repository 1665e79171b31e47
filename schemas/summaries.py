"""The materialised per-event summary, read in one row."""

from datetime import datetime

from schemas.base import Schema
from schemas.reactions import PersonRef, ReactionRead


class SentimentSummary(Schema):
    """Mean and median compound and the count of each label."""

    mean: float | None
    median: float | None
    positive: int
    neutral: int
    negative: int


class PersonTally(Schema):
    """How many reactions one person gave to the event and their mean compound."""

    person: PersonRef
    reactions: int
    mean_compound: float


class EventSummary(Schema):
    """Who reacted to an event and how; `version` grows by one on every change."""

    event_id: int
    version: int
    updated_at: datetime
    reactions: int
    people: int
    documents: int
    sentiment: SentimentSummary
    by_person: list[PersonTally]
    top_positive: list[ReactionRead]
    top_negative: list[ReactionRead]
