"""The Celery app: broker settings, reliability options and the beat schedule."""

from celery import Celery
from kombu import Queue

import workers.telemetry  # noqa: F401  (connects the JSON logs and task metrics to the signals)
from config import get_settings
from schemas.tasks import SCHEDULE_SOURCES, SWEEP_DELIVERIES, SWEEP_QUEUED

WORK_QUEUE = "celery"
HOUSEKEEPING_QUEUE = "housekeeping"
HOUSEKEEPING_TASKS = (SWEEP_QUEUED, SWEEP_DELIVERIES, SCHEDULE_SOURCES)
# A message reserved but not acknowledged for this long is delivered again. A worker killed
# outright leaves its reserved messages for this long (the sweeper re-sends their documents
# after REACTIONS_SWEEP_AFTER_S); a countdown longer than this (webhook retries, hours) is
# delivered again each time, which the delivery leases make harmless.
VISIBILITY_TIMEOUT_S = 600


def create_celery() -> Celery:
    """Build the Celery app from the settings; tasks ack late so a crashed worker loses nothing.

    Sweepers and the source scheduler have a queue of their own, which every worker consumes
    beside the work queue (a worker reads the declared queues in turn), so a backlog of
    documents never delays the recovery of lost messages.
    """
    settings = get_settings()
    celery = Celery(
        "reactions",
        broker=settings.redis_url,
        task_cls="workers.outages:OutageRetryingTask",
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
        task_queues=(Queue(WORK_QUEUE), Queue(HOUSEKEEPING_QUEUE)),
        task_default_queue=WORK_QUEUE,
        task_routes={name: {"queue": HOUSEKEEPING_QUEUE} for name in HOUSEKEEPING_TASKS},
        broker_transport_options={
            "visibility_timeout": VISIBILITY_TIMEOUT_S,
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
