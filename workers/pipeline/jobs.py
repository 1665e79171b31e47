"""The pipeline's jobs as plain callables, shared by the Celery tasks and the embedded runner."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from schemas.tasks import BACKFILL_EVENT, PROCESS_DOCUMENT, SWEEP_QUEUED
from store.db import after_commit, session_scope
from taskqueue import TaskSender
from taskqueue.senders import Handler
from telemetry.metrics import SWEEPER_RESENT
from workers.collect.jobs import CollectJobs
from workers.pipeline import observe, process

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PipelineJobs:
    """Binds the jobs to a database, a task sender and the settings."""

    factory: sessionmaker[Session]
    sender: TaskSender
    settings: Settings
    # How many messages wait in the broker's work queue (None: it cannot say); unset in the
    # embedded mode, whose messages live in the process.
    broker_waiting: Callable[[], int | None] | None = None

    def process_document(self, document_id: int) -> float | None:
        """Process a document, with queued others when there is a backlog; seconds until a
        retry, or None when done or given up."""
        attempt = process.run_process_document(
            self.factory,
            document_id=document_id,
            sender=self.sender,
            max_attempts=self.settings.task_max_attempts,
            batch=self.settings.process_batch,
        )
        observe.record_attempt(attempt)
        return attempt.retry_in

    def backfill_event(self, event_id: int, after_id: int = 0) -> None:
        """Attach one batch of existing documents to an event and send the next batch."""
        with session_scope(self.factory) as session:
            cursor = process.backfill_event(
                session, event_id=event_id, after_id=after_id, sender=self.sender
            )
            if cursor is not None:
                after_commit(session, lambda: self.sender.send(BACKFILL_EVENT, event_id, cursor))

    def sweep_queued(self) -> None:
        """Re-send documents whose processing message was lost: any queued past
        `sweep_after_s`, and, when no message waits in the broker, any never tried and queued
        past `sweep_idle_after_s` (so a Redis restarted without persistence costs seconds)."""
        with session_scope(self.factory) as session:
            count = process.sweep_queued(
                session,
                sender=self.sender,
                older_than=timedelta(seconds=self.settings.sweep_after_s),
            )
        if self.broker_waiting is not None and self.broker_waiting() == 0:
            with session_scope(self.factory) as session:
                count += process.sweep_queued(
                    session,
                    sender=self.sender,
                    older_than=timedelta(seconds=self.settings.sweep_idle_after_s),
                    never_attempted=True,
                )
        if count:
            SWEEPER_RESENT.labels("documents").inc(count)
            log.warning("re-sent %d documents still queued", count)

    def _collect_jobs(self) -> CollectJobs:
        """The collectors' jobs on the same database, sender and settings."""
        return CollectJobs(factory=self.factory, sender=self.sender, settings=self.settings)

    def handlers(self) -> dict[str, Handler]:
        """Task name to callable, for the in-process runner."""
        return {
            PROCESS_DOCUMENT: self.process_document,
            BACKFILL_EVENT: self.backfill_event,
            SWEEP_QUEUED: self.sweep_queued,
            **self._collect_jobs().handlers(),
        }
