"""One attributed reaction with its sentiment."""

from dataclasses import dataclass
from typing import Literal

from pydantic import Field, model_validator

from schemas.base import Schema

SentimentLabel = Literal["positive", "neutral", "negative"]
QuoteKind = Literal["direct", "partial", "indirect", "post"]


class Sentiment(Schema):
    """VADER scores of a quote; `label` follows the ±0.05 compound convention."""

    compound: float
    pos: float
    neu: float
    neg: float
    label: SentimentLabel


@dataclass(frozen=True, slots=True)
class SentimentScore:
    """VADER's compound, pos, neu and neg, and the label derived from compound: what the workers
    compute for a quote and the store keeps with it (a plain value, cached per process)."""

    compound: float
    pos: float
    neu: float
    neg: float
    label: str


class PersonRef(Schema):
    """A person as referenced from a reaction."""

    id: int
    name: str


class ReactionRead(Schema):
    """A quote attributed to a speaker, with offsets into its document's text. `person` is None
    when the speaker is only a description the article never resolved ("a spokesperson"),
    which `speaker` then gives as written."""

    id: int
    document_id: int
    person: PersonRef | None
    speaker: str = Field(
        default="", description="who said it: the person's name, or the description as written"
    )
    quote: str
    kind: QuoteKind
    cue: str | None
    role: str | None
    span: tuple[int, int]
    speaker_span: tuple[int, int] | None
    sentiment: Sentiment
    platform: str | None = None
    outlets: int | None = None
    first_url: str | None = None
    relevance: float | None = Field(
        default=None, description="read for an event: how much the reaction is about it (0-1)"
    )
    evidence: list[str] | None = Field(
        default=None, description="read for an event: what in the article ties it to the event"
    )

    @model_validator(mode="after")
    def _speaker_of_person(self) -> "ReactionRead":
        """A reaction stored before speakers were kept apart names its person as the speaker."""
        if not self.speaker and self.person is not None:
            self.speaker = self.person.name
        return self
