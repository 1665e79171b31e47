"""Thin Celery tasks: ids in, the plain job out, retry decided explicitly."""

from functools import lru_cache, partial

from celery import Task

from config import get_settings
from schemas.tasks import BACKFILL_EVENT, PROCESS_DOCUMENT, SUMMARY_CHANGED, SWEEP_QUEUED
from store.db import session_factory
from taskqueue import CelerySender
from taskqueue.senders import ShortcutSender
from workers.celery_app import WORK_QUEUE, app
from workers.deliver.tasks import jobs as deliver_jobs
from workers.pipeline.jobs import PipelineJobs


@lru_cache(maxsize=1)
def jobs() -> PipelineJobs:
    """The jobs bound to this worker process's database pool and broker; the summaries they
    change are announced (stream, webhooks) right here after each commit."""
    settings = get_settings()
    broker = CelerySender(settings.redis_url or "")
    return PipelineJobs(
        factory=session_factory(settings.database_url, settings.db_pool_size),
        sender=ShortcutSender(broker, {SUMMARY_CHANGED: deliver_jobs().summary_changed}),
        settings=settings,
        broker_waiting=partial(broker.waiting, WORK_QUEUE),
    )


@app.task(
    name=PROCESS_DOCUMENT,
    bind=True,
    acks_late=True,
    soft_time_limit=60,
    time_limit=90,
    max_retries=None,
)
def process_document(self: Task, document_id: int) -> None:
    """Process one document; a failed attempt is retried after the backoff the job chose."""
    retry_in = jobs().process_document(document_id)
    if retry_in is not None:
        raise self.retry(countdown=retry_in)


@app.task(name=BACKFILL_EVENT, acks_late=True, soft_time_limit=120, time_limit=150)
def backfill_event(event_id: int, after_id: int = 0) -> None:
    """Attach existing documents to a newly defined event, one batch per task."""
    jobs().backfill_event(event_id, after_id)


@app.task(name=SWEEP_QUEUED, acks_late=True, soft_time_limit=60, time_limit=90)
def sweep_queued() -> None:
    """Re-send documents still queued after a few minutes (run by beat)."""
    jobs().sweep_queued()
