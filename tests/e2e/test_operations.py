"""What an operator sees of the compose stack run as local processes: worker metrics in
prometheus-client's multi-process mode, API metrics, JSON logs following one document, the
compose healthchecks of worker and beat, and Celery task events."""

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from celery import Celery
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.orm import Session, sessionmaker

from schemas.tasks import PROCESS_DOCUMENT
from tests.conftest import REPO
from tests.e2e.conftest import Stack, free_port
from tests.e2e.test_compose_stack import wait_processed
from tests.factories import AUTH, TOKEN, pipeline_docs

pytestmark = pytest.mark.e2e

WORKER_METRICS_PORT = free_port()


@pytest.fixture(scope="module")
def service_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """Each process its own multi-process directory, as each compose container has its /tmp."""
    base = tmp_path_factory.mktemp("metrics")
    return {
        "api": {"PROMETHEUS_MULTIPROC_DIR": str(base / "api")},
        "worker": {
            "PROMETHEUS_MULTIPROC_DIR": str(base / "worker"),
            "REACTIONS_METRICS_PORT": str(WORKER_METRICS_PORT),
        },
        "beat": {"REACTIONS_BEAT_HEARTBEAT_FILE": str(base / "beat.heartbeat")},
    }


def samples(url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample a metrics endpoint serves, by name and sorted labels."""
    response = httpx.get(url, timeout=10)
    assert response.status_code == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def healthcheck(service: str) -> list[str]:
    """The compose healthcheck `test` of a service."""
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    test: list[str] = compose["services"][service]["healthcheck"]["test"]
    return test


def run_healthcheck(service: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a compose healthcheck here, as Docker would in the container."""
    test = healthcheck(service)
    command = test[1].replace("$$", "$") if test[0] == "CMD-SHELL" else test[1:]
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    return subprocess.run(
        command,
        shell=test[0] == "CMD-SHELL",
        env={**os.environ, "PATH": path, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_one_document_seen_in_metrics_and_logs(
    stack: Stack, stack_redis_url: str, factory: sessionmaker[Session]
) -> None:
    events: list[dict[str, Any]] = []
    listening = threading.Event()
    receiver = threading.Thread(
        target=capture_task_events, args=(stack_redis_url, events, listening), daemon=True
    )
    receiver.start()
    assert listening.wait(10)
    time.sleep(1)  # the receiver's queue is bound before the task is sent
    posted = httpx.post(
        f"{stack.base_url}/v1/documents",
        json=pipeline_docs()[0],
        headers={**AUTH, "X-Request-ID": "journey-14"},
        timeout=10,
    )
    assert posted.status_code == 202  # new: `factory` emptied the tables
    assert posted.headers["X-Request-ID"] == "journey-14"
    document_id = posted.json()["id"]
    assert wait_processed(stack, document_id)["status"] == "processed"

    worker = samples(f"http://127.0.0.1:{WORKER_METRICS_PORT}/metrics")
    assert worker[("reactions_documents_processed_total", ())] >= 1
    assert worker[("reactions_document_lag_seconds_count", ())] >= 1
    task = (("state", "SUCCESS"), ("task", PROCESS_DOCUMENT))
    assert worker[("reactions_tasks_total", task)] >= 1
    api = samples(f"{stack.base_url}/metrics")
    created = (("method", "POST"), ("route", "/v1/documents"), ("status", "202"))
    assert api[("reactions_http_requests_total", created)] >= 1
    assert ("reactions_documents_queued", ()) in api

    lines = [
        json.loads(line)
        for line in stack.logs["worker"].read_text().splitlines()
        if line.startswith("{")
    ]
    journey = [
        line
        for line in lines
        if line.get("document_id") == document_id and line.get("request_id") == "journey-14"
    ]
    assert any(line["message"] == "processed 1 documents" for line in journey), journey
    api_lines = [json.loads(x) for x in stack.logs["api"].read_text().splitlines() if x[:1] == "{"]
    assert any(
        line.get("request_id") == "journey-14" and line.get("document_id") == document_id
        for line in api_lines
    )
    receiver.join(timeout=15)
    assert any(
        e["type"] == "task-succeeded" and e.get("hostname", "").startswith("celery@")
        for e in events
    ), events


def capture_task_events(
    broker_url: str, events: list[dict[str, Any]], listening: threading.Event
) -> None:
    """Collect the Celery task events the worker sends, until a task succeeds (30 s at most)."""
    app = Celery(broker=broker_url)
    with app.connection_for_read() as connection:

        def keep(event: dict[str, Any]) -> None:
            events.append(event)
            receiver.should_stop = event["type"] == "task-succeeded"

        receiver = app.events.Receiver(connection, handlers={"*": keep})
        listening.set()
        with contextlib.suppress(TimeoutError, OSError):
            receiver.capture(limit=500, timeout=30, wakeup=False)


def test_stream_clients_are_counted_while_connected(stack: Stack) -> None:
    event = httpx.post(
        f"{stack.base_url}/v1/events", json={"title": "Gauge", "keywords": ["gauge"]}, headers=AUTH
    ).json()
    gauge = ("reactions_stream_clients", ())
    url = f"{stack.base_url}/v1/events/{event['id']}/stream"
    with httpx.stream("GET", url, timeout=10) as stream:
        assert stream.status_code == 200
        lines = stream.iter_lines()  # kept: dropping the iterator would close the stream
        assert next(lines).startswith(("id:", "event:"))  # the current summary has come
        assert samples(f"{stack.base_url}/metrics")[gauge] == 1
    deadline = time.monotonic() + 10
    while samples(f"{stack.base_url}/metrics")[gauge] != 0 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert samples(f"{stack.base_url}/metrics")[gauge] == 0


def test_the_compose_healthchecks_pass_on_a_live_worker_and_beat(
    stack: Stack, stack_redis_url: str, service_env: dict[str, dict[str, str]]
) -> None:
    env = {
        "REACTIONS_REDIS_URL": stack_redis_url,
        "REACTIONS_ADMIN_TOKEN": TOKEN,
        "HOSTNAME": socket.gethostname(),
    }
    worker = run_healthcheck("worker", env)
    assert worker.returncode == 0, worker.stdout + worker.stderr
    beat = run_healthcheck("beat", service_env["beat"])
    assert beat.returncode == 0, beat.stderr


def test_the_healthchecks_fail_without_a_worker_or_a_beat(tmp_path: Path) -> None:
    broker = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    worker = run_healthcheck(
        "worker",
        {"REACTIONS_REDIS_URL": broker, "REACTIONS_ADMIN_TOKEN": TOKEN, "HOSTNAME": "nobody"},
    )
    assert worker.returncode != 0
    beat = run_healthcheck("beat", {"REACTIONS_BEAT_HEARTBEAT_FILE": str(tmp_path / "none")})
    assert beat.returncode == 1
    assert "no tick" in beat.stderr
