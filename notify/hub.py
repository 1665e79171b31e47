"""Fan-out of summary updates to the stream clients of one process, through bounded queues."""

import asyncio
import contextlib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial

from notify.cache import SummaryCache

Frame = tuple[int, bytes]
"""A summary version and its encoded Server-Sent Events message."""

GONE = b'{"deleted": true}'
"""The body announced for an event that no longer exists (deleted, merged, an emptied story)."""


def sse_frame(version: int, body: bytes) -> bytes:
    """The `event: summary` message of an encoded summary (one line of JSON), `id` its version."""
    return b"id: %d\nevent: summary\ndata: " % version + body + b"\n\n"


@dataclass(eq=False)
class Listener:
    """One stream client: a bounded queue of frames; `dropped` ends its stream."""

    event_id: int
    queue: asyncio.Queue[Frame]
    last_version: int = 0
    dropped: asyncio.Event = field(default_factory=asyncio.Event)

    def close(self) -> None:
        """End the stream: mark it dropped and wake its loop if it is waiting for a frame."""
        self.dropped.set()
        with contextlib.suppress(asyncio.QueueFull):
            self.queue.put_nowait((0, b""))


class StreamHub:
    """Holds the listeners per event and hands each new version to them without ever waiting.

    Each frame is a whole summary, so a client whose queue is full loses its oldest pending
    frame, never the latest; a client that stops reading is dropped by its stream's send timeout.
    Every method but `publish` runs on the event loop the hub was started on.
    """

    def __init__(self, *, queue_size: int = 16, cache: SummaryCache | None = None) -> None:
        self._queue_size = queue_size
        self.cache = cache or SummaryCache()
        self._listeners: dict[int, set[Listener]] = defaultdict(set)
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self) -> None:
        """Bind to the running event loop (at app start-up), so threads can publish into it."""
        self._loop = asyncio.get_running_loop()

    def stop(self) -> None:
        """Drop every listener and unbind from the loop (at app shutdown)."""
        for listeners in self._listeners.values():
            for listener in listeners:
                listener.close()
        self._listeners.clear()
        self._loop = None

    def listen(self, event_id: int) -> Listener:
        """Register a client of `event_id`'s stream."""
        listener = Listener(event_id=event_id, queue=asyncio.Queue(self._queue_size))
        self._listeners[event_id].add(listener)
        return listener

    def remove(self, listener: Listener) -> None:
        """Unregister a client (its stream ended)."""
        listeners = self._listeners.get(listener.event_id)
        if listeners is not None:
            listeners.discard(listener)
            if not listeners:
                del self._listeners[listener.event_id]

    def event_ids(self) -> list[int]:
        """Events that have at least one client, for a resync after a lost connection."""
        return list(self._listeners)

    def listener_count(self) -> int:
        """How many clients are connected."""
        return sum(len(listeners) for listeners in self._listeners.values())

    def fan_out(self, event_id: int, version: int, *, body: bytes) -> None:
        """Queue this version for every client of the event that has not had it; drop laggards.
        An event announced gone leaves the cache and ends its clients' streams at once."""
        if body == GONE:
            self.cache.invalidate(event_id)
            for listener in self._listeners.pop(event_id, set()):
                listener.close()
            return
        self.cache.put(event_id, version, body=body)
        listeners = self._listeners.get(event_id)
        if not listeners:
            return
        frame: Frame | None = None
        for listener in listeners:
            if version <= listener.last_version:
                continue
            frame = frame or (version, sse_frame(version, body))
            if listener.queue.full():
                listener.queue.get_nowait()  # superseded by this newer whole summary
            listener.queue.put_nowait(frame)
            listener.last_version = version

    def publish(self, event_id: int, version: int, *, body: bytes) -> None:
        """Thread-safe entry (embedded workers): fan out on the hub's loop; no-op before start."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        loop.call_soon_threadsafe(partial(self.fan_out, event_id, version, body=body))
