"""Common base model and the paginated list envelope."""

from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")
MAX_ROW_ID = 2**63 - 1
"""Ids are PostgreSQL bigints: a larger one is invalid input, not a database error."""
RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]


class Schema(BaseModel):
    """Base of every schema: builds from ORM rows and rejects unknown fields on input."""

    model_config = ConfigDict(from_attributes=True, extra="forbid")


class Page(Schema, Generic[T]):
    """One page of a list endpoint; `next_cursor` is null on the last page."""

    items: list[T]
    next_cursor: str | None = None
