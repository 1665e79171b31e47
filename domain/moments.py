"""Moments in time: the database and outside feeds may give naive datetimes, which are UTC."""

from datetime import UTC, datetime


def as_utc(moment: datetime) -> datetime:
    """The moment with a zone: a naive one is read as UTC, an aware one is kept as it is."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
