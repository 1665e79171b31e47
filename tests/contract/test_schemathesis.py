"""Schemathesis against the production API under uvicorn on PostgreSQL: no 5xx, no answer that
breaks the OpenAPI schema.

Only the API runs (no worker, no beat), so the sources and webhooks it generates are never
fetched or sent: every request stays on 127.0.0.1.
"""

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from taskqueue import InProcessSender
from tests.e2e.conftest import compose_commands, free_port, wait_ready
from tests.factories import AUTH, TOKEN, pipeline_docs
from workers.pipeline.jobs import PipelineJobs

pytestmark = pytest.mark.e2e

EXAMPLES_PER_OPERATION = "25"
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance,response_headers_conformance"
)


def seed(base_url: str, factory: sessionmaker[Session], settings: Settings) -> None:
    """An event, processed documents (people, reactions), a subscription and a source, so
    the generated ids reach real rows and not only 404s."""
    client = httpx.Client(base_url=base_url, headers=AUTH, timeout=10)
    with client:
        client.post("/v1/events", json={"title": "Zephyr", "keywords": ["Zephyr"]})
        ids = [client.post("/v1/documents", json=doc).json()["id"] for doc in pipeline_docs()]
        jobs = PipelineJobs(factory=factory, sender=InProcessSender({}), settings=settings)
        for document_id in ids:
            jobs.process_document(document_id)
        client.post("/v1/subscriptions", json={"event_id": 1, "url": "http://127.0.0.1:9/h"})
        client.post("/v1/sources", json={"kind": "feed", "url": "http://127.0.0.1:9/rss"})


def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    postgres_url: str, factory: sessionmaker[Session], redis_url: str, tmp_path: Path
) -> None:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "REACTIONS_DATABASE_URL": postgres_url,
        "REACTIONS_REDIS_URL": redis_url,
        "REACTIONS_ADMIN_TOKEN": TOKEN,
        "REACTIONS_HOST": "127.0.0.1",
        "REACTIONS_PORT": str(port),
        "REACTIONS_ALLOW_PRIVATE_NETWORKS": "true",
    }
    log = tmp_path / "api.log"
    with log.open("wb") as out:
        api = subprocess.Popen(
            compose_commands()["api"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_ready(base_url, {"api": api}, timeout=60)
        seed(base_url, factory, Settings(database_url=postgres_url, admin_token=TOKEN))
        run = subprocess.run(
            [
                str(Path(sys.executable).parent / "schemathesis"),
                "run",
                f"{base_url}/openapi.json",
                "--header",
                f"Authorization: Bearer {TOKEN}",
                "--max-examples",
                EXAMPLES_PER_OPERATION,
                "--seed",
                "14",
                "--checks",
                CHECKS,
                "--request-timeout",
                "10",
                "--workers",
                "1",
                # The stream never ends by design; tests/deliver/test_stream.py covers it.
                "--exclude-path-regex",
                r".*/stream$",
                "--report-dir",
                str(tmp_path / "report"),
            ],
            capture_output=True,
            text=True,
            timeout=480,
            env={**env, "NO_COLOR": "1"},
            cwd=tmp_path,  # its .schemathesis cache stays out of the repository
        )
    finally:
        os.killpg(api.pid, signal.SIGTERM)
        api.wait(timeout=15)
    summary = run.stdout[run.stdout.rfind("SUMMARY") :]
    print(summary)
    assert run.returncode == 0, (
        f"{run.stdout[-6000:]}\n{run.stderr[-2000:]}\n{log.read_text()[-3000:]}"
    )
    tested = re.search(r"Tested: (\d+)", summary)
    assert tested is not None, summary
    assert int(tested.group(1)) >= 30, summary
    assert re.search(r"(\d+) generated, \1 passed", summary), summary
