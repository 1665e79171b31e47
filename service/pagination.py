"""Opaque cursors for list endpoints: the last id seen, base64-encoded."""

import base64
import binascii
from typing import Annotated

from fastapi import Path, Query

from schemas.base import MAX_ROW_ID
from usecases.errors import InvalidInputError

# PostgreSQL text cannot hold NUL: a query-string filter with one is a 422, not a failed query.
NO_NUL = r"^[^\x00]*$"
PathId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="id")]
QueryId = Annotated[int | None, Query(ge=1, le=MAX_ROW_ID, description="id")]
Limit = Annotated[int, Query(ge=1, le=200, description="page size")]
Cursor = Annotated[
    str | None, Query(max_length=100, description="next_cursor of the previous page")
]


def encode_cursor(last_id: int) -> str:
    """The cursor that continues after `last_id`."""
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    """The last id a cursor points after; a malformed cursor is a 422 naming `cursor`."""
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, value = raw.split(":", 1)
        if prefix != "id" or not value.isdigit() or int(value) > MAX_ROW_ID:
            raise ValueError(raw)
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidInputError("cursor: malformed; pass next_cursor as returned") from exc


def next_cursor(ids: list[int], limit: int) -> str | None:
    """A cursor after the last id when the page is full, else None."""
    return encode_cursor(ids[-1]) if len(ids) == limit and ids else None
