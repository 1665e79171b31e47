"""The Redis relay of an API process: one subscriber, fan-out, and a resync after reconnecting."""

import asyncio
import contextlib

import pytest
import redis

from notify import RedisPublisher, StreamHub
from notify.relay import relay_from_redis
from tests.conftest import unavailable
from tests.deliver.conftest import DELIVER_REDIS_URL
from tests.deliver.helpers import run_async

pytestmark = pytest.mark.redis


def test_relay_fans_out_and_resyncs_after_a_lost_connection() -> None:
    admin = redis.Redis.from_url(DELIVER_REDIS_URL, socket_timeout=3, socket_connect_timeout=3)
    try:
        admin.ping()
    except redis.RedisError as exc:
        unavailable(f"Redis at {DELIVER_REDIS_URL} ({exc})")

    async def scenario() -> tuple[list[int], int]:
        hub = StreamHub()
        hub.start()
        listener = hub.listen(5)
        resyncs = 0

        async def resync() -> None:
            nonlocal resyncs
            resyncs += 1
            hub.fan_out(5, 10 * resyncs, body=b'{"version":%d}' % (10 * resyncs))

        relay = asyncio.create_task(relay_from_redis(DELIVER_REDIS_URL, hub, resync=resync))
        got = [(await asyncio.wait_for(listener.queue.get(), 5))[0]]  # the first resync
        publisher = RedisPublisher(DELIVER_REDIS_URL)
        await asyncio.to_thread(publisher.publish, 5, 11, body=b'{"version":11}')
        got.append((await asyncio.wait_for(listener.queue.get(), 5))[0])
        await asyncio.to_thread(admin.client_kill_filter, _type="pubsub")
        got.append((await asyncio.wait_for(listener.queue.get(), 5))[0])  # resync on reconnect
        relay.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await relay
        return got, resyncs

    try:
        versions, resyncs = run_async(scenario)
    finally:
        admin.close()
    assert versions == [10, 11, 20]
    assert resyncs == 2
