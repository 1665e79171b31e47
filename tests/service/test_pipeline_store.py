"""The pipeline's plain functions on the real PostgreSQL: exact figures, idempotency, failures."""

import json
from datetime import timedelta
from functools import partial
from typing import Any, cast

import pytest
import redis
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from schemas.documents import DocumentCreate
from schemas.events import EventCreate
from schemas.tasks import SUMMARY_CHANGED
from store.db import session_scope
from store.models import Document, Reaction, utcnow
from store.repositories import documents, events, summaries
from taskqueue import CelerySender
from tests.factories import make_settings, pipeline_docs
from workers.extract import ExtractedQuote
from workers.pipeline import process
from workers.pipeline.jobs import PipelineJobs


def add_document(factory: sessionmaker[Session], text: str, title: str | None = None) -> int:
    """Store a queued document and return its id."""
    with session_scope(factory) as session:
        document, _ = documents.create_document(session, DocumentCreate(text=text, title=title))
        return document.id


def add_event(factory: sessionmaker[Session], keywords: list[str], match: str = "any") -> int:
    """Define an event and return its id."""
    with session_scope(factory) as session:
        return events.create_event(
            session, EventCreate(title=" ".join(keywords), keywords=keywords, match=match)
        ).id


class RecordingSender:
    """A TaskSender test double that records what would be sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, tuple[int, ...]]] = []

    def send(self, name: str, *args: int, countdown: float = 0) -> None:
        """Record the task instead of publishing it."""
        self.sent.append((name, args))


def run(
    factory: sessionmaker[Session], document_id: int, sender: RecordingSender | None = None
) -> str:
    """Process one document in its own transaction."""
    with session_scope(factory) as session:
        return process.process_document(
            session, document_id=document_id, sender=sender or RecordingSender()
        )


def summary(factory: sessionmaker[Session], event_id: int) -> dict[str, Any]:
    """The stored summary of an event."""
    with session_scope(factory) as session:
        data = summaries.read_summary(session, event_id)
    assert data is not None
    return data


def test_three_documents_give_the_hand_computed_summary(factory: sessionmaker[Session]) -> None:
    event_id = add_event(factory, ["Zephyr"])
    other_event = add_event(factory, ["Atlantis"])
    sender = RecordingSender()
    for doc in pipeline_docs():
        assert run(factory, add_document(factory, doc["text"], doc["title"]), sender) == "processed"
    assert sender.sent == [(SUMMARY_CHANGED, (event_id, version)) for version in (1, 2, 3)]

    data = summary(factory, event_id)
    # Worked out by hand: VADER compounds 0.8176 (Jensen), -0.8176 and 0.9217 (Price),
    # -0.8074 (Alder), 0.0 (Jensen); mean 0.1143 / 5, median 0.0.
    assert (data["version"], data["reactions"], data["people"], data["documents"]) == (3, 5, 3, 3)
    assert data["sentiment"]["mean"] == pytest.approx(0.0229, abs=1e-4)
    assert data["sentiment"]["median"] == 0.0
    assert (
        data["sentiment"]["positive"],
        data["sentiment"]["neutral"],
        data["sentiment"]["negative"],
    ) == (2, 1, 2)
    by_person = {
        p["person"]["name"]: (p["reactions"], p["mean_compound"]) for p in data["by_person"]
    }
    assert by_person["Clara Jensen"] == (2, pytest.approx(0.4088, abs=1e-4))
    assert by_person["Owen Price"] == (2, pytest.approx(0.0521, abs=1e-4))
    assert by_person["Ruth Alder"] == (1, pytest.approx(-0.8074, abs=1e-4))
    assert [r["sentiment"]["compound"] for r in data["top_positive"]] == [0.9217, 0.8176]
    assert [r["sentiment"]["compound"] for r in data["top_negative"]] == [-0.8176, -0.8074]
    assert summary(factory, other_event)["reactions"] == 0


def test_processing_twice_changes_nothing(factory: sessionmaker[Session]) -> None:
    event_id = add_event(factory, ["Zephyr"])
    doc = pipeline_docs()[1]
    document_id = add_document(factory, doc["text"], doc["title"])
    assert run(factory, document_id) == "processed"
    before = summary(factory, event_id)
    assert run(factory, document_id) == "skipped"
    assert summary(factory, event_id) == before
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Reaction)) == 2


def test_match_all_needs_every_keyword(factory: sessionmaker[Session]) -> None:
    both = add_event(factory, ["Zephyr", "ferry"], match="all")
    missing = add_event(factory, ["Zephyr", "airport"], match="all")
    doc = pipeline_docs()[1]
    run(factory, add_document(factory, doc["text"], doc["title"]))
    assert summary(factory, both)["documents"] == 1
    assert summary(factory, missing)["documents"] == 0


def test_failing_document_is_retried_then_failed_without_blocking_others(
    factory: sessionmaker[Session],
) -> None:
    bad = add_document(factory, "This one breaks the extractor.")
    good_doc = pipeline_docs()[0]
    good = add_document(factory, good_doc["text"], good_doc["title"])

    def broken(text: str, *, title: str | None = None) -> list[ExtractedQuote]:
        raise RuntimeError("extractor exploded")

    first = process.run_process_document(
        factory, document_id=bad, sender=RecordingSender(), max_attempts=3, extract=broken
    )
    second = process.run_process_document(
        factory, document_id=bad, sender=RecordingSender(), max_attempts=3, extract=broken
    )
    assert (first.outcome, second.outcome) == ("retry", "retry")
    assert first.retry_in is not None
    assert second.retry_in is not None
    assert first.retry_in < second.retry_in
    third = process.run_process_document(
        factory, document_id=bad, sender=RecordingSender(), max_attempts=3, extract=broken
    )
    assert (third.outcome, third.retry_in) == ("failed", None)
    assert process.run_process_document(
        factory, document_id=good, sender=RecordingSender(), max_attempts=3
    ).outcome == ("processed")
    with factory() as session:
        failed = session.get(Document, bad)
        assert failed is not None
        assert (failed.status, failed.attempts) == ("failed", 3)
        assert failed.error == "RuntimeError: extractor exploded"
        assert (
            session.scalar(
                select(func.count()).select_from(Reaction).where(Reaction.document_id == bad)
            )
            == 0
        )


def test_event_defined_later_is_backfilled(factory: sessionmaker[Session]) -> None:
    for doc in pipeline_docs():
        run(factory, add_document(factory, doc["text"], doc["title"]))
    event_id = add_event(factory, ["Zephyr"])
    with session_scope(factory) as session:
        cursor = process.backfill_event(
            session, event_id=event_id, after_id=0, sender=RecordingSender()
        )
    assert cursor == 3
    with session_scope(factory) as session:
        assert (
            process.backfill_event(
                session, event_id=event_id, after_id=cursor, sender=RecordingSender()
            )
            is None
        )
    data = summary(factory, event_id)
    assert (data["reactions"], data["documents"], data["version"]) == (5, 3, 1)
    with session_scope(factory) as session:
        process.backfill_event(session, event_id=event_id, after_id=0, sender=RecordingSender())
    assert summary(factory, event_id)["reactions"] == 5


def test_sweeper_resends_only_stale_queued_documents(
    factory: sessionmaker[Session], redis_url: str
) -> None:
    stale = add_document(factory, "An old document whose message was lost.")
    add_document(factory, "A fresh document still on its way.")
    with session_scope(factory) as session:
        session.execute(
            update(Document)
            .where(Document.id == stale)
            .values(enqueued_at=utcnow() - timedelta(minutes=10))
        )
    sender = CelerySender(redis_url)
    with session_scope(factory) as session:
        assert process.sweep_queued(session, sender=sender, older_than=timedelta(minutes=3)) == 1
    with session_scope(factory) as session:
        assert process.sweep_queued(session, sender=sender, older_than=timedelta(minutes=3)) == 0
    broker = redis.Redis.from_url(redis_url)
    assert broker.llen("celery") == 1
    broker.close()


def test_with_the_work_queue_empty_never_tried_documents_are_resent_in_seconds(
    factory: sessionmaker[Session], redis_url: str, postgres_url: str
) -> None:
    lost = add_document(factory, "A document whose message a restarted Redis lost.")
    failing = add_document(factory, "A document waiting out its retry backoff.")
    with session_scope(factory) as session:
        session.execute(update(Document).values(enqueued_at=utcnow() - timedelta(seconds=30)))
        session.execute(update(Document).where(Document.id == failing).values(attempts=1))
    sender = CelerySender(redis_url)
    broker = redis.Redis.from_url(redis_url)
    jobs = PipelineJobs(
        factory=factory,
        sender=sender,
        settings=make_settings(database_url=postgres_url, redis_url=redis_url),
        broker_waiting=partial(sender.waiting, "celery"),
    )
    broker.rpush("celery", b"a message of another document")
    jobs.sweep_queued()  # something waits in the queue: nothing is taken for lost yet
    assert broker.llen("celery") == 1
    broker.delete("celery")
    jobs.sweep_queued()
    messages = cast(list[bytes], broker.lrange("celery", 0, -1))
    assert [json.loads(m)["headers"]["argsrepr"] for m in messages] == [f"[{lost}]"]
    broker.close()
