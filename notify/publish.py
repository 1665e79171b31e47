"""Publishers of new summaries: Redis pub/sub across processes, or the in-process hub."""

import json
import logging
from typing import Any, Protocol
from urllib.parse import urlsplit

import redis

log = logging.getLogger(__name__)


class SummaryPublisher(Protocol):
    """Anything that tells stream clients about a summary; never raises."""

    def publish(self, event_id: int, summary: dict[str, Any]) -> None:
        """Publish the summary of `event_id` (its `version` orders the updates)."""


def channel_for(redis_url: str) -> str:
    """The pub/sub channel of this Redis database (channels ignore database numbers)."""
    database = urlsplit(redis_url).path.strip("/") or "0"
    return f"reactions:summaries:{database}"


def encode_message(event_id: int, summary: dict[str, Any]) -> str:
    """The pub/sub message of a summary."""
    return json.dumps({"event_id": event_id, "summary": summary}, separators=(",", ":"))


def decode_message(raw: bytes | str) -> tuple[int, dict[str, Any]] | None:
    """The (event id, summary) of a pub/sub message, or None when it is malformed."""
    try:
        message = json.loads(raw)
        event_id, summary = int(message["event_id"]), message["summary"]
    except (ValueError, KeyError, TypeError):
        return None
    return (event_id, summary) if isinstance(summary, dict) else None


class RedisPublisher:
    """Publishes to the Redis channel every API process subscribes to (3 s timeouts)."""

    def __init__(self, redis_url: str) -> None:
        self._client = redis.Redis.from_url(redis_url, socket_timeout=3, socket_connect_timeout=3)
        self._channel = channel_for(redis_url)

    def publish(self, event_id: int, summary: dict[str, Any]) -> None:
        """Publish; a failure is logged (API processes resync when their connection comes back)."""
        try:
            self._client.publish(self._channel, encode_message(event_id, summary))
        except redis.RedisError:
            log.exception(
                "could not publish summary %s of event %s", summary.get("version"), event_id
            )
