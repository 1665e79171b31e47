"""Embedded mode: the API and the worker in one process on SQLite, with the same task code."""

import logging
import secrets
import threading
from collections.abc import Callable

import uvicorn
from fastapi import FastAPI

from config import Settings
from notify import StreamHub
from notify.cache import InvalidatingSender
from schemas.tasks import SCHEDULE_SOURCES, SWEEP_DELIVERIES
from service.app import create_app
from store.db import session_factory
from store.migrate import upgrade
from taskqueue import InProcessSender
from telemetry.logs import logging_config
from workers.deliver.jobs import DeliverJobs
from workers.pipeline.jobs import PipelineJobs

log = logging.getLogger(__name__)


class _Periodic(threading.Thread):
    """Beat's part in embedded mode: run `job` every `interval` seconds (sweeping, scheduling)."""

    def __init__(self, job: Callable[[], None], interval: float, name: str) -> None:
        super().__init__(name=f"reactions-{name}", daemon=True)
        self._job = job
        self._interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        """Run until stopped; a failed run is logged and tried again next time."""
        while not self.stopped.wait(self._interval):
            try:
                self._job()
            except Exception:
                log.exception("%s failed", self.name)


def with_admin_token(settings: Settings) -> tuple[Settings, str | None]:
    """The settings with an admin token: the configured one, or a new random one (returned
    second, to be shown once) so a bare `reactions serve` accepts writes."""
    if settings.admin_token is not None:
        return settings, None
    token = secrets.token_urlsafe(24)
    return settings.model_copy(update={"admin_token": token}), token


def build_embedded_app(settings: Settings) -> tuple[FastAPI, InProcessSender, PipelineJobs]:
    """Migrate the database and build the API with an in-process worker (not yet started)."""
    upgrade(settings.database_url)
    handlers: dict[str, object] = {}
    sender = InProcessSender(handlers)  # type: ignore[arg-type]
    hub = StreamHub(queue_size=settings.stream_queue_size)
    jobs = PipelineJobs(
        factory=session_factory(settings.database_url, settings.db_pool_size),
        # The worker shares the API's process: its changes drop the cached summary at once.
        sender=InvalidatingSender(sender, hub.cache),
        settings=settings,
    )
    handlers.update(jobs.handlers())
    deliver = DeliverJobs(factory=jobs.factory, sender=sender, publisher=hub, settings=settings)
    handlers.update(deliver.handlers())
    return create_app(settings, sender=sender, hub=hub), sender, jobs


def serve_embedded(settings: Settings, *, demo: bool) -> None:
    """Run API, worker and sweeper until interrupted; load the demo first when asked."""
    app, sender, jobs = build_embedded_app(settings)
    sender.start()
    sweeper = _Periodic(jobs.sweep_queued, interval=settings.sweep_interval_s, name="sweeper")
    sweeper.start()
    poller = _Periodic(
        lambda: sender.send(SCHEDULE_SOURCES), interval=settings.collect_tick_s, name="collect"
    )
    poller.start()
    deliveries = _Periodic(
        lambda: sender.send(SWEEP_DELIVERIES), interval=settings.sweep_interval_s, name="deliveries"
    )
    deliveries.start()
    if demo:
        from reactions_cli.demo import load_demo

        load_demo(jobs.factory, sender)
    try:
        uvicorn.run(
            app,
            host=settings.host,
            port=settings.port,
            log_config=logging_config(settings.log_level),
            access_log=False,  # service/telemetry.py writes it, with the request id
        )
    finally:
        sweeper.stopped.set()
        poller.stopped.set()
        deliveries.stopped.set()
        sender.stop()
