"""Demo data: two events and their articles, loaded through the same repositories as the API."""

import json
from functools import partial
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from schemas.documents import DocumentCreate
from schemas.events import EventCreate
from schemas.tasks import PROCESS_DOCUMENT
from store.db import after_commit, session_scope
from store.repositories import documents, events
from taskqueue import TaskSender

DEMO_FILE = Path(__file__).parent / "demo" / "articles.json"


def load_demo(factory: sessionmaker[Session], sender: TaskSender) -> tuple[int, int]:
    """Define the demo events (once) and push the demo articles; returns (events, new documents)."""
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    created_docs = 0
    with session_scope(factory) as session:
        known = {e.title for e in events.defined_events(session)}
        new_events = [EventCreate(**e) for e in data["events"] if e["title"] not in known]
        for event in new_events:
            events.create_event(session, event)
        for raw in data["documents"]:
            document, created = documents.create_document(session, DocumentCreate(**raw))
            if created:
                created_docs += 1
                after_commit(session, partial(sender.send, PROCESS_DOCUMENT, document.id))
    return len(new_events), created_docs
