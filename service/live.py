"""The app's lifespan for live streams: start the hub and, with Redis, its one subscriber."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

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
    redis_url = app.state.settings.redis_url
    tasks: list[asyncio.Task[None]] = []
    if redis_url:

        async def push_stored() -> None:
            """Push the stored summary of every watched event; the hub sends each client only
            a version newer than the one it has."""
            for event_id in hub.event_ids():
                summary = await run_in_threadpool(
                    read_summary_now, app.state.session_factory, event_id
                )
                if summary is not None:
                    version, body = summary
                    hub.fan_out(event_id, version, body=body)

        async def resync() -> None:
            """After a (re)connect, drop cached summaries (updates may have been missed) and
            push the current summary of every watched event."""
            hub.cache.clear()
            await push_stored()

        tasks.append(asyncio.create_task(relay_from_redis(redis_url, hub, resync=resync)))
        interval = app.state.settings.stream_resync_s
        tasks.append(asyncio.create_task(keep_in_step(push_stored, interval=interval)))
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        hub.stop()


async def keep_in_step(push: Callable[[], Awaitable[None]], *, interval: float) -> None:
    """Every `interval` seconds push the stored summaries, so a version whose publish was lost
    (Redis down when a worker committed it) reaches the clients all the same; until cancelled."""
    while True:
        await asyncio.sleep(interval)
        try:
            await push()
        except Exception as exc:  # the database may be down too; the next round tries again
            log.warning("stream resync failed: %s", exc)
