"""The operator edge on the real PostgreSQL and Redis: X-Request-ID, /metrics, JSON logs, and
the counters the pipeline jobs keep."""

import io
import json
import logging
from datetime import timedelta

from fastapi.testclient import TestClient
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from store.db import session_scope
from store.models import Document, utcnow
from taskqueue import InProcessSender
from telemetry.logs import JsonFormatter, bind
from tests.factories import AUTH, make_settings, pipeline_docs
from workers.pipeline import observe
from workers.pipeline.jobs import PipelineJobs
from workers.pipeline.process import Attempt

TEXT = "“It is a remarkable, generous release,” said Ines Duarte, a researcher at Harbor AI."


def scraped(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of /metrics, by name and sorted labels."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def requests_of(route: str, status: str) -> float:
    """The API request counter for a route template and status, in this process."""
    labels = {"method": "GET", "route": route, "status": status}
    return REGISTRY.get_sample_value("reactions_http_requests_total", labels) or 0.0


def test_a_given_request_id_is_returned_and_a_missing_one_made(client: TestClient) -> None:
    given = client.get("/healthz", headers={"X-Request-ID": "abc-123.x"})
    assert given.headers["X-Request-ID"] == "abc-123.x"
    made = client.get("/healthz")
    assert len(made.headers["X-Request-ID"]) == 32
    forged = client.get("/healthz", headers={"X-Request-ID": 'x" , "level": "ERROR'})
    assert forged.headers["X-Request-ID"] != 'x" , "level": "ERROR'


def test_metrics_count_requests_by_route_template_and_status(client: TestClient) -> None:
    before = requests_of("/v1/documents/{document_id}", "404")
    for missing in (9001, 9002):
        assert client.get(f"/v1/documents/{missing}").status_code == 404
    assert requests_of("/v1/documents/{document_id}", "404") == before + 2
    samples = scraped(client)
    key = (
        "reactions_http_requests_total",
        (("method", "GET"), ("route", "/v1/documents/{document_id}"), ("status", "404")),
    )
    assert samples[key] == before + 2
    assert not any("9001" in str(labels) for _name, labels in samples)
    latency = (
        "reactions_http_request_duration_seconds_count",
        (("method", "GET"), ("route", "/v1/documents/{document_id}")),
    )
    assert samples[latency] >= 2


def test_metrics_show_the_queue_depth(client: TestClient) -> None:
    assert scraped(client)[("reactions_documents_queued", ())] == 0
    assert client.post("/v1/documents", json={"text": TEXT}, headers=AUTH).status_code == 202
    samples = scraped(client)
    assert samples[("reactions_documents_queued", ())] == 1
    assert samples[("reactions_documents_oldest_queued_seconds", ())] >= 0
    assert samples[("reactions_broker_queue_messages", (("queue", "celery"),))] == 1


def test_the_access_log_line_carries_the_request_id(client: TestClient) -> None:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter())
    access = logging.getLogger("reactions.access")
    access.addHandler(handler)
    access.setLevel(logging.INFO)
    try:
        client.get("/v1/events", headers={"X-Request-ID": "req-42"})
    finally:
        access.removeHandler(handler)
        access.setLevel(logging.NOTSET)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(lines) == 1
    assert lines[0]["request_id"] == "req-42"
    assert (lines[0]["route"], lines[0]["status"]) == ("/v1/events", 200)
    assert lines[0]["message"] == "GET /v1/events 200"
    assert lines[0]["duration_ms"] > 0


def test_json_lines_carry_the_bound_ids_and_extras() -> None:
    record = logging.makeLogRecord(
        {"name": "x", "levelname": "INFO", "msg": "processed %d", "args": (1,), "lag_s": 0.5}
    )
    with bind(request_id="r1", document_id=7, event_id=None):
        line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "processed 1"
    assert (line["request_id"], line["document_id"], line["lag_s"]) == ("r1", 7, 0.5)
    assert "event_id" not in line
    assert "request_id" not in json.loads(JsonFormatter().format(record))


def counted(name: str, **labels: str) -> float:
    """A counter's value in this process."""
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_workers_count_processed_failed_and_resent_documents(
    client: TestClient, factory: sessionmaker[Session], postgres_url: str
) -> None:
    settings = make_settings(database_url=postgres_url, redis_url=None, sweep_after_s=1)
    jobs = PipelineJobs(factory=factory, sender=InProcessSender({}), settings=settings)
    ids = [client.post("/v1/documents", json=d, headers=AUTH).json()["id"] for d in pipeline_docs()]
    before = {
        "processed": counted("reactions_documents_processed_total"),
        "lag": counted("reactions_document_lag_seconds_count"),
        "resent": counted("reactions_sweeper_resent_total", kind="documents"),
        "failed": counted("reactions_documents_failed_total"),
    }
    with session_scope(factory) as session:
        session.execute(update(Document).values(enqueued_at=utcnow() - timedelta(minutes=5)))
    jobs.sweep_queued()
    assert counted("reactions_sweeper_resent_total", kind="documents") == before["resent"] + 3
    jobs.process_document(ids[0])  # a backlog: the other two are claimed into its batch
    assert counted("reactions_documents_processed_total") == before["processed"] + 3
    assert counted("reactions_document_lag_seconds_count") == before["lag"] + 3
    assert counted("reactions_document_attempts_total", outcome="processed") >= 1
    observe.record_attempt(Attempt("failed"))
    assert counted("reactions_documents_failed_total") == before["failed"] + 1
