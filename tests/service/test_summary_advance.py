"""The summary a document's transaction advances in place equals the one rebuilt from scratch:
many speakers, sentiments spread over the whole scale (the median cursor moves both ways, the top
lists churn), repeated quotes from other outlets, and a body stored in an older shape."""

import json
import random
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from schemas.documents import DocumentCreate
from store.db import session_scope
from store.models import EventSummaryRow
from store.repositories import documents, summaries
from tests.service.test_pipeline_store import RecordingSender, add_event
from workers.extract import ExtractedQuote
from workers.pipeline import process

WORDS = ["great", "awful", "fine", "sad", "brilliant", "terrible", "calm", "plan", "vote", "day"]
NAMES = [f"Speaker{letter} Example" for letter in "ABCDEFGHIJKL"]


def article(rng: random.Random, number: int) -> tuple[str, list[ExtractedQuote]]:
    """A Comet story with 1-6 quotes by random speakers, and the quotes an extractor reports."""
    text = f"Comet report {number}.\n\n"
    quotes = []
    for _ in range(rng.randint(1, 6)):
        quote = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 8)))
        name = rng.choice(NAMES)
        start = len(text) + 1
        text += f"“{quote},” said {name}. "
        said = text.index(f"said {name}", start)
        quotes.append(
            ExtractedQuote(
                quote=(start, start + len(quote)),
                text=quote,
                kind="direct",
                cue=(said, said + 4),
                cue_lemma="say",
                speaker=(said + 5, said + 5 + len(name)),
                speaker_name=name,
                speaker_type="person",
                role=rng.choice([None, "an analyst", "a minister"]),
                platform=None,
                confidence=0.9,
            )
        )
    return text, quotes


def stored(factory: sessionmaker[Session], event_id: int) -> dict[str, Any]:
    """The stored summary without its version and time."""
    with session_scope(factory) as session:
        data = summaries.read_summary(session, event_id) or {}
    return {k: v for k, v in data.items() if k not in ("version", "updated_at")}


def rebuilt(factory: sessionmaker[Session], event_id: int) -> dict[str, Any]:
    """The summary rebuilt from the tallies, in a transaction that is rolled back."""
    session = factory()
    try:
        summaries.rebuild_summaries(session, [event_id])
        session.flush()
        data = summaries.read_summary(session, event_id) or {}
    finally:
        session.rollback()
        session.close()
    return {k: v for k, v in data.items() if k not in ("version", "updated_at")}


def test_advanced_summaries_equal_rebuilt_ones(factory: sessionmaker[Session]) -> None:
    rng = random.Random(11)
    event_id = add_event(factory, ["Comet"])
    by_text: dict[str, list[ExtractedQuote]] = {}
    sender = RecordingSender()

    def extract(text: str, *, title: str | None = None) -> list[ExtractedQuote]:
        return by_text[text.split("\n\n(outlet", 1)[0]]

    texts: list[str] = []
    for number in range(60):
        if texts and rng.random() < 0.25:  # the same story again from another outlet
            text = f"{rng.choice(texts)}\n\n(outlet {number})"
        else:
            text, quotes = article(rng, number)
            by_text[text] = quotes
            texts.append(text)
        with session_scope(factory) as session:
            document, _ = documents.create_document(
                session, DocumentCreate(text=text, source=f"outlet-{number % 7}")
            )
            process.process_document(
                session, document_id=document.id, sender=sender, extract=extract
            )
        if number % 10 == 9:
            assert stored(factory, event_id) == rebuilt(factory, event_id), number
    final = stored(factory, event_id)
    assert final["reactions"] > 100
    assert final["people"] == len(NAMES)
    assert len(final["top_positive"]) == len(final["top_negative"]) == 5
    assert max(reaction["outlets"] for reaction in final["top_positive"]) > 1 or any(
        reaction["outlets"] > 1 for reaction in final["top_negative"]
    )


def test_a_body_in_an_older_shape_is_rebuilt(factory: sessionmaker[Session]) -> None:
    event_id = add_event(factory, ["Comet"])
    rng = random.Random(3)
    bodies = dict(article(rng, n) for n in range(2))
    sender = RecordingSender()

    def extract(text: str, *, title: str | None = None) -> list[ExtractedQuote]:
        return bodies[text]

    first, second = bodies
    with session_scope(factory) as session:
        document, _ = documents.create_document(session, DocumentCreate(text=first))
        process.process_document(session, document_id=document.id, sender=sender, extract=extract)
    with session_scope(factory) as session:
        body = session.scalar(
            select(EventSummaryRow.body).where(EventSummaryRow.event_id == event_id)
        )
        old_shape = {k: v for k, v in json.loads(body or "{}").items() if k != "timeline"}
        session.execute(
            update(EventSummaryRow)
            .where(EventSummaryRow.event_id == event_id)
            .values(body=json.dumps(old_shape))
        )
    with session_scope(factory) as session:
        document, _ = documents.create_document(session, DocumentCreate(text=second))
        process.process_document(session, document_id=document.id, sender=sender, extract=extract)
    assert "timeline" in stored(factory, event_id)
    assert stored(factory, event_id) == rebuilt(factory, event_id)
