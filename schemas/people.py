"""People who reacted, with their sentiment overall, per event and over time."""

from datetime import datetime
from typing import Literal

from pydantic import Field

from schemas.base import RowId, Schema

PersonKind = Literal["person", "organisation"]
"""Who a speaker is: a named person, or an organisation speaking as one."""

MAX_MERGE = 100


class PersonListItem(Schema):
    """A person in search results."""

    id: int
    name: str
    kind: PersonKind
    reactions: int


class PersonSentiment(Schema):
    """A person's mean compound and label counts across all their reactions."""

    mean: float | None
    positive: int
    neutral: int
    negative: int


class PersonEvent(Schema):
    """A person's counted reactions to one event."""

    event_id: int
    title: str
    reactions: int
    mean_compound: float


class SeenAs(Schema):
    """An alias or a role as written, with when it was first and last seen."""

    text: str
    first_seen: datetime
    last_seen: datetime


class PersonDay(Schema):
    """A person's reactions on one day."""

    day: str
    reactions: int
    mean_compound: float


class PersonRead(Schema):
    """One person: aliases, roles as written, sentiment overall, per event and over time."""

    id: int
    name: str
    kind: PersonKind
    aliases: list[str]
    roles: list[str]
    alias_history: list[SeenAs]
    role_history: list[SeenAs]
    first_seen: datetime | None
    last_seen: datetime | None
    reactions: int
    sentiment: PersonSentiment
    events: list[PersonEvent]
    timeline: list[PersonDay]


class PersonMerge(Schema):
    """People to fold into the addressed person (their reactions move; they are deleted)."""

    person_ids: list[RowId] = Field(min_length=1, max_length=MAX_MERGE)


class PersonSplit(Schema):
    """The alias whose reactions become a person of their own."""

    alias: str = Field(min_length=1, max_length=300)


class PersonSplitResult(Schema):
    """The person split off."""

    id: int
    name: str
