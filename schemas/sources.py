"""Sources that the collectors poll: feeds, pages and social queries."""

from datetime import datetime
from typing import Literal

from pydantic import Field, field_validator, model_validator

from schemas.base import Schema

SourceKind = Literal["feed", "page", "mastodon", "bluesky"]
SourceStatus = Literal["pending", "ok", "partial", "error"]
ItemStatus = Literal["done", "duplicate", "failed"]
"""What became of one entry of a source: a new document, a copy of one, or a failure."""
MIN_INTERVAL_S = 60


class SourceCreate(Schema):
    """A source to poll every `interval_s` seconds; social kinds need a `query`."""

    kind: SourceKind
    url: str = Field(min_length=1, max_length=2048)
    query: str | None = Field(default=None, max_length=500)
    interval_s: int = Field(default=300, ge=MIN_INTERVAL_S, le=7 * 24 * 3600)

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        """Only absolute http(s) URLs with a host, without whitespace or credentials."""
        stripped = value.strip()
        scheme, sep, rest = stripped.partition("://")
        if not sep or scheme.lower() not in ("http", "https"):
            raise ValueError("must be an absolute http or https URL")
        host = rest.split("/", 1)[0].split("?", 1)[0]
        if not host or any(c.isspace() for c in stripped) or "@" in host:
            raise ValueError("must have a host and no whitespace or credentials")
        return stripped

    @field_validator("query")
    @classmethod
    def _clean_query(cls, value: str | None) -> str | None:
        """Strip the query; blank means none."""
        if value is None:
            return None
        if "\x00" in value:
            raise ValueError("must not contain NUL bytes")
        return value.strip() or None

    @model_validator(mode="after")
    def _query_fits_kind(self) -> "SourceCreate":
        """Social sources need a query (`#tag`/`@account` on Mastodon); feeds and pages none."""
        if self.kind in ("feed", "page"):
            if self.query is not None:
                raise ValueError("query: only mastodon and bluesky sources take a query")
        elif self.query is None:
            raise ValueError(f"query: required for {self.kind} sources")
        elif self.kind == "mastodon" and (self.query[:1] not in "#@" or len(self.query) < 2):
            raise ValueError("query: a mastodon query is `#tag` or `@account`")
        return self


class SourceRead(Schema):
    """A source with its polling health."""

    id: int
    kind: SourceKind
    url: str
    query: str | None
    interval_s: int
    status: SourceStatus
    next_poll_at: datetime
    last_polled_at: datetime | None
    consecutive_errors: int
    last_error: str | None
    documents_collected: int
    created_at: datetime


class PollAccepted(Schema):
    """Answer to a poll-now request."""

    id: int
    queued: bool
