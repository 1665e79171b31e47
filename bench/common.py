"""Shared helpers of the benchmarks: database reset, subprocesses, readiness waits and figures."""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx
import psycopg
import redis
from psycopg import sql

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO_ROOT / ".." / "shared" / "corpora" / "polnear" / "train.jsonl"
DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_DB_NAME = "reactions_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/12"
DEFAULT_TOKEN = "bench-token-123456"
VENV_BIN = REPO_ROOT / ".venv" / "bin"


class BenchError(Exception):
    """A set-up or run failure that the script reports in one line and exits non-zero on."""


def exit_on_sigterm() -> None:
    """Turn SIGTERM (e.g. from `timeout`) into SystemExit so `finally` blocks stop subprocesses."""

    def _exit(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _exit)


def bin_path(name: str) -> str:
    """The venv's executable `name`, or the interpreter's sibling when the venv is elsewhere."""
    for folder in (VENV_BIN, Path(sys.executable).parent):
        candidate = folder / name
        if candidate.exists():
            return str(candidate)
    raise BenchError(f"executable {name!r} not found in {VENV_BIN}; install the package first")


def load_corpus(path: Path, *, limit: int = 100_000) -> list[dict[str, str]]:
    """Articles `{id, title, text, date, publisher}` of a JSONL file (date and publisher empty
    when absent); a missing or empty file is a `BenchError`."""
    if not path.is_file():
        raise BenchError(
            f"corpus not found: {path} (pass --corpus PATH to a JSONL file with id, title, text)"
        )
    articles: list[dict[str, str]] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if len(articles) >= limit:
                break
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise BenchError(f"{path}:{number}: not JSON: {exc}") from exc
            text = record.get("text")
            if isinstance(text, str) and text.strip():
                articles.append(
                    {
                        "id": str(record.get("id", number)),
                        "title": str(record.get("title") or ""),
                        "text": text,
                        "date": str(record.get("date") or ""),
                        "publisher": str(record.get("publisher") or ""),
                    }
                )
    if not articles:
        raise BenchError(f"corpus {path} has no article with a non-empty text")
    return articles


def database_url(admin_url: str, name: str) -> str:
    """The URL of database `name` on the server of `admin_url`."""
    base, _, _ = admin_url.rpartition("/")
    return f"{base}/{name}"


def reset_database(admin_url: str, name: str) -> str:
    """Drop and recreate database `name` (closing its sessions); returns its URL."""
    if not name.replace("_", "").isalnum():
        raise BenchError(f"database name {name!r} must be letters, digits and underscores")
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            conn.execute(drop.format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as exc:
        raise BenchError(f"cannot recreate database {name} via {admin_url}: {exc}") from exc
    return database_url(admin_url, name)


def service_env(*, db_url: str, redis_url: str, token: str, port: int) -> dict[str, str]:
    """The environment of the service processes: ours plus the REACTIONS_* settings."""
    env = dict(os.environ)
    env.update(
        {
            "REACTIONS_DATABASE_URL": db_url,
            "REACTIONS_REDIS_URL": redis_url,
            "REACTIONS_ADMIN_TOKEN": token,
            "REACTIONS_HOST": "127.0.0.1",
            "REACTIONS_PORT": str(port),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def migrate(env: Mapping[str, str], *, timeout: float = 120) -> None:
    """Run `reactions migrate` against the environment's database."""
    result = subprocess.run(
        [bin_path("reactions"), "migrate"],
        env=dict(env),
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise BenchError(f"reactions migrate failed ({result.returncode}): {result.stderr[-2000:]}")


def flush_redis(url: str) -> None:
    """Empty the benchmark's Redis database."""
    client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
    try:
        client.flushdb()
    except redis.RedisError as exc:
        raise BenchError(f"cannot flush Redis {url}: {exc}") from exc
    finally:
        client.close()


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Processes:
    """The subprocesses a benchmark started, each in its own process group, logs in one folder."""

    log_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="reactions-bench-")))
    started: list[tuple[str, subprocess.Popen[bytes], IO[bytes]]] = field(default_factory=list)

    def start(
        self, name: str, argv: Sequence[str], env: Mapping[str, str]
    ) -> subprocess.Popen[bytes]:
        """Start `argv` with output to `<log_dir>/<name>.log`."""
        log = (self.log_dir / f"{name}.log").open("wb")
        proc = subprocess.Popen(
            list(argv),
            env=dict(env),
            cwd=REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started.append((name, proc, log))
        return proc

    def check_alive(self) -> None:
        """Raise if one of the processes has exited."""
        for name, proc, _ in self.started:
            code = proc.poll()
            if code is not None:
                raise BenchError(f"{name} exited with {code}; see {self.log_dir / (name + '.log')}")

    def stop(self, *, grace: float = 15) -> None:
        """SIGTERM each process group we started, wait at most `grace` s, then SIGKILL them."""
        for _, proc, _ in self.started:
            _signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for _, proc, _ in self.started:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        for _, proc, log in self.started:
            _signal_group(proc, signal.SIGKILL)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                print(f"warning: process {proc.pid} did not exit after SIGKILL", file=sys.stderr)
            log.close()
        self.started.clear()


def _signal_group(proc: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    """Send `sig` to the process group led by `proc` (its own session), ignoring a gone group."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)


def wait_ready(base_url: str, processes: Processes, *, timeout: float = 60) -> None:
    """Poll `/readyz` until 200, a process dies, or `timeout` s pass."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    with httpx.Client(timeout=2) as client:
        while time.monotonic() < deadline:
            processes.check_alive()
            try:
                response = client.get(f"{base_url}/readyz")
                if response.status_code == 200:
                    return
                last = f"{response.status_code} {response.text[:200]}"
            except httpx.HTTPError as exc:
                last = type(exc).__name__
            time.sleep(0.2)
    raise BenchError(f"API at {base_url} not ready after {timeout:.0f} s ({last})")


def percentile(values: Sequence[float], pct: float) -> float:
    """The nearest-rank percentile of `values` (NaN when empty)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def print_table(title: str, rows: Sequence[tuple[str, Any]]) -> None:
    """Print `(label, value)` rows as an aligned two-column table."""
    width = max(len(label) for label, _ in rows)
    print(f"\n{title}")
    print("-" * (width + 24))
    for label, value in rows:
        shown = f"{value:,.2f}" if isinstance(value, float) else str(value)
        print(f"{label:<{width}}  {shown}")
    print("-" * (width + 24))


def run_and_print(
    name: str,
    args: argparse.Namespace,
    run: Callable[[argparse.Namespace], dict[str, Any]],
    report: Callable[[dict[str, Any]], None],
) -> int:
    """Run a benchmark, print its table (unless --json-only) and one JSON line; 1 on failure."""
    try:
        result = run(args)
    except BenchError as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return 1
    if not getattr(args, "json_only", False):
        report(result)
    print(json.dumps(result, sort_keys=True))
    return 0
