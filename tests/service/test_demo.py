"""The demo loads once: a restart defines no event again, even after the user renamed one."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from reactions_cli.demo import load_demo
from store.db import session_scope
from store.models import Document, Event
from tests.collect.conftest import RecordingSender


def test_the_demo_defines_its_events_once_across_restarts(factory: sessionmaker[Session]) -> None:
    sender = RecordingSender()
    defined, pushed = load_demo(factory, sender)
    assert defined == 2
    assert pushed > 0
    with session_scope(factory) as session:
        event = session.scalars(select(Event)).first()
        assert event is not None
        event.title = "Renamed by a user"

    assert load_demo(factory, sender) == (0, 0)
    with session_scope(factory) as session:
        assert session.scalar(select(func.count()).select_from(Event)) == 2
        assert session.scalar(select(func.count()).select_from(Document)) == pushed
