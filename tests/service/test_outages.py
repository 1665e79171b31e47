"""The API under database faults: commit before the answer, 503 with Retry-After, JSON 5xx."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session, sessionmaker
from starlette.types import Message, Receive, Scope, Send

from service.app import create_app
from store.models import Document
from tests.factories import AUTH, make_settings

TEXT = "“The harbour plan is a bold, welcome step,” said Mara Ilves, a councillor in Tallinn."
# Nothing listens here (the port range of issue 15's fault benchmark, never a real server).
DEAD_DATABASE_URL = "postgresql://postgres@127.0.0.1:18599/none"


class OrderRecorder:
    """Wraps an ASGI app and notes when the response starts, next to what else is noted."""

    def __init__(self, app: FastAPI, seen: list[str]) -> None:
        self.app = app
        self.seen = seen

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass everything through; note `response.start` as it is sent."""

        async def noting_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.seen.append("response.start")
            await send(message)

        await self.app(scope, receive, noting_send)


@pytest.fixture
def app(factory: sessionmaker[Session], postgres_url: str, redis_url: str) -> FastAPI:
    """The API on the test database and Redis."""
    return create_app(make_settings(database_url=postgres_url, redis_url=redis_url))


def stored_documents(factory: sessionmaker[Session]) -> int:
    """How many documents are stored."""
    with factory() as session:
        return session.scalar(select(func.count()).select_from(Document)) or 0


@contextmanager
def listening(
    target: sessionmaker[Session], name: str, listener: Callable[[Session], None]
) -> Iterator[None]:
    """Attach a session event listener for the duration of a test."""
    event.listen(target, name, listener)
    try:
        yield
    finally:
        event.remove(target, name, listener)


def test_the_commit_happens_before_the_response_starts(app: FastAPI) -> None:
    seen: list[str] = []
    with (
        listening(app.state.session_factory, "after_commit", lambda _s: seen.append("commit")),
        TestClient(OrderRecorder(app, seen)) as client,
    ):
        response = client.post("/v1/documents", json={"text": TEXT}, headers=AUTH)
    assert response.status_code == 202
    assert seen == ["commit", "response.start"]


def test_a_commit_that_loses_the_database_answers_503_and_stores_nothing(
    app: FastAPI, factory: sessionmaker[Session], postgres_url: str
) -> None:
    def kill_own_backend(session: Session) -> None:
        """A real fault at the worst moment: the server ends this connection before COMMIT."""
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with psycopg.connect(postgres_url, autocommit=True, connect_timeout=5) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))

    with (
        listening(app.state.session_factory, "before_commit", kill_own_backend),
        TestClient(app) as client,
    ):
        response = client.post("/v1/documents", json={"text": TEXT}, headers=AUTH)
    assert response.status_code == 503
    assert "unavailable" in response.json()["detail"]
    assert response.headers["Retry-After"] == "5"
    assert stored_documents(factory) == 0


def test_an_unreachable_database_answers_503_and_readyz_says_why(redis_url: str) -> None:
    down = create_app(make_settings(database_url=DEAD_DATABASE_URL, redis_url=redis_url))
    with TestClient(down) as client:
        post = client.post("/v1/documents", json={"text": TEXT}, headers=AUTH)
        read = client.get("/v1/events")
        ready = client.get("/readyz")
    for response in (post, read):
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/json"
        assert response.headers["Retry-After"] == "5"
        assert "OperationalError" in response.json()["detail"]
    assert ready.status_code == 503
    reason = ready.json()["checks"]["database"]
    assert reason.startswith("unreachable: OperationalError: ")
    assert "18599" in reason or "refused" in reason
    assert ready.json()["checks"]["broker"] == "ok"


def test_a_bug_answers_a_json_500(app: FastAPI) -> None:
    def broken() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/broken", broken)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/broken")
    assert response.status_code == 500
    assert response.json() == {"detail": "internal server error"}
