"""The per-process summary cache: newest version wins, invalidation beats in-flight reads, TTL."""

import time

from notify.cache import InvalidatingSender, SummaryCache
from schemas.tasks import PROCESS_DOCUMENT, SUMMARY_CHANGED


class Recorder:
    """A TaskSender test double that records what it is asked to send."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, tuple[int, ...]]] = []

    def send(self, name: str, *args: int, countdown: float = 0) -> None:
        """Record the task."""
        self.sent.append((name, args))


def test_newest_version_wins_and_stale_entries_expire() -> None:
    cache = SummaryCache(ttl_s=0.05)
    cache.put(1, 3, body=b"v3")
    cache.put(1, 2, body=b"v2")
    assert cache.get(1) == b"v3"
    cache.put(1, 4, body=b"v4")
    assert cache.get(1) == b"v4"
    time.sleep(0.06)
    assert cache.get(1) is None


def test_a_read_that_began_before_an_invalidation_is_not_kept() -> None:
    cache = SummaryCache()
    noted = cache.generation(7)
    cache.invalidate(7)
    cache.put(7, 1, body=b"old", generation=noted)
    assert cache.get(7) is None
    cache.put(7, 2, body=b"new", generation=cache.generation(7))
    assert cache.get(7) == b"new"


def test_the_cache_stays_bounded() -> None:
    cache = SummaryCache(max_events=2)
    for event_id in range(5):
        cache.put(event_id, 1, body=b"x")
    assert sum(cache.get(event_id) is not None for event_id in range(5)) == 2


def test_the_sender_invalidates_announced_changes_only() -> None:
    cache = SummaryCache()
    cache.put(3, 1, body=b"v1")
    cache.put(4, 1, body=b"v1")
    recorder = Recorder()
    sender = InvalidatingSender(recorder, cache)
    sender.send(PROCESS_DOCUMENT, 4)
    sender.send(SUMMARY_CHANGED, 3, 2)
    assert (cache.get(3), cache.get(4)) == (None, b"v1")
    assert recorder.sent == [(PROCESS_DOCUMENT, (4,)), (SUMMARY_CHANGED, (3, 2))]


def test_clearing_also_discards_reads_in_flight() -> None:
    cache = SummaryCache()
    cache.put(1, 1, body=b"v1")
    noted = cache.generation(2)
    cache.clear()
    cache.put(2, 5, body=b"read before the clear", generation=noted)
    assert (cache.get(1), cache.get(2)) == (None, None)


def test_a_late_older_version_does_not_replace_an_announced_change() -> None:
    cache = SummaryCache()
    cache.put(5, 4, body=b"v4")
    InvalidatingSender(Recorder(), cache).send(SUMMARY_CHANGED, 5, 6)
    assert cache.get(5) is None
    cache.put(5, 5, body=b"v5")  # the announcement of the change before arrives after this one
    assert cache.get(5) is None
    cache.put(5, 6, body=b"v6")
    assert cache.get(5) == b"v6"
