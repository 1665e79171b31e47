"""The workers' edge for operators, on Celery's signals: JSON logs carrying each task's ids and
the request id that caused it, task metrics, and the metrics port in multi-process mode."""

import logging
import os
import time
from contextlib import ExitStack
from typing import Any

from celery import Task, signals
from prometheus_client import start_http_server

from config import get_settings
from telemetry.logs import REQUEST_ID_KEY, bind, configure_logging, task_ids
from telemetry.metrics import TASK_DURATION, TASKS, scrape_registry
from telemetry.multiproc import mark_process_dead, reset_multiprocess_dir

log = logging.getLogger(__name__)

_running: dict[str, tuple[ExitStack, float]] = {}


def task_log_ids(task: Task, *, task_id: str, args: tuple[Any, ...]) -> dict[str, object]:
    """The ids a task's log lines carry: its name and id, the request's id, its subject's id."""
    return {
        **task_ids(task.name, args),
        "task_id": task_id,
        REQUEST_ID_KEY: task.request.get(REQUEST_ID_KEY),
    }


@signals.setup_logging.connect
def _json_logs(**_: Any) -> None:
    """Celery logs through our JSON handler instead of configuring its own."""
    configure_logging(get_settings().log_level)


@signals.task_prerun.connect
def _task_started(task_id: str, task: Task, args: tuple[Any, ...] = (), **_: Any) -> None:
    """Bind the task's ids for every line it logs and start its clock."""
    stack = ExitStack()
    stack.enter_context(bind(**task_log_ids(task, task_id=task_id, args=tuple(args or ()))))
    _running[task_id] = (stack, time.perf_counter())


@signals.task_postrun.connect
def _task_finished(task_id: str, task: Task, state: str | None = None, **_: Any) -> None:
    """Count and time the task, log its end and unbind its ids."""
    stack, started = _running.pop(task_id, (ExitStack(), time.perf_counter()))
    seconds = time.perf_counter() - started
    TASKS.labels(task.name, state or "UNKNOWN").inc()
    TASK_DURATION.labels(task.name).observe(seconds)
    log.info(
        "task %s %s",
        task.name,
        state,
        extra={"state": state, "duration_ms": round(seconds * 1000, 2)},
    )
    stack.close()


@signals.worker_init.connect
def _serve_metrics(**_: Any) -> None:
    """In the main process, before the pool forks: start the multi-process directory afresh
    and serve every child's metrics on `REACTIONS_METRICS_PORT` (when set)."""
    reset_multiprocess_dir()
    settings = get_settings()
    if settings.metrics_port is not None:
        start_http_server(
            settings.metrics_port, addr=settings.metrics_host, registry=scrape_registry()
        )
        log.info("metrics on %s:%s", settings.metrics_host, settings.metrics_port)


@signals.worker_process_shutdown.connect
def _child_gone(pid: int | None = None, **_: Any) -> None:
    """A pool child exited: drop its live gauges."""
    mark_process_dead(pid or os.getpid())
