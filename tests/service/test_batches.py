"""Workers with a backlog process several queued documents in one transaction: the summaries end
where one document at a time takes them, a claimed document is left alone by other deliveries,
and a batch that fails is redone one document at a time."""

import random
from collections import defaultdict

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from domain.memberships import quote_key
from schemas.tasks import PROCESS_DOCUMENT
from store.db import session_scope
from store.models import Document, Event, EventDocument, Reaction
from tests.service.test_pipeline_store import RecordingSender, add_document, add_event
from tests.service.test_summary_advance import article, rebuilt, stored
from workers.extract import ExtractedQuote
from workers.pipeline import process

BROKEN = "This article breaks the extractor."


def test_batches_end_where_the_hand_count_and_a_rebuild_do(
    factory: sessionmaker[Session],
) -> None:
    rng = random.Random(5)
    event_id = add_event(factory, ["Comet"])
    by_text: dict[str, list[ExtractedQuote]] = {}
    texts: list[str] = []
    for number in range(20):
        if texts and rng.random() < 0.3:  # the same story again from another outlet
            text = f"{rng.choice(texts)}\n\n(outlet {number})"
        else:
            text, by_text[text] = article(rng, number)
            texts.append(text)
        add_document(factory, text)

    def extract(text: str, *, title: str | None = None) -> list[ExtractedQuote]:
        return by_text[text.split("\n\n(outlet", 1)[0]]

    sender = RecordingSender()
    deliveries = 0
    with factory() as session:
        queued = list(session.scalars(select(Document.id).order_by(Document.id)))
    for document_id in queued:  # each document's own message, in arrival order
        attempt = process.run_process_document(
            factory,
            document_id=document_id,
            sender=sender,
            max_attempts=3,
            extract=extract,
            batch=6,
        )
        deliveries += attempt.outcome == "processed"
        assert attempt.outcome in ("processed", "skipped")
    assert deliveries < len(queued) / 3  # the backlog went in batches

    quotes_by_name: dict[str, set[str]] = defaultdict(set)
    for text in texts:
        for quote in by_text[text]:
            quotes_by_name[quote.speaker_name or ""].add(quote_key(quote.text))
    final = stored(factory, event_id)
    assert final["documents"] == 20
    assert final["people"] == len(quotes_by_name)
    assert final["reactions"] == sum(len(keys) for keys in quotes_by_name.values())
    assert {line["person"]["name"]: line["reactions"] for line in final["by_person"]} == {
        name: len(keys) for name, keys in quotes_by_name.items()
    }
    assert final == rebuilt(factory, event_id)


def test_a_claimed_document_is_busy_for_other_deliveries_then_skipped(
    factory: sessionmaker[Session],
) -> None:
    add_event(factory, ["Comet"])
    rng = random.Random(8)
    bodies = dict(article(rng, number) for number in range(2))
    first, second = (add_document(factory, text) for text in bodies)
    holder = factory()
    try:
        batch = process.lock_batch(holder, document_id=first, size=5)
        assert batch.refusal is None
        assert [document.id for document in batch.documents] == [first, second]
        with factory() as other:
            assert process.lock_batch(other, document_id=second, size=5) == process.Batch(
                [], "busy"
            )
        process.process_documents(
            holder,
            batch.documents,
            sender=RecordingSender(),
            extract=lambda text, title=None: bodies[text],
        )
        holder.commit()
    finally:
        holder.close()
    assert (
        process.run_process_document(
            factory, document_id=second, sender=RecordingSender(), max_attempts=3, batch=5
        ).outcome
        == "skipped"
    )


def test_a_busy_delivery_comes_back_a_moment_later(factory: sessionmaker[Session]) -> None:
    document_id = add_document(factory, "Held by another worker.")
    with factory() as holder:
        process.lock_batch(holder, document_id=document_id, size=1)
        attempt = process.run_process_document(
            factory, document_id=document_id, sender=RecordingSender(), max_attempts=3, batch=5
        )
    assert (attempt.outcome, attempt.retry_in) == ("busy", process.BUSY_RETRY_S)


def test_a_failing_batch_is_redone_one_document_at_a_time(
    factory: sessionmaker[Session],
) -> None:
    add_event(factory, ["Comet"])
    text, quotes = article(random.Random(2), 1)
    good = add_document(factory, text)
    bad = add_document(factory, BROKEN)

    def extract(body: str, *, title: str | None = None) -> list[ExtractedQuote]:
        if body == BROKEN:
            raise RuntimeError("extractor exploded")
        return quotes

    sender = RecordingSender()
    attempt = process.run_process_document(
        factory, document_id=good, sender=sender, max_attempts=3, extract=extract, batch=4
    )
    assert attempt.outcome == "processed"
    assert (PROCESS_DOCUMENT, (bad,)) in sender.sent  # redone by a message of its own
    with factory() as session:
        broken = session.get(Document, bad)
        assert broken is not None
        assert (broken.status, broken.attempts) == ("queued", 0)
        assert session.scalar(
            select(func.count()).select_from(Reaction).where(Reaction.document_id == good)
        ) == len(quotes)


def test_documents_waiting_for_a_retry_are_not_claimed(factory: sessionmaker[Session]) -> None:
    first = add_document(factory, "First queued article.")
    waiting = add_document(factory, "An article whose first attempt failed.")
    later = add_document(factory, "Another queued article.")
    with session_scope(factory) as session:
        session.execute(update(Document).where(Document.id == waiting).values(attempts=1))
    with factory() as session:
        batch = process.lock_batch(session, document_id=first, size=5)
        assert batch.refusal is None
        assert [document.id for document in batch.documents] == [first, later]


def test_unmatched_documents_of_one_batch_share_the_story_they_open(
    factory: sessionmaker[Session],
) -> None:
    news = (
        "Harbor Dynamics recalled its Orion drones after battery fires in Lisbon warehouses. "
        "The Orion recall covers every drone shipped since March, Harbor Dynamics said."
    )
    other = (
        "The city council approved the new tram line to the airport on Tuesday. "
        "Construction of the tram line starts next spring, the council said."
    )
    ids = [
        add_document(factory, f"{text}\n\n(outlet {number})")
        for number, text in enumerate((news, news, other))
    ]
    attempt = process.run_process_document(
        factory,
        document_id=ids[0],
        sender=RecordingSender(),
        max_attempts=3,
        extract=lambda text, title=None: [],
        batch=5,
    )
    assert sorted(attempt.processed) == ids  # one batch
    with factory() as session:
        story_of = dict(
            session.execute(select(EventDocument.document_id, EventDocument.event_id))
            .tuples()
            .all()
        )
        kinds = set(session.scalars(select(Event.kind)))
    assert story_of[ids[0]] == story_of[ids[1]] != story_of[ids[2]]
    assert kinds == {"auto"}
