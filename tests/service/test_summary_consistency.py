"""Property: incremental summaries equal recomputed ones after any interleaving of inserts,
re-deliveries, person merges and splits, event merges and document deletes (real PostgreSQL)."""

from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from schemas.documents import DocumentCreate
from schemas.events import EventCreate
from store.db import session_scope
from store.models import Base, Document, Event, EventSummaryRow, Person
from store.repositories import documents, events, people, summaries
from tests.service.test_pipeline_store import RecordingSender
from usecases import corrections
from workers.extract import ExtractedQuote
from workers.pipeline import process

SPEAKERS = [("Ann Lee", "Lee"), ("Bo Chan", "Chan"), ("Cy Park", "Park"), ("Di Ross", "Ross")]
QUOTES = [
    "This is a wonderful result for everyone",
    "A terrible and sad day for the team",
    "The vote is scheduled for Tuesday",
    "I am proud of this brave decision",
    "Nobody should accept such an awful plan",
]
TOPICS = ["Aurora", "Borealis", "harbor bridge repairs", "river ferry timetable"]


@dataclass(frozen=True)
class SyntheticDoc:
    """A document whose quotes the test extractor reports exactly."""

    text: str
    quotes: list[ExtractedQuote]


def build_doc(index: int, topic: str, lines: list[tuple[int, int, bool]]) -> SyntheticDoc:
    """A document about `topic` with (speaker, quote, by surname) lines, and its quotes."""
    text = f"Report {index} on the {topic}.\n\n"
    quotes = []
    for speaker, quote, by_surname in lines:
        name, surname = SPEAKERS[speaker]
        mention = surname if by_surname else name
        start = len(text) + 1
        text += f"“{QUOTES[quote]},” said {mention}. "
        mention_start = text.index(f"said {mention}", start) + 5
        quotes.append(
            ExtractedQuote(
                quote=(start, start + len(QUOTES[quote])),
                text=QUOTES[quote],
                kind="direct",
                cue=(mention_start - 5, mention_start - 1),
                cue_lemma="say",
                speaker=(mention_start, mention_start + len(mention)),
                speaker_name=name,
                speaker_type="person",
                role="an analyst" if speaker % 2 else None,
                platform=None,
                confidence=0.9,
            )
        )
    return SyntheticDoc(text=text, quotes=quotes)


line = st.tuples(st.integers(0, 3), st.integers(0, 4), st.booleans())
doc_spec = st.tuples(st.sampled_from(TOPICS), st.lists(line, min_size=1, max_size=3))
operation = st.one_of(
    st.tuples(st.just("insert"), st.integers(0, 5)),
    st.tuples(st.just("redeliver"), st.integers(0, 5)),
    st.tuples(st.just("merge_people"), st.integers(0, 3), st.integers(0, 3)),
    st.tuples(st.just("split"), st.integers(0, 3)),
    st.tuples(st.just("delete"), st.integers(0, 5)),
    st.tuples(st.just("merge_events"), st.integers(0, 3), st.integers(0, 3)),
)


def reset(factory: sessionmaker[Session]) -> None:
    """Empty every table (each hypothesis example starts clean)."""
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with session_scope(factory) as session:
        session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


def snapshot(factory: sessionmaker[Session]) -> dict[str, Any]:
    """Every summary (without version and time) and every person's totals."""
    with session_scope(factory) as session:
        stored = {
            event_id: summaries.read_summary(session, event_id) or {}
            for event_id in session.scalars(select(EventSummaryRow.event_id))
        }
        comparable = {
            event_id: {k: v for k, v in data.items() if k not in ("version", "updated_at")}
            for event_id, data in stored.items()
        }
        totals = {
            p.id: (p.reactions, p.sum_units, p.positive, p.neutral, p.negative)
            for p in session.scalars(select(Person))
        }
    return {"summaries": comparable, "people": totals}


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=st.lists(doc_spec, min_size=6, max_size=6), ops=st.lists(operation, max_size=14))
def test_incremental_equals_recomputed(
    factory: sessionmaker[Session],
    specs: list[tuple[str, list[tuple[int, int, bool]]]],
    ops: list[tuple[Any, ...]],
) -> None:
    reset(factory)
    docs = [build_doc(i, topic, lines) for i, (topic, lines) in enumerate(specs)]
    by_text = {doc.text: doc.quotes for doc in docs}

    def extract(text_: str, *, title: str | None = None) -> list[ExtractedQuote]:
        return by_text[text_]

    sender = RecordingSender()
    with session_scope(factory) as session:
        for keyword in ("Aurora", "Borealis"):
            events.create_event(session, EventCreate(title=keyword, keywords=[keyword]))
    ids: dict[int, int] = {}
    for op in [("insert", i) for i in range(3)] + ops:
        with session_scope(factory) as session:
            apply(session, op, docs, ids, extract, sender)
    before = snapshot(factory)
    with session_scope(factory) as session:
        corrections.recompute_all(session, sender=sender)
    assert snapshot(factory) == before
    with session_scope(factory) as session:
        for event_id, stored in before["summaries"].items():
            ranged = summaries.summary_in_range(session, event_id=event_id, since=None, until=None)
            assert ranged is not None
            computed = ranged.model_dump(mode="json")
            assert {k: v for k, v in computed.items() if k in stored} == stored


def apply(
    session: Session,
    op: tuple[Any, ...],
    docs: list[SyntheticDoc],
    ids: dict[int, int],
    extract: Any,
    sender: RecordingSender,
) -> None:
    """Carry out one operation of the interleaving, skipping ones that do not apply."""
    name = op[0]
    if name == "insert" or (name == "redeliver" and op[1] in ids):
        # A re-delivery is the same message (or the same text posted again) arriving twice.
        doc = docs[op[1]]
        document, _ = documents.create_document(session, DocumentCreate(text=doc.text))
        ids[op[1]] = document.id
        process.process_document(session, document_id=document.id, sender=sender, extract=extract)
    elif name == "delete" and op[1] in ids:
        if session.get(Document, ids[op[1]]) is not None:
            corrections.delete_document(session, document_id=ids.pop(op[1]), sender=sender)
    elif name == "merge_people":
        target, source = (person_id(session, SPEAKERS[i][0]) for i in op[1:])
        if target and source and target != source:
            corrections.merge_people(session, target_id=target, source_ids=[source], sender=sender)
    elif name == "split":
        found = person_id(session, SPEAKERS[op[1]][0])
        if found:
            corrections.split_person(
                session, person_id=found, alias=SPEAKERS[op[1]][1], sender=sender
            )
    elif name == "merge_events":
        all_ids = list(session.scalars(select(Event.id).order_by(Event.id)))
        if len(all_ids) > max(op[1], op[2]) and op[1] != op[2]:
            corrections.merge_events(
                session, target_id=all_ids[op[1]], source_ids=[all_ids[op[2]]], sender=sender
            )


def person_id(session: Session, name: str) -> int | None:
    """The id of the person named so, if any."""
    return session.scalar(select(Person.id).where(Person.name_key == people.name_key(name)))
