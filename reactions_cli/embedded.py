"""Embedded mode: the API and the worker in one process on SQLite, with the same task code."""

import logging
import threading

import uvicorn
from fastapi import FastAPI

from config import Settings
from service.app import create_app
from store.db import session_factory
from store.migrate import upgrade
from taskqueue import InProcessSender
from workers.pipeline.jobs import PipelineJobs

log = logging.getLogger(__name__)


class _Sweeper(threading.Thread):
    """Beat's job in embedded mode: re-send documents left queued, every `interval` seconds."""

    def __init__(self, jobs: PipelineJobs, interval: float) -> None:
        super().__init__(name="reactions-sweeper", daemon=True)
        self._jobs = jobs
        self._interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        """Sweep until stopped; a failed sweep is logged and tried again next time."""
        while not self.stopped.wait(self._interval):
            try:
                self._jobs.sweep_queued()
            except Exception:
                log.exception("sweep failed")


def build_embedded_app(settings: Settings) -> tuple[FastAPI, InProcessSender, PipelineJobs]:
    """Migrate the database and build the API with an in-process worker (not yet started)."""
    upgrade(settings.database_url)
    handlers: dict[str, object] = {}
    sender = InProcessSender(handlers)  # type: ignore[arg-type]
    jobs = PipelineJobs(
        factory=session_factory(settings.database_url, settings.db_pool_size),
        sender=sender,
        settings=settings,
    )
    handlers.update(jobs.handlers())
    return create_app(settings, sender=sender), sender, jobs


def serve_embedded(settings: Settings, *, demo: bool) -> None:
    """Run API, worker and sweeper until interrupted; load the demo first when asked."""
    app, sender, jobs = build_embedded_app(settings)
    sender.start()
    sweeper = _Sweeper(jobs, interval=settings.sweep_interval_s)
    sweeper.start()
    if demo:
        from reactions_cli.demo import load_demo

        load_demo(jobs.factory, sender)
    try:
        uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")
    finally:
        sweeper.stopped.set()
        sender.stop()
