"""Task senders. The API and the workers send by task name, so neither imports the other."""

import contextvars
import logging
import queue
import threading
from collections.abc import Callable
from typing import Protocol

import redis
from celery import Celery

from store.outages import is_infrastructure_error
from telemetry.logs import REQUEST_ID_KEY, bind, bound_ids, task_ids

log = logging.getLogger(__name__)

OUTAGE_RETRY_S = 5.0
Handler = Callable[..., float | None]
"""An in-process task: runs once and returns seconds until a retry, or None when done."""


class TaskSender(Protocol):
    """Anything that can send a named task with positional primitive arguments."""

    def send(self, name: str, *args: int, countdown: float = 0) -> None:
        """Send the task; never raise (the sweeper re-sends what is lost)."""


class CelerySender:
    """Sends tasks to the Celery broker with a short, bounded retry so requests never hang."""

    def __init__(self, broker_url: str) -> None:
        self._broker_url = broker_url
        self._app = Celery("reactions-sender", broker=broker_url)
        self._app.conf.broker_connection_timeout = 3
        self._app.conf.broker_transport_options = {"socket_timeout": 3, "socket_connect_timeout": 3}

    def waiting(self, queue: str) -> int | None:
        """How many messages wait in a queue of the broker (None when Redis cannot say)."""
        try:
            with redis.Redis.from_url(
                self._broker_url, socket_timeout=2, socket_connect_timeout=2
            ) as client:
                return int(client.llen(queue))
        except redis.RedisError:
            return None

    def send(self, name: str, *args: int, countdown: float = 0) -> None:
        """Publish the task; on broker failure log it and leave it to the sweeper."""
        try:
            self._app.send_task(
                name,
                args=list(args),
                # The worker logs the id of the request that caused the task (telemetry.logs).
                headers={REQUEST_ID_KEY: bound_ids().get(REQUEST_ID_KEY)},
                countdown=countdown or None,
                retry=True,
                retry_policy={"max_retries": 2, "interval_start": 0.1, "interval_step": 0.5},
            )
        except Exception:
            log.exception("could not send task %s%s; the sweeper will re-send it", name, args)


class ShortcutSender:
    """Runs some tasks in this process at once and sends every other task on.

    A worker announces the summaries it has just committed this way: the announcement runs
    where the change was made instead of costing a broker round trip and a second task per
    change. If the local run fails, the task is sent on, so another worker retries it.
    """

    def __init__(self, inner: TaskSender, local: dict[str, Handler]) -> None:
        self._inner = inner
        self._local = local

    def send(self, name: str, *args: int, countdown: float = 0) -> None:
        """Run a local task now (unless delayed); send anything else as the wrapped sender does."""
        handler = self._local.get(name)
        if handler is None or countdown > 0:
            self._inner.send(name, *args, countdown=countdown)
            return
        try:
            handler(*args)
        except Exception:
            log.exception("task %s%s failed here; sending it to the broker", name, args)
            self._inner.send(name, *args)


class InProcessSender:
    """Runs tasks on one background thread: the embedded mode's worker, same task code."""

    def __init__(
        self,
        handlers: dict[str, Handler],
        *,
        max_pending: int = 10_000,
        outage_retry_s: float = OUTAGE_RETRY_S,
    ) -> None:
        self._handlers = handlers
        self._outage_retry_s = outage_retry_s
        # Each task with the request id it was sent under, for its log lines.
        self._queue: queue.Queue[tuple[str, tuple[int, ...], object] | None] = queue.Queue(
            max_pending
        )
        self._thread = threading.Thread(target=self._run, name="reactions-worker", daemon=True)
        self._timers: set[threading.Timer] = set()
        self._lock = threading.Lock()
        self._stopped = False

    def start(self) -> None:
        """Start the worker thread."""
        self._thread.start()

    @property
    def alive(self) -> bool:
        """Whether the worker thread is running."""
        return self._thread.is_alive()

    def send(self, name: str, *args: int, countdown: float = 0) -> None:
        """Queue the task now, or after `countdown` seconds; a full queue is left to the sweeper."""
        if countdown > 0:
            # Run in this context, so a retry still logs the request that caused it.
            timer = threading.Timer(
                countdown, contextvars.copy_context().run, args=(self.send, name, *args)
            )
            timer.daemon = True
            with self._lock:
                if self._stopped:
                    return
                self._timers.add(timer)
            timer.start()
            return
        try:
            self._queue.put_nowait((name, args, bound_ids().get(REQUEST_ID_KEY)))
        except queue.Full:
            log.warning("in-process queue full; %s%s left to the sweeper", name, args)

    def stop(self, timeout: float = 10) -> None:
        """Stop after the running task; pending timers are cancelled."""
        with self._lock:
            self._stopped = True
            for timer in self._timers:
                timer.cancel()
        self._queue.put(None)
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        """Take tasks one at a time; a failing task is logged and never stops the loop, and one
        that met a database outage runs again after `outage_retry_s`, as a Celery task would."""
        while (item := self._queue.get()) is not None:
            name, args, request_id = item
            try:
                with bind(**{REQUEST_ID_KEY: request_id}, **task_ids(name, args)):
                    retry_in = self._handlers[name](*args)
            except Exception as exc:
                if not is_infrastructure_error(exc):
                    log.exception("task %s%s failed", name, args)
                    continue
                log.warning("task %s%s met an outage (%s); retrying", name, args, exc)
                retry_in = self._outage_retry_s
            if retry_in is not None:
                self.send(name, *args, countdown=retry_in)
