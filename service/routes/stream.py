"""Live summary stream: `GET /v1/events/{id}/stream` as Server-Sent Events."""

import asyncio
import contextlib
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.types import Receive, Scope, Send

from notify import Listener, StreamHub, sse_frame
from schemas.errors import ERROR_BODY_REF
from service.deps import ReaderDep
from service.pagination import PathId
from store.db import session_scope
from telemetry.metrics import STREAM_CLIENTS
from usecases import events
from usecases.errors import InvalidInputError, NotFoundError

router = APIRouter(prefix="/v1/events", tags=["events"])

HEARTBEAT = b": heartbeat\n\n"


def read_summary_now(factory: sessionmaker[Session], event_id: int) -> tuple[int, bytes] | None:
    """The version and encoded stored summary, in a short session of its own (a stream never
    holds a connection)."""
    with session_scope(factory) as session:
        return events.stored_summary(session, event_id)


def parse_last_event_id(value: str | None) -> int | None:
    """The version a reconnecting client last saw; 422 naming the header when malformed."""
    if value is None or not value.strip():
        return None
    if not value.strip().isdigit():
        raise InvalidInputError("Last-Event-ID: must be a summary version (a whole number)")
    return int(value.strip())


class SummaryStream(Response):
    """The response of one client: every send has a timeout, so a stalled reader is dropped."""

    media_type = "text/event-stream"

    def __init__(
        self,
        *,
        hub: StreamHub,
        listener: Listener,
        first: bytes | None,
        sent_version: int,
        heartbeat_s: float,
        send_timeout_s: float,
    ) -> None:
        self.hub = hub
        self.listener = listener
        self.first = first
        self.sent_version = sent_version
        self.heartbeat_s = heartbeat_s
        self.send_timeout_s = send_timeout_s
        self.status_code = 200
        self.background = None
        self.init_headers({"cache-control": "no-cache", "x-accel-buffering": "no"})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Stream until the client leaves or stops reading, or the hub stops."""
        watcher = asyncio.create_task(self._wait_disconnect(receive))
        STREAM_CLIENTS.inc()
        try:
            start = {"type": "http.response.start", "status": 200, "headers": self.raw_headers}
            await self._send(send, start)
            if self.first is not None:
                await self._body(send, self.first)
            while not self.listener.dropped.is_set():
                frame = await self._next_frame()
                if frame is not None:
                    await self._body(send, frame)
        except (TimeoutError, OSError):
            pass
        finally:
            STREAM_CLIENTS.dec()
            watcher.cancel()
            self.hub.remove(self.listener)

    async def _next_frame(self) -> bytes | None:
        """The next newer frame, a heartbeat after `heartbeat_s` of silence, or None to skip."""
        try:
            version, frame = await asyncio.wait_for(self.listener.queue.get(), self.heartbeat_s)
        except TimeoutError:
            return HEARTBEAT
        if version <= self.sent_version:
            return None
        self.sent_version = version
        return frame

    async def _body(self, send: Send, chunk: bytes) -> None:
        """Send one chunk of the stream."""
        await self._send(send, {"type": "http.response.body", "body": chunk, "more_body": True})

    async def _send(self, send: Send, message: dict[str, Any]) -> None:
        """Send within the timeout; a client that does not take it is dropped."""
        try:
            await asyncio.wait_for(send(message), self.send_timeout_s)
        except TimeoutError:
            self.listener.dropped.set()
            raise

    async def _wait_disconnect(self, receive: Receive) -> None:
        """End the stream when the client disconnects."""
        with contextlib.suppress(OSError):
            while (await receive())["type"] != "http.disconnect":
                pass
        self.listener.close()


@router.get(
    "/{event_id}/stream",
    dependencies=[ReaderDep],
    status_code=200,  # FastAPI cannot read it from a Response subclass of ours
    response_class=SummaryStream,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "summary events"},
        # Errors are raised before the stream starts, so they are JSON like every other 4xx.
        "4XX": {
            "content": {"application/json": {"schema": ERROR_BODY_REF}},
            "description": "error",
        },
    },
)
async def stream_summary(
    event_id: PathId,
    *,
    request: Request,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
) -> SummaryStream:
    """The current summary at once (unless `Last-Event-ID` is current), then one per change."""
    since = parse_last_event_id(last_event_id)
    hub: StreamHub = request.app.state.stream_hub
    settings = request.app.state.settings
    listener = hub.listen(event_id)
    try:
        summary = await run_in_threadpool(
            read_summary_now, request.app.state.session_factory, event_id
        )
    except BaseException:
        hub.remove(listener)
        raise
    if summary is None:
        hub.remove(listener)
        raise NotFoundError(f"event {event_id} not found")
    current, body = summary
    client_is_current = since == current
    listener.last_version = max(listener.last_version, current)
    return SummaryStream(
        hub=hub,
        listener=listener,
        first=None if client_is_current else sse_frame(current, body),
        sent_version=current,
        heartbeat_s=settings.stream_heartbeat_s,
        send_timeout_s=settings.stream_send_timeout_s,
    )
