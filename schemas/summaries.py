"""Event summaries: the materialised one (one row read) and the one for a time range."""

from datetime import datetime
from typing import Literal

from schemas.base import Schema
from schemas.reactions import PersonRef, ReactionRead


class LabelShares(Schema):
    """The share of each sentiment label among the counted reactions."""

    positive: float
    neutral: float
    negative: float


class SentimentSummary(Schema):
    """Mean, median and standard deviation of compound, and the count of each label."""

    mean: float | None
    median: float | None
    stddev: float | None
    positive: int
    neutral: int
    negative: int
    shares: LabelShares


class PersonTally(Schema):
    """How many reactions one person gave to the event and their mean compound."""

    person: PersonRef
    reactions: int
    mean_compound: float


class RoleTally(Schema):
    """Reactions by speakers with one role or affiliation as written."""

    role: str
    reactions: int
    mean_compound: float | None


TimelineBucket = Literal["hour", "day"]
"""A summary's timeline buckets: hours while the reactions span at most 72 hours, else days."""


class TimelinePoint(Schema):
    """One hourly or daily bucket: reaction count and mean compound."""

    start: datetime
    reactions: int
    mean_compound: float | None


class Timeline(Schema):
    """Buckets of reactions over time; hourly when they span at most 72 hours, else daily."""

    bucket: TimelineBucket
    points: list[TimelinePoint]


class EventSummary(Schema):
    """Who reacted to an event and how; `version` grows by one on every change (one
    per transaction, which may add several documents).

    A quote repeated by several outlets counts once (its `outlets` says how often it was seen).
    """

    event_id: int
    version: int
    updated_at: datetime
    since: datetime | None = None
    until: datetime | None = None
    reactions: int
    people: int
    documents: int
    sources: int
    first_reaction_at: datetime | None
    last_reaction_at: datetime | None
    sentiment: SentimentSummary
    by_person: list[PersonTally]
    by_role: list[RoleTally]
    timeline: Timeline
    top_positive: list[ReactionRead]
    top_negative: list[ReactionRead]
