"""The latest summary of each event, kept in one API process so most reads touch no database.

Filled from database reads and from the stream of committed updates that feeds the live clients
(Redis pub/sub in compose mode, in-process in embedded mode). A change this process commits
itself drops the entry at once (`InvalidatingSender`), and a read that began before that drop
is not kept, so a client reads its own writes; an entry older than `ttl_s` is not served, so a
lost update leaves other readers behind by at most that long.
"""

import threading
import time

from schemas.tasks import SUMMARY_CHANGED
from taskqueue.senders import TaskSender

MAX_EVENTS = 10_000


class SummaryCache:
    """Encoded summaries by event, newest version wins, bounded in size and age."""

    def __init__(self, *, ttl_s: float = 30.0, max_events: int = MAX_EVENTS) -> None:
        self._ttl_s = ttl_s
        self._max_events = max_events
        # version, encoded summary (None: only the version is known, see `invalidate`), when
        self._entries: dict[int, tuple[int, bytes | None, float]] = {}
        self._generations: dict[int, int] = {}
        self._epoch = 0
        self._lock = threading.Lock()

    def get(self, event_id: int) -> bytes | None:
        """The encoded summary, if one fresher than the TTL is held."""
        entry = self._entries.get(event_id)
        if entry is None or time.monotonic() - entry[2] > self._ttl_s:
            return None
        return entry[1]

    def generation(self, event_id: int) -> tuple[int, int]:
        """How often the entry (or the whole cache) was invalidated; noted before a read."""
        return self._epoch, self._generations.get(event_id, 0)

    def put(
        self,
        event_id: int,
        version: int,
        *,
        body: bytes,
        generation: tuple[int, int] | None = None,
    ) -> None:
        """Keep this version unless a newer one is held or the entry was invalidated since
        `generation` was noted; evict the stalest entry when full."""
        with self._lock:
            if generation is not None and generation != self.generation(event_id):
                return
            held = self._entries.get(event_id)
            if held is not None and held[0] > version:
                return
            self._store(event_id, version, body)

    def invalidate(self, event_id: int, version: int = 0) -> None:
        """Forget an event's entry (its summary changed in this process). Given the new
        `version`, remember it, so an older version that arrives late (a slower announcement
        of an earlier change) is not kept in its place."""
        with self._lock:
            if version:
                self._store(event_id, version, None)
            else:
                self._entries.pop(event_id, None)
            self._generations[event_id] = self._generations.get(event_id, 0) + 1
            if len(self._generations) > self._max_events:
                self._generations.clear()
                self._epoch += 1

    def _store(self, event_id: int, version: int, body: bytes | None) -> None:
        """Hold this entry, evicting the stalest one when full (the caller holds the lock)."""
        if event_id not in self._entries and len(self._entries) >= self._max_events:
            oldest = min(self._entries, key=lambda key: self._entries[key][2])
            del self._entries[oldest]
        self._entries[event_id] = (version, body, time.monotonic())

    def clear(self) -> None:
        """Forget everything, including what reads in flight would bring back (updates were
        possibly missed)."""
        with self._lock:
            self._entries.clear()
            self._generations.clear()
            self._epoch += 1


class InvalidatingSender:
    """A task sender that drops the cached summary of each change this process announces."""

    def __init__(self, inner: TaskSender, cache: SummaryCache) -> None:
        self._inner = inner
        self._cache = cache

    def send(self, name: str, *args: int, countdown: float = 0) -> None:
        """Invalidate on `summary_changed`, then send as the wrapped sender does."""
        if name == SUMMARY_CHANGED and args:
            self._cache.invalidate(args[0], args[1] if len(args) > 1 else 0)
        self._inner.send(name, *args, countdown=countdown)

    @property
    def alive(self) -> bool:
        """Whether the wrapped sender's worker runs (embedded mode's readiness)."""
        return bool(getattr(self._inner, "alive", True))
