"""End to end on the compose commands: API, Celery worker and beat on Redis and PostgreSQL."""

import time
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from schemas.documents import DocumentCreate
from store.db import session_scope
from store.repositories import documents
from tests.e2e.conftest import Stack
from tests.factories import AUTH, pipeline_docs

pytestmark = pytest.mark.e2e


def wait_processed(stack: Stack, document_id: int, timeout: float = 60) -> dict[str, Any]:
    """Poll the document until it leaves `queued`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body: dict[str, Any] = httpx.get(
            f"{stack.base_url}/v1/documents/{document_id}", timeout=5
        ).json()
        if body["status"] != "queued":
            return body
        time.sleep(0.2)
    pytest.fail(f"document {document_id} still queued after {timeout}s\n{stack.log_tails()}")


def test_one_document_through_the_compose_commands(
    stack: Stack, factory: sessionmaker[Session]
) -> None:
    doc = pipeline_docs()[2]
    response = httpx.post(f"{stack.base_url}/v1/documents", json=doc, headers=AUTH, timeout=10)
    assert response.status_code == 202
    body = wait_processed(stack, response.json()["id"])
    assert body["status"] == "processed"
    assert [(r["person"]["name"], r["role"]) for r in body["reactions"]] == [
        ("Ruth Alder", "a council member"),
        ("Clara Jensen", None),
    ]


def test_three_documents_give_exact_summary_figures(
    stack: Stack, factory: sessionmaker[Session]
) -> None:
    event = httpx.post(
        f"{stack.base_url}/v1/events",
        json={"title": "Zephyr", "keywords": ["Zephyr"], "match": "any"},
        headers=AUTH,
        timeout=10,
    ).json()
    for doc in pipeline_docs():  # one at a time, so each document is one version
        posted = httpx.post(f"{stack.base_url}/v1/documents", json=doc, headers=AUTH, timeout=10)
        assert wait_processed(stack, posted.json()["id"])["status"] == "processed"
    summary = httpx.get(f"{stack.base_url}/v1/events/{event['id']}/summary", timeout=5).json()
    # By hand from the fixtures: compounds 0.8176, -0.8176, 0.9217, -0.8074, 0.0; mean
    # 0.1143 / 5 = 0.02286; mean of squares 2.83836517 / 5 = 0.56767303, minus 0.02286 squared
    # gives variance 0.56715046, standard deviation 0.75309.
    assert (summary["reactions"], summary["people"], summary["documents"]) == (5, 3, 3)
    assert summary["version"] == 3
    assert summary["sentiment"] == {
        "mean": 0.0229,
        "median": 0.0,
        "stddev": 0.7531,
        "positive": 2,
        "neutral": 1,
        "negative": 2,
        "shares": {"positive": 0.4, "neutral": 0.2, "negative": 0.4},
    }
    assert [r["person"]["name"] for r in summary["top_positive"]] == ["Owen Price", "Clara Jensen"]
    assert [r["person"]["name"] for r in summary["top_negative"]] == ["Owen Price", "Ruth Alder"]


def test_beat_resends_a_document_whose_message_was_lost(
    stack: Stack, factory: sessionmaker[Session]
) -> None:
    with session_scope(factory) as session:
        document, _ = documents.create_document(session, DocumentCreate(**pipeline_docs()[0]))
    assert wait_processed(stack, document.id, timeout=30)["status"] == "processed"
