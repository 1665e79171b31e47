"""`reactions serve --demo` without make: with no token set it makes one and prints it once."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from config import Settings
from reactions_cli.embedded import with_admin_token
from tests.e2e.conftest import free_port, wait_ready

DEMO_DOCUMENTS = 6
TOKEN_LINE = re.compile(r"admin token for this run: (\S+)")


def processed_documents(base: str, timeout: float = 30) -> float:
    """`reactions_documents_processed_total` on /metrics once the demo is processed (embedded
    mode serves the worker's metrics too)."""
    deadline = time.monotonic() + timeout
    value = 0.0
    while time.monotonic() < deadline and value < DEMO_DOCUMENTS:
        text = httpx.get(f"{base}/metrics", timeout=10).text
        found = re.search(r"^reactions_documents_processed_total ([0-9.]+)$", text, re.M)
        value = float(found.group(1)) if found else 0.0
        time.sleep(0.3)
    return value


def test_a_configured_token_is_kept() -> None:
    settings = Settings(admin_token="chosen-by-the-operator")
    assert with_admin_token(settings) == (settings, None)


def test_no_token_gives_a_new_random_one_each_time() -> None:
    first, token = with_admin_token(Settings(admin_token=None))
    _, other = with_admin_token(Settings(admin_token=None))
    assert token is not None
    assert first.admin_token == token
    assert len(token) >= 32
    assert token != other


def test_serve_demo_prints_a_working_token_once(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("REACTIONS_")}
    command = [str(Path(sys.executable).parent / "reactions"), "serve", "--demo"]
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*command, "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, {"serve": proc}, timeout=60)
        time.sleep(0.5)
        tokens = TOKEN_LINE.findall(log.read_text())
        assert len(tokens) == 1, log.read_text()[-3000:]
        body = {"text": "“A generous release,” said Ines Duarte, a researcher at Harbor AI."}
        accepted = httpx.post(
            f"{base}/v1/documents",
            json=body,
            headers={"Authorization": f"Bearer {tokens[0]}", "X-Request-ID": "embedded-14"},
            timeout=10,
        )
        assert accepted.status_code == 202
        document_id = accepted.json()["id"]
        refused = httpx.post(
            f"{base}/v1/documents", json=body, headers={"Authorization": "Bearer dev-token"}
        )
        assert refused.status_code == 401
        assert httpx.get(f"{base}/v1/events/1/summary", timeout=10).status_code == 200
        assert processed_documents(base) >= DEMO_DOCUMENTS + 1
        # The in-process worker logs the request that sent it the document.
        journey = [
            line
            for line in map(json.loads, re.findall(r"^\{.*\}$", log.read_text(), re.M))
            if line.get("request_id") == "embedded-14" and line.get("document_id") == document_id
        ]
        assert {line["logger"] for line in journey} >= {
            "service.routes.documents",
            "workers.pipeline.observe",
        }, journey
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    assert (tmp_path / "data" / "reactions.db").exists()
