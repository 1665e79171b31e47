"""The app's lifespan for live streams: start the hub and, with Redis, its one subscriber."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from notify import StreamHub
from notify.relay import relay_from_redis
from service.routes.stream import read_summary_now

log = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def stream_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Bind the hub to the loop; in compose mode relay Redis pub/sub into it until shutdown."""
    hub: StreamHub = app.state.stream_hub
    hub.start()
    relay: asyncio.Task[None] | None = None
    redis_url = app.state.settings.redis_url
    if redis_url:

        async def resync() -> None:
            """After a (re)connect, drop cached summaries (updates may have been missed) and
            push the current summary of every watched event."""
            hub.cache.clear()
            for event_id in hub.event_ids():
                summary = await run_in_threadpool(
                    read_summary_now, app.state.session_factory, event_id
                )
                if summary is not None:
                    hub.fan_out(event_id, *summary)

        relay = asyncio.create_task(relay_from_redis(redis_url, hub, resync=resync))
    try:
        yield
    finally:
        if relay is not None:
            relay.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await relay
        hub.stop()
