"""Publishers of new summaries: Redis pub/sub across processes, or the in-process hub.

A summary travels as the JSON its row stores, never decoded on the way: the message is a line
`<event id> <version>` and the encoded summary, which the hub sends and caches as it is.
"""

import logging
from typing import Protocol
from urllib.parse import urlsplit

import redis

log = logging.getLogger(__name__)

PUBLISH_TRIES = 2


class SummaryPublisher(Protocol):
    """Anything that tells stream clients about a summary; never raises."""

    def publish(self, event_id: int, version: int, *, body: bytes) -> None:
        """Publish the encoded summary of `event_id` at `version` (which orders the updates)."""


def channel_for(redis_url: str) -> str:
    """The pub/sub channel of this Redis database (channels ignore database numbers)."""
    database = urlsplit(redis_url).path.strip("/") or "0"
    return f"reactions:summaries:{database}"


def encode_message(event_id: int, version: int, *, body: bytes) -> bytes:
    """The pub/sub message of an encoded summary."""
    return b"%d %d\n" % (event_id, version) + body


def decode_message(raw: bytes | str) -> tuple[int, int, bytes] | None:
    """The (event id, version, encoded summary) of a pub/sub message; None when malformed."""
    data = raw.encode() if isinstance(raw, str) else raw
    head, newline, body = data.partition(b"\n")
    fields = head.split()
    if not newline or len(fields) != 2 or not all(f.isdigit() for f in fields):
        return None
    if not body.startswith(b"{") or b"\n" in body:
        return None
    return int(fields[0]), int(fields[1]), body


class RedisPublisher:
    """Publishes to the Redis channel every API process subscribes to (3 s timeouts)."""

    def __init__(self, redis_url: str) -> None:
        self._client = redis.Redis.from_url(redis_url, socket_timeout=3, socket_connect_timeout=3)
        self._channel = channel_for(redis_url)

    def publish(self, event_id: int, version: int, *, body: bytes) -> None:
        """Publish, once more on a fresh connection if the pooled one died (Redis restarted);
        a failure is logged: API processes resync from the stored summaries, on reconnecting
        and every `REACTIONS_STREAM_RESYNC_S`."""
        message = encode_message(event_id, version, body=body)
        for attempt in range(PUBLISH_TRIES):
            try:
                self._client.publish(self._channel, message)
                return
            except redis.RedisError as exc:
                if attempt + 1 == PUBLISH_TRIES:
                    log.warning(
                        "could not publish summary %s of event %s: %s", version, event_id, exc
                    )
