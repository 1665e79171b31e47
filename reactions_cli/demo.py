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
    """Push the demo articles and, the first time only, define the demo events; returns (events,
    new documents). The articles are the demo's key: once any of them is stored the demo was
    loaded, so a restart never defines the events again, even if they were renamed or deleted."""
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    created_docs = 0
    with session_scope(factory) as session:
        for raw in data["documents"]:
            document, created = documents.create_document(session, DocumentCreate(**raw))
            if created:
                created_docs += 1
                after_commit(session, partial(sender.send, PROCESS_DOCUMENT, document.id))
        first_load = created_docs == len(data["documents"])
        new_events = [EventCreate(**e) for e in data["events"]] if first_load else []
        for event in new_events:
            events.create_event(session, event)
    return len(new_events), created_docs
