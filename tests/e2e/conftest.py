"""The docker-compose stack's api, worker and beat commands run as local processes."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import redis
import yaml

from tests.conftest import REPO, unavailable
from tests.factories import TOKEN

STACK_REDIS_URL = os.environ.get("REACTIONS_TEST_STACK_REDIS_URL", "redis://127.0.0.1:6379/12")
SERVICES = ("api", "worker", "beat")


@dataclass(frozen=True)
class Stack:
    """A running stack: the API's base URL and where each process logs."""

    base_url: str
    logs: dict[str, Path]

    def log_tails(self) -> str:
        """The end of each process's log, for failure messages."""
        return "\n".join(
            f"--- {name} ---\n{path.read_text(errors='replace')[-3000:]}"
            for name, path in self.logs.items()
        )


def compose_commands() -> dict[str, list[str]]:
    """The exact `command` of the api, worker and beat services in docker-compose.yml."""
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    return {name: list(compose["services"][name]["command"]) for name in SERVICES}


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_ready(
    base_url: str, processes: dict[str, subprocess.Popen[bytes]], timeout: float
) -> None:
    """Poll /readyz until 200; fail early when a process dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name, proc in processes.items():
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {proc.returncode}")
        try:
            if httpx.get(f"{base_url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"API at {base_url} not ready after {timeout}s")


def flushed_redis(url: str) -> str:
    """`url` after flushing its Redis database; skipped (failed under CI) when Redis is down."""
    client = redis.Redis.from_url(url, socket_timeout=3, socket_connect_timeout=3)
    try:
        client.flushdb()
    except redis.RedisError as exc:
        unavailable(f"Redis at {url} ({exc})")
    finally:
        client.close()
    return url


@pytest.fixture(scope="module")
def stack_redis_url() -> str:
    """A Redis database for the stack, flushed once before it starts."""
    return flushed_redis(STACK_REDIS_URL)


@pytest.fixture(scope="module")
def stack_env() -> dict[str, str]:
    """Extra environment for the stack's processes; a test module overrides it to add settings."""
    return {}


@pytest.fixture(scope="module")
def service_env() -> dict[str, dict[str, str]]:
    """Extra environment of one service only (api, worker or beat), added to `stack_env`."""
    return {}


@pytest.fixture(scope="module")
def stack(
    postgres_url: str,
    stack_redis_url: str,
    stack_env: dict[str, str],
    service_env: dict[str, dict[str, str]],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Stack]:
    """Start api, worker and beat with the compose commands against the local servers."""
    port = free_port()
    logs_dir = tmp_path_factory.mktemp("stack-logs")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "REACTIONS_DATABASE_URL": postgres_url,
        "REACTIONS_REDIS_URL": stack_redis_url,
        "REACTIONS_ADMIN_TOKEN": TOKEN,
        "REACTIONS_HOST": "127.0.0.1",
        "REACTIONS_PORT": str(port),
        "REACTIONS_SWEEP_INTERVAL_S": "1",
        "REACTIONS_SWEEP_AFTER_S": "2",
        **stack_env,
    }
    processes: dict[str, subprocess.Popen[bytes]] = {}
    logs = {name: logs_dir / f"{name}.log" for name in SERVICES}
    running = Stack(base_url=f"http://127.0.0.1:{port}", logs=logs)
    try:
        for name, command in compose_commands().items():
            with logs[name].open("wb") as out:
                processes[name] = subprocess.Popen(
                    command,
                    cwd=logs_dir,
                    env={**env, **service_env.get(name, {})},
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
        try:
            wait_ready(running.base_url, processes, timeout=60)
        except (RuntimeError, TimeoutError) as exc:
            pytest.fail(f"{exc}\n{running.log_tails()}")
        yield running
    finally:
        for proc in processes.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in processes.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
