"""The Celery app: broker settings, reliability options and the beat schedule."""

from celery import Celery

import workers.telemetry  # noqa: F401  (connects the JSON logs and task metrics to the signals)
from config import get_settings
from schemas.tasks import SCHEDULE_SOURCES, SWEEP_DELIVERIES, SWEEP_QUEUED


def create_celery() -> Celery:
    """Build the Celery app from the settings; tasks ack late so a crashed worker loses nothing."""
    settings = get_settings()
    celery = Celery(
        "reactions",
        broker=settings.redis_url,
        include=["workers.pipeline.tasks", "workers.collect.tasks", "workers.deliver.tasks"],
    )
    celery.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=5,
        broker_transport_options={
            "visibility_timeout": 3600,
            "socket_timeout": 5,
            "socket_connect_timeout": 5,
        },
        worker_hijack_root_logger=False,
        # Task events for monitors (celery events, Flower): received, started, succeeded...
        worker_send_task_events=True,
        task_send_sent_event=True,
        beat_schedule={
            "sweep-queued": {"task": SWEEP_QUEUED, "schedule": settings.sweep_interval_s},
            "schedule-sources": {"task": SCHEDULE_SOURCES, "schedule": settings.collect_tick_s},
            "sweep-deliveries": {"task": SWEEP_DELIVERIES, "schedule": settings.sweep_interval_s},
        },
    )
    return celery


app = create_celery()
