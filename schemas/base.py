"""Common base model and the paginated list envelope."""

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")


class Schema(BaseModel):
    """Base of every schema: builds from ORM rows and rejects unknown fields on input."""

    model_config = ConfigDict(from_attributes=True, extra="forbid")


class Page(Schema, Generic[T]):
    """One page of a list endpoint; `next_cursor` is null on the last page."""

    items: list[T]
    next_cursor: str | None = None
