"""Events: user-defined (keywords, optional people and time window) or automatic stories."""

from datetime import datetime
from typing import Literal

from pydantic import Field, field_validator, model_validator

from schemas.base import RowId, Schema

MAX_KEYWORDS = 50
MAX_PEOPLE = 50
MAX_MERGE = 100
MAX_DESCRIPTION = 1000

EventKind = Literal["defined", "auto"]
"""A defined event (a standing query) or an automatic story."""


def _clean_terms(value: list[str], *, what: str) -> list[str]:
    """Strip terms, refuse blank or overlong ones and drop duplicates, keeping order."""
    cleaned: list[str] = []
    for term in value:
        stripped = " ".join(term.split())
        if not stripped or "\x00" in stripped:
            raise ValueError(f"{what} must be non-empty text")
        if len(stripped) > 200:
            raise ValueError(f"each of the {what} must be at most 200 characters")
        if stripped.lower() not in {c.lower() for c in cleaned}:
            cleaned.append(stripped)
    return cleaned


class _Window(Schema):
    """A time window check shared by create and update."""

    starts_at: datetime | None = None
    ends_at: datetime | None = None

    @model_validator(mode="after")
    def _ordered(self) -> "_Window":
        """`starts_at` must come before `ends_at`."""
        if self.starts_at and self.ends_at and self.starts_at >= self.ends_at:
            raise ValueError("ends_at must be after starts_at")
        return self


class EventCreate(_Window):
    """A new event, a standing query: articles match when any (or all) keywords occur, in the
    window, naming one of `people` when people are given; of a matching article, the reactions
    about the event (by its title, description, keywords and people) are its members."""

    title: str = Field(min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION)
    keywords: list[str] = Field(min_length=1, max_length=MAX_KEYWORDS)
    match: Literal["any", "all"] = "any"
    people: list[str] = Field(default_factory=list, max_length=MAX_PEOPLE)

    @field_validator("keywords")
    @classmethod
    def _clean_keywords(cls, value: list[str]) -> list[str]:
        """Normalise keywords."""
        return _clean_terms(value, what="keywords")

    @field_validator("people")
    @classmethod
    def _clean_people(cls, value: list[str]) -> list[str]:
        """Normalise people's names."""
        return _clean_terms(value, what="people")


class EventUpdate(_Window):
    """A change to an event: rename it, or change what selects its future documents."""

    title: str | None = Field(default=None, min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=MAX_DESCRIPTION)
    keywords: list[str] | None = Field(default=None, min_length=1, max_length=MAX_KEYWORDS)
    match: Literal["any", "all"] | None = None
    people: list[str] | None = Field(default=None, max_length=MAX_PEOPLE)

    @field_validator("keywords")
    @classmethod
    def _clean_keywords(cls, value: list[str] | None) -> list[str] | None:
        """Normalise keywords."""
        return None if value is None else _clean_terms(value, what="keywords")

    @field_validator("people")
    @classmethod
    def _clean_people(cls, value: list[str] | None) -> list[str] | None:
        """Normalise people's names."""
        return None if value is None else _clean_terms(value, what="people")

    @model_validator(mode="after")
    def _no_null_for_stored_fields(self) -> "EventUpdate":
        """`null` cannot clear a title, keywords, match or people: omit the field to keep it."""
        for name in ("title", "keywords", "match", "people"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name}: must not be null (omit it to keep the current value)")
        return self


class EventMerge(Schema):
    """Events to fold into the addressed one; they are deleted afterwards."""

    event_ids: list[RowId] = Field(min_length=1, max_length=MAX_MERGE)


class EventRead(Schema):
    """An event as stored; `kind` is "defined" or "auto" (an automatic story)."""

    id: int
    title: str
    description: str | None = None
    kind: EventKind
    keywords: list[str]
    match: Literal["any", "all"]
    people: list[str]
    starts_at: datetime | None
    ends_at: datetime | None
    created_at: datetime
    last_activity_at: datetime
