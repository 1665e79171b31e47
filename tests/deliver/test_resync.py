"""A version whose publish never happened still reaches the stream clients (compose-mode API)."""

import threading
from collections.abc import Iterator

import pytest
import uvicorn
from sqlalchemy.orm import Session, sessionmaker

from service.app import create_app
from store.db import session_scope
from store.repositories import summaries
from taskqueue import CelerySender
from tests.deliver.helpers import StreamClient, api, wait_for
from tests.e2e.conftest import free_port, wait_ready
from tests.factories import make_settings

pytestmark = pytest.mark.postgres


@pytest.fixture
def compose_api(factory: sessionmaker[Session], postgres_url: str, redis_url: str) -> Iterator[str]:
    """The compose-mode API (Redis relay, resync every 0.5 s) on uvicorn; its base URL."""
    settings = make_settings(
        database_url=postgres_url,
        redis_url=redis_url,
        stream_resync_s=0.5,
        stream_heartbeat_s=0.3,
    )
    app = create_app(settings, sender=CelerySender(redis_url))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        wait_ready(f"http://127.0.0.1:{port}", {}, timeout=20)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_an_unpublished_version_reaches_the_client_by_resync(
    compose_api: str, factory: sessionmaker[Session]
) -> None:
    event = api(compose_api, "POST", "/v1/events", json={"title": "Kite", "keywords": ["Kite"]})
    client = StreamClient(f"{compose_api}/v1/events/{event['id']}/stream").start()
    try:
        wait_for(lambda: client.versions() == [0], timeout=5, what="the current summary")
        # A worker committed version 1 while Redis was down: stored, never published.
        with session_scope(factory) as session:
            [(_, version)] = summaries.rebuild_summaries(session, [event["id"]])
        assert version == 1
        wait_for(lambda: client.versions() == [0, 1], timeout=5, what="the resynced version")
    finally:
        client.stop()
