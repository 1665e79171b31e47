"""User-defined events: a title and the keywords that select their documents."""

from datetime import datetime
from typing import Literal

from pydantic import Field, field_validator

from schemas.base import Schema

MAX_KEYWORDS = 50


class EventCreate(Schema):
    """A new event; `match` says whether any or all keywords must occur."""

    title: str = Field(min_length=1, max_length=300)
    keywords: list[str] = Field(min_length=1, max_length=MAX_KEYWORDS)
    match: Literal["any", "all"] = "any"

    @field_validator("keywords")
    @classmethod
    def _clean_keywords(cls, value: list[str]) -> list[str]:
        """Strip keywords, refuse blank or overlong ones and drop duplicates, keeping order."""
        cleaned: list[str] = []
        for keyword in value:
            stripped = " ".join(keyword.split())
            if not stripped or "\x00" in stripped:
                raise ValueError("keywords must be non-empty text")
            if len(stripped) > 200:
                raise ValueError("each keyword must be at most 200 characters")
            if stripped.lower() not in {k.lower() for k in cleaned}:
                cleaned.append(stripped)
        return cleaned


class EventRead(Schema):
    """An event as stored."""

    id: int
    title: str
    keywords: list[str]
    match: Literal["any", "all"]
    created_at: datetime
