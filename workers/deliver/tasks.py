"""Thin Celery tasks of the delivery stage: ids in, the plain job out."""

from functools import lru_cache

from config import get_settings
from notify import RedisPublisher
from schemas.tasks import ATTEMPT_DELIVERY, DISPATCH_WEBHOOK, SUMMARY_CHANGED, SWEEP_DELIVERIES
from store.db import session_factory
from taskqueue import CelerySender
from workers.celery_app import app
from workers.deliver.jobs import DeliverJobs


@lru_cache(maxsize=1)
def jobs() -> DeliverJobs:
    """The jobs bound to this worker process's database pool, broker and pub/sub channel."""
    settings = get_settings()
    redis_url = settings.redis_url or ""
    return DeliverJobs(
        factory=session_factory(settings.database_url, settings.db_pool_size),
        sender=CelerySender(redis_url),
        publisher=RedisPublisher(redis_url),
        settings=settings,
    )


@app.task(name=SUMMARY_CHANGED, acks_late=True, soft_time_limit=30, time_limit=45)
def summary_changed(event_id: int, version: int) -> None:
    """Tell stream clients and schedule the webhooks of a new summary version."""
    jobs().summary_changed(event_id, version)


@app.task(name=DISPATCH_WEBHOOK, acks_late=True, soft_time_limit=60, time_limit=90)
def dispatch_webhook(subscription_id: int) -> None:
    """Send the coalesced latest version to one subscription when it is due."""
    jobs().dispatch(subscription_id)


@app.task(name=ATTEMPT_DELIVERY, acks_late=True, soft_time_limit=60, time_limit=90)
def attempt_delivery(delivery_id: int) -> None:
    """Make one attempt of a delivery; the job schedules the retry itself."""
    jobs().attempt(delivery_id)


@app.task(name=SWEEP_DELIVERIES, acks_late=True, soft_time_limit=60, time_limit=90)
def sweep_deliveries() -> None:
    """Re-send delivery work whose message was lost (run by beat)."""
    jobs().sweep()
