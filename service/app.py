"""The FastAPI app factory: wires settings, the session factory and the task sender."""

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from config import Settings, get_settings
from notify import StreamHub
from notify.cache import InvalidatingSender
from schemas.errors import ERROR_RESPONSES
from service import dashboard, telemetry
from service.errors import install_error_handlers
from service.limits import RequestBodyGuard
from service.live import stream_lifespan
from service.routes import documents, events, health, people, sources, stream, subscriptions
from service.telemetry import RequestTelemetry
from store.db import session_factory
from taskqueue import CelerySender, TaskSender


def create_app(
    settings: Settings | None = None,
    *,
    sender: TaskSender | None = None,
    hub: StreamHub | None = None,
) -> FastAPI:
    """Build the API; without an explicit sender, tasks go to Celery over `REDIS_URL`.

    Without an explicit stream hub, the app makes its own and feeds it from Redis pub/sub.
    """
    settings = settings or get_settings()
    if sender is None:
        if settings.redis_url is None:
            raise ValueError("no task sender: set REACTIONS_REDIS_URL or run `reactions serve`")
        sender = CelerySender(settings.redis_url)
    # Swagger UI and ReDoc from the assets fastapi-offline ships: /docs works with no internet.
    app = FastAPIOffline(
        title="Reactions",
        version="1.0",
        description="Who reacted to an event, how, and what each person said.",
        lifespan=stream_lifespan,
        favicon_url=f"{dashboard.STATIC_URL}/favicon.svg",
    )
    app.state.settings = settings
    app.state.session_factory = session_factory(settings.database_url, settings.db_pool_size)
    app.state.stream_hub = hub or StreamHub(queue_size=settings.stream_queue_size)
    app.state.sender = InvalidatingSender(sender, app.state.stream_hub.cache)
    install_error_handlers(app)
    for module in (health, documents, events, people, sources, subscriptions, stream):
        app.include_router(module.router, responses=ERROR_RESPONSES)
    app.include_router(dashboard.router)
    app.include_router(telemetry.router)
    app.mount(dashboard.STATIC_URL, StaticFiles(directory=dashboard.STATIC_DIR), name="dashboard")
    app.add_middleware(RequestBodyGuard, max_bytes=settings.max_document_bytes)
    app.add_middleware(RequestTelemetry)  # outermost: it also sees the guard's 413s
    return app


def create_production_app() -> FastAPI:
    """Factory for `uvicorn --factory`: settings from the environment, Celery sender."""
    return create_app()
