"""POST/GET /v1/documents on the real PostgreSQL and Redis: queuing, dedupe, bad input."""

import json
from collections.abc import Iterator

import redis
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from schemas.tasks import PROCESS_DOCUMENT
from store.models import Document
from tests.factories import AUTH

TEXT = "“We are thrilled with the result,” said Ada Lovelace, a board member at Example Corp."


def queued_task_names(broker: redis.Redis) -> list[str]:
    """Task names of the messages waiting in Celery's default queue."""
    raw_messages: list[bytes] = broker.lrange("celery", 0, -1)  # type: ignore[assignment]
    return [json.loads(raw)["headers"]["task"] for raw in raw_messages]


def count_documents(factory: sessionmaker[Session]) -> int:
    """How many documents are stored."""
    with factory() as session:
        return session.scalar(select(func.count()).select_from(Document)) or 0


def test_post_queues_once_and_repost_returns_same_id(
    client: TestClient, broker: redis.Redis, factory: sessionmaker[Session]
) -> None:
    first = client.post("/v1/documents", json={"text": TEXT, "title": "Result"}, headers=AUTH)
    assert first.status_code == 202
    assert first.json()["status"] == "queued"
    assert queued_task_names(broker) == [PROCESS_DOCUMENT]

    again = client.post("/v1/documents", json={"text": TEXT + "\n"}, headers=AUTH)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert queued_task_names(broker) == [PROCESS_DOCUMENT]
    assert count_documents(factory) == 1

    read = client.get(f"/v1/documents/{first.json()['id']}")
    assert read.status_code == 200
    assert read.json() == {
        "id": first.json()["id"],
        "status": "queued",
        "error": None,
        "title": "Result",
        "url": None,
        "reactions": [],
    }


def test_writes_need_the_token(client: TestClient, factory: sessionmaker[Session]) -> None:
    missing = client.post("/v1/documents", json={"text": TEXT})
    wrong = client.post(
        "/v1/documents", json={"text": TEXT}, headers={"Authorization": "Bearer nope"}
    )
    assert (missing.status_code, wrong.status_code) == (401, 401)
    assert "Authorization" in missing.json()["detail"]
    assert count_documents(factory) == 0


def test_bad_input_is_refused_naming_the_field(
    client: TestClient, broker: redis.Redis, factory: sessionmaker[Session]
) -> None:
    cases = {
        "empty": {"text": "   "},
        "nul": {"text": "a\x00b"},
        "missing": {"title": "no text"},
        "type": {"text": 12},
        "unknown": {"text": TEXT, "colour": "red"},
    }
    for name, body in cases.items():
        response = client.post("/v1/documents", json=body, headers=AUTH)
        assert response.status_code == 422, name
        locs = [err["loc"] for err in response.json()["detail"]]
        assert any(("text" in loc) or ("colour" in loc) for loc in locs), (name, locs)

    surrogate = client.post(
        "/v1/documents",
        content=b'{"text": "bad \\ud800 surrogate"}',
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert surrogate.status_code == 422
    assert surrogate.json()["detail"][0]["loc"] == ["body", "text"]

    not_utf8 = client.post(
        "/v1/documents",
        content=b'{"text": "caf\xe9"}',
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert not_utf8.status_code == 422

    not_json = client.post(
        "/v1/documents", content=b"{not json", headers={**AUTH, "Content-Type": "application/json"}
    )
    assert not_json.status_code == 422
    assert count_documents(factory) == 0
    assert queued_task_names(broker) == []


def test_body_over_the_limit_is_413(client: TestClient, factory: sessionmaker[Session]) -> None:
    limit = client.app.state.settings.max_document_bytes  # type: ignore[attr-defined]
    big = json.dumps({"text": "x" * limit}).encode()
    response = client.post(
        "/v1/documents", content=big, headers={**AUTH, "Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert str(limit) in response.json()["detail"]

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(limit // 65536 + 2):
            yield b"y" * 65536
        yield b'"}'

    streamed = client.post(
        "/v1/documents", content=chunks(), headers={**AUTH, "Content-Type": "application/json"}
    )
    assert streamed.status_code == 413
    assert count_documents(factory) == 0


def test_unknown_ids_are_404(client: TestClient) -> None:
    for path in (
        "/v1/documents/999",
        "/v1/events/999",
        "/v1/events/999/summary",
        "/v1/events/999/reactions",
        "/v1/people/999",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "999" in response.json()["detail"]
