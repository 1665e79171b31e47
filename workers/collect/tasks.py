"""Thin Celery tasks for the collectors: ids in, the plain job out."""

from functools import lru_cache

from config import get_settings
from schemas.tasks import POLL_SOURCE, SCHEDULE_SOURCES
from store.db import session_factory
from taskqueue import CelerySender
from workers.celery_app import app
from workers.collect.jobs import CollectJobs


@lru_cache(maxsize=1)
def jobs() -> CollectJobs:
    """The collect jobs bound to this worker process's database pool and broker."""
    settings = get_settings()
    return CollectJobs(
        factory=session_factory(settings.database_url, settings.db_pool_size),
        sender=CelerySender(settings.redis_url or ""),
        settings=settings,
    )


@app.task(name=SCHEDULE_SOURCES, acks_late=True, soft_time_limit=30, time_limit=60)
def schedule_sources() -> None:
    """Send one poll task per due source (run by beat); claims make a double send harmless."""
    jobs().schedule_sources()


@app.task(name=POLL_SOURCE, acks_late=True, soft_time_limit=300, time_limit=360)
def poll_source(source_id: int, token: int) -> None:
    """Poll one source under the claim `token`; failures are recorded on the source, not raised."""
    jobs().poll_source(source_id, token)
