"""Timestamps read back timezone-aware in UTC on SQLite too (the embedded default)."""

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from store.models import Base, Document


def test_sqlite_timestamps_come_back_aware_and_in_utc() -> None:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    plus_two = datetime(2026, 5, 1, 14, 30, tzinfo=timezone(timedelta(hours=2)))
    with Session(engine) as session:
        session.add(
            Document(
                content_hash="a" * 64,
                text="t",
                status="queued",
                created_at=plus_two,
                published_at=datetime(2026, 5, 1, 9, 0),
                attempts=0,
            )
        )
        session.commit()
        document = session.scalars(select(Document)).one()
        earliest = session.scalar(select(func.min(Document.created_at)))
    assert document.created_at == datetime(2026, 5, 1, 12, 30, tzinfo=UTC)
    assert document.created_at.utcoffset() == timedelta(0)
    assert document.published_at == datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    assert earliest == datetime(2026, 5, 1, 12, 30, tzinfo=UTC)
