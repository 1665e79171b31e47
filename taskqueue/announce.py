"""Announcing new summary versions once the transaction that made them has committed."""

from collections.abc import Iterable
from functools import partial

from sqlalchemy.orm import Session

from schemas.tasks import SUMMARY_CHANGED
from store.db import after_commit
from taskqueue.senders import TaskSender


def announce_summaries(
    session: Session, *, sender: TaskSender, changes: Iterable[tuple[int, int]]
) -> None:
    """Send `SUMMARY_CHANGED(event_id, version)` for each change after commit (none on rollback)."""
    for event_id, version in changes:
        after_commit(session, partial(sender.send, SUMMARY_CHANGED, event_id, version))
