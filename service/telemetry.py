"""The API's edge for operators: request ids, the access log, request metrics and `/metrics`."""

import logging
import re
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import redis
from fastapi import APIRouter, Request, Response
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from domain.moments import as_utc
from service.deps import ReaderDep
from store.repositories import documents
from telemetry.logs import REQUEST_ID_KEY, bind
from telemetry.metrics import HTTP_LATENCY, HTTP_REQUESTS, exposition

REQUEST_ID_HEADER = "X-Request-ID"
# An id from outside is kept only if it is short and plain, so it cannot forge log lines.
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
BROKER_QUEUES = ("celery",)
UNMATCHED = "<unmatched>"

access_log = logging.getLogger("reactions.access")
log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)


def request_id_of(headers: Headers) -> str:
    """The caller's `X-Request-ID` when it is a plain token, else a new one."""
    given = headers.get(REQUEST_ID_HEADER, "")
    return given if _SAFE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def route_template(scope: Scope) -> str:
    """`/v1/events/{event_id}` rather than `/v1/events/7`: metric labels stay few."""
    return str(getattr(scope.get("route"), "path", UNMATCHED))


class RequestTelemetry:
    """ASGI middleware: binds the request id for every log line, returns it in `X-Request-ID`,
    writes one access log line and counts the request by route template and status."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one request; streams are logged when they end, timed until they start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(Headers(scope=scope))
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message).append(REQUEST_ID_HEADER, request_id)
                HTTP_LATENCY.labels(scope["method"], route_template(scope)).observe(
                    time.perf_counter() - started
                )
            await send(message)

        with bind(**{REQUEST_ID_KEY: request_id}):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                route = route_template(scope)
                HTTP_REQUESTS.labels(scope["method"], route, str(status)).inc()
                access_log.info(
                    "%s %s %s",
                    scope["method"],
                    scope["path"],
                    status,
                    extra={
                        "method": scope["method"],
                        "path": scope["path"],
                        "route": route,
                        "status": status,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    },
                )


class QueueCollector(Collector):
    """Queue depth read at scrape time: queued documents and their age, broker queue lengths."""

    def __init__(self, state: Any) -> None:
        self._state = state

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """The gauges; a source that does not answer is left out (and logged), not an error."""
        try:
            with self._state.session_factory() as session:
                count, oldest = documents.queue_depth(session)
        except Exception:
            log.exception("metrics: cannot read the document queue")
        else:
            yield GaugeMetricFamily(
                "reactions_documents_queued", "Documents waiting to be processed.", value=count
            )
            age = 0.0 if oldest is None else _seconds_since(oldest)
            yield GaugeMetricFamily(
                "reactions_documents_oldest_queued_seconds",
                "How long the oldest queued document has waited (0 when none waits).",
                value=age,
            )
        if self._state.settings.redis_url:
            yield from self._broker_queues(self._state.settings.redis_url)

    def _broker_queues(self, url: str) -> Iterator[GaugeMetricFamily]:
        """LLEN of each Celery queue on the broker, with a 2 s timeout."""
        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        family = GaugeMetricFamily(
            "reactions_broker_queue_messages", "Messages waiting on the broker.", labels=["queue"]
        )
        try:
            for queue in BROKER_QUEUES:
                family.add_metric([queue], float(client.llen(queue)))  # type: ignore[arg-type]
        except redis.RedisError:
            log.exception("metrics: cannot read the broker queues")
            return
        finally:
            client.close()
        yield family


def _seconds_since(moment: datetime) -> float:
    """Seconds from `moment` (naive means UTC, as SQLite gives it back) to now."""
    aware = as_utc(moment)
    return max((datetime.now(UTC) - aware).total_seconds(), 0.0)


@router.get("/metrics", dependencies=[ReaderDep])
def metrics(request: Request) -> Response:
    """Prometheus text format: this API's (or, in multi-process mode, all its processes')
    metrics, plus the queue depth."""
    body, content_type = exposition(QueueCollector(request.app.state))
    return Response(body, media_type=content_type)
