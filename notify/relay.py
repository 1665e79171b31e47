"""The one Redis subscriber connection of an API process, relaying messages into its hub."""

import asyncio
import logging
from collections.abc import Awaitable, Callable

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from notify.hub import StreamHub
from notify.publish import channel_for, decode_message

log = logging.getLogger(__name__)

MAX_BACKOFF_S = 10.0


async def relay_from_redis(
    redis_url: str, hub: StreamHub, *, resync: Callable[[], Awaitable[None]]
) -> None:
    """Subscribe and fan out until cancelled; after each (re)connect, `resync` what was missed."""
    backoff = 0.5
    channel = channel_for(redis_url)
    while True:
        client = aioredis.Redis.from_url(
            redis_url, socket_connect_timeout=5, health_check_interval=15
        )
        try:
            async with client.pubsub(ignore_subscribe_messages=True) as pubsub:
                await pubsub.subscribe(channel)
                backoff = 0.5
                await resync()
                async for message in pubsub.listen():
                    decoded = decode_message(message["data"])
                    if decoded is not None:
                        event_id, version, body = decoded
                        hub.fan_out(event_id, version, body=body)
        except (RedisError, OSError) as exc:
            log.warning("summary relay lost Redis (%s); reconnecting in %.1f s", exc, backoff)
        finally:
            await client.aclose()
        await asyncio.sleep(backoff)
        backoff = min(backoff * 2, MAX_BACKOFF_S)
