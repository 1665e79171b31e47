"""Delivery fixtures: a real receiver, the embedded app on uvicorn, and the compose processes."""

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
import uvicorn
from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from reactions_cli.embedded import build_embedded_app
from tests.conftest import unavailable
from tests.deliver.helpers import Receiver, running_receiver
from tests.e2e.conftest import compose_commands, free_port, wait_ready
from tests.factories import TOKEN, make_settings

DELIVER_REDIS_URL = os.environ.get("REACTIONS_TEST_DELIVER_REDIS_URL", "redis://127.0.0.1:6379/14")
FAST = {
    "allow_private_networks": True,
    "webhook_retry_schedule": (0.2, 0.5, 1.0, 1.0, 1.0, 1.0, 1.0),
    "webhook_timeout_s": 0.5,
    "stream_heartbeat_s": 0.3,
    "stream_send_timeout_s": 0.5,
    "sweep_after_s": 2,
    "sweep_interval_s": 1.0,
}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """The webhook receiver on 127.0.0.1."""
    with running_receiver() as running:
        yield running


@dataclass(frozen=True)
class Embedded:
    """`reactions serve`'s app running on uvicorn: its URL and the app (to reach its hub)."""

    url: str
    app: FastAPI


@pytest.fixture
def embedded(factory: sessionmaker[Session], postgres_url: str) -> Iterator[Embedded]:
    """The embedded app (in-process worker and hub) on uvicorn, on the test database."""
    settings = make_settings(database_url=postgres_url, redis_url=None, **FAST)
    app, sender, _ = build_embedded_app(settings)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    sender.start()
    thread.start()
    try:
        wait_ready(f"http://127.0.0.1:{port}", {}, timeout=20)
        yield Embedded(url=f"http://127.0.0.1:{port}", app=app)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sender.stop()


@pytest.fixture
def compose_urls(
    factory: sessionmaker[Session], postgres_url: str, tmp_path: Path
) -> Iterator[list[str]]:
    """Two API processes, a worker (two processes) and beat, from docker-compose's commands."""
    client = redis.Redis.from_url(DELIVER_REDIS_URL, socket_timeout=3, socket_connect_timeout=3)
    try:
        client.flushdb()
    except redis.RedisError as exc:
        unavailable(f"Redis at {DELIVER_REDIS_URL} ({exc})")
    finally:
        client.close()
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "REACTIONS_DATABASE_URL": postgres_url,
        "REACTIONS_REDIS_URL": DELIVER_REDIS_URL,
        "REACTIONS_ADMIN_TOKEN": TOKEN,
        "REACTIONS_HOST": "127.0.0.1",
        **{
            f"REACTIONS_{key.upper()}": ",".join(map(str, value))
            if isinstance(value, tuple)
            else str(value)
            for key, value in FAST.items()
        },
    }
    commands = compose_commands()
    ports = [free_port(), free_port()]
    plan = {
        "api-1": (commands["api"], {"REACTIONS_PORT": str(ports[0])}),
        "api-2": (commands["api"], {"REACTIONS_PORT": str(ports[1])}),
        "worker": (commands["worker"], {}),
        "beat": (commands["beat"], {}),
    }
    processes: dict[str, subprocess.Popen[bytes]] = {}
    logs = {name: tmp_path / f"{name}.log" for name in plan}
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for name, (command, extra) in plan.items():
            with logs[name].open("wb") as out:
                processes[name] = subprocess.Popen(
                    command,
                    cwd=tmp_path,
                    env={**env, **extra},
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
        for url in urls:
            wait_ready(url, processes, timeout=60)
        yield urls
    finally:
        for proc in processes.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for name, proc in processes.items():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
            sys.stderr.write(f"--- {name} ---\n{logs[name].read_text(errors='replace')[-1500:]}\n")
