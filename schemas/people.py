"""People who reacted, with their sentiment overall and per event."""

from schemas.base import Schema


class PersonListItem(Schema):
    """A person in search results."""

    id: int
    name: str
    kind: str
    reactions: int


class PersonSentiment(Schema):
    """A person's mean compound and label counts across all their reactions."""

    mean: float | None
    positive: int
    neutral: int
    negative: int


class PersonEvent(Schema):
    """A person's reactions to one event."""

    event_id: int
    title: str
    reactions: int
    mean_compound: float


class PersonRead(Schema):
    """One person with aliases, roles as written and sentiment."""

    id: int
    name: str
    kind: str
    aliases: list[str]
    roles: list[str]
    reactions: int
    sentiment: PersonSentiment
    events: list[PersonEvent]
