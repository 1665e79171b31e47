"""Documents pushed over the API and their processing state."""

from datetime import datetime
from typing import Literal

from pydantic import Field, field_validator

from schemas.base import Schema
from schemas.reactions import ReactionRead

DocumentStatus = Literal["queued", "processed", "failed"]


class DocumentCreate(Schema):
    """An article or post to process; `text` is required, the rest is metadata."""

    text: str = Field(min_length=1)
    title: str | None = Field(default=None, max_length=1000)
    url: str | None = Field(default=None, max_length=2048)
    published_at: datetime | None = None
    source: str | None = Field(default=None, max_length=200)

    @field_validator("text", "title", "url", "source")
    @classmethod
    def _clean_text(cls, value: str | None) -> str | None:
        """Reject what cannot be stored faithfully: NUL bytes, lone surrogates, blank text."""
        if value is None:
            return value
        if "\x00" in value:
            raise ValueError("must not contain NUL bytes")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError("must be valid UTF-8 (lone surrogate found)") from exc
        if not value.strip():
            raise ValueError("must not be empty")
        return value


class DocumentAccepted(Schema):
    """Answer to a document push: its id and current status."""

    id: int
    status: DocumentStatus


class DocumentRead(Schema):
    """A document's processing state and the reactions found in it."""

    id: int
    status: DocumentStatus
    error: str | None
    title: str | None = None
    url: str | None = None
    reactions: list[ReactionRead]
