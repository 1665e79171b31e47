"""Stream benchmark: N concurrent SSE clients, commit-to-receive latency and the API's memory.

Starts `reactions api` and a Celery worker (docker-compose's command) on a fresh database, opens
the clients on one event's stream, then pushes documents one at a time. Each push is processed
by the worker, which commits a new summary version and publishes it through Redis; every API
client must receive it. Latency is the client's receive time minus the summary's `updated_at`,
stamped inside the committing transaction (so it slightly over-counts).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from common import (
    DEFAULT_ADMIN_URL,
    DEFAULT_TOKEN,
    BenchError,
    Processes,
    bin_path,
    flush_redis,
    free_port,
    migrate,
    percentile,
    print_table,
    reset_database,
    run_and_print,
    service_env,
    wait_ready,
)

TARGET_P99_S = 1.0
DEFAULT_DB_NAME = "reactions_bench_stream"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
AUTH = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}


def _parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=500, help="concurrent stream clients (500)")
    parser.add_argument("--updates", type=int, default=10, help="summary changes to push (10)")
    parser.add_argument("--interval", type=float, default=1.5, help="seconds between pushes (1.5)")
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN_URL, help="PostgreSQL admin DB URL")
    parser.add_argument("--db-name", default=DEFAULT_DB_NAME, help="database to recreate")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help="Redis DB to flush and use")
    parser.add_argument("--json-only", action="store_true", help="print only the JSON line")
    return parser


@dataclass
class Client:
    """One stream client's received versions, each with its latency in seconds."""

    latencies: dict[int, float] = field(default_factory=dict)
    error: str | None = None


async def read_stream(port: int, path: str, client: Client, stop: asyncio.Event) -> None:
    """A minimal SSE reader on a raw connection (cheap enough to run hundreds in one process)."""
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 30)
    except (OSError, TimeoutError) as exc:
        client.error = f"connect: {exc!r}"
        return
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n".encode()
    )
    try:
        status = await asyncio.wait_for(reader.readline(), 30)
        if b" 200 " not in status:
            client.error = f"status {status!r}"
            return
        while not stop.is_set():
            line = await asyncio.wait_for(reader.readline(), 60)
            if not line:
                client.error = "closed by the server"
                return
            if line.startswith(b"data: "):
                received = time.time()
                summary = json.loads(line[6:])
                committed = datetime.fromisoformat(summary["updated_at"]).timestamp()
                client.latencies[int(summary["version"])] = received - committed
    except (OSError, TimeoutError, ValueError) as exc:
        client.error = f"read: {exc!r}"
    finally:
        writer.close()


def rss_mib(pid: int) -> tuple[float, float]:
    """The process's resident memory now and at its peak, in MiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


async def measure(args: argparse.Namespace, port: int, api_pid: int) -> dict[str, Any]:
    """Connect the clients, push the updates, collect the latencies."""
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient(base_url=base, headers=AUTH, timeout=10) as api:
        event = (
            await api.post("/v1/events", json={"title": "Bench", "keywords": ["Benchstream"]})
        ).json()
        rss_idle, _ = rss_mib(api_pid)
        clients = [Client() for _ in range(args.clients)]
        stop = asyncio.Event()
        path = f"/v1/events/{event['id']}/stream"
        tasks = [asyncio.create_task(read_stream(port, path, c, stop)) for c in clients]
        deadline = time.monotonic() + 60
        while sum(1 for c in clients if c.latencies or c.error) < len(clients):
            if time.monotonic() > deadline:
                raise BenchError("the clients did not all get the first summary within 60 s")
            await asyncio.sleep(0.2)
        rss_connected, _ = rss_mib(api_pid)
        first = max((max(c.latencies) for c in clients if c.latencies), default=0)
        for i in range(args.updates):
            text = f"Benchstream update {i} at {time.time()}. “A fine result,” said Ada Bench."
            response = await api.post("/v1/documents", json={"title": "Benchstream", "text": text})
            if response.status_code not in (200, 202):
                raise BenchError(f"POST /v1/documents: {response.status_code} {response.text}")
            await asyncio.sleep(args.interval)
        final = (await api.get(f"/v1/events/{event['id']}/summary")).json()["version"]
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not all(
            final in c.latencies for c in clients if not c.error
        ):
            await asyncio.sleep(0.2)
        rss_end, rss_peak = rss_mib(api_pid)
        stop.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    latencies = [
        seconds for c in clients for version, seconds in c.latencies.items() if version > first
    ]
    errors = [c.error for c in clients if c.error]
    return {
        "bench": "stream",
        "clients": args.clients,
        "updates": args.updates,
        "final_version": final,
        "clients_at_final": sum(1 for c in clients if final in c.latencies),
        "messages": len(latencies),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "max_ms": round(max(latencies, default=float("nan")) * 1000, 1),
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
        "api_rss_idle_mib": round(rss_idle, 1),
        "api_rss_connected_mib": round(rss_connected, 1),
        "api_rss_end_mib": round(rss_end, 1),
        "api_rss_peak_mib": round(rss_peak, 1),
        "target_met": bool(latencies)
        and percentile(latencies, 99) < TARGET_P99_S
        and not errors
        and all(final in c.latencies for c in clients),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Fresh database and Redis, API and worker started, measured, stopped."""
    db_url = reset_database(args.admin_url, args.db_name)
    flush_redis(args.redis_url)
    port = free_port()
    env = service_env(db_url=db_url, redis_url=args.redis_url, token=DEFAULT_TOKEN, port=port)
    migrate(env)
    processes = Processes()
    try:
        api = processes.start("api", [bin_path("reactions"), "api"], env)
        worker_argv = [bin_path("celery"), "-A", "workers.celery_app", "worker", "--concurrency=2"]
        processes.start("worker", worker_argv, env)
        wait_ready(f"http://127.0.0.1:{port}", processes)
        result = asyncio.run(measure(args, port, api.pid))
        processes.check_alive()
    finally:
        processes.stop()
    return result


def report(result: dict[str, Any]) -> None:
    """Print the figures as a table."""
    print_table(
        "stream benchmark (commit to client receive)",
        [
            ("clients / updates pushed", f"{result['clients']} / {result['updates']}"),
            ("clients holding the final version", result["clients_at_final"]),
            ("messages measured", result["messages"]),
            ("latency p50 (ms)", result["p50_ms"]),
            ("latency p99 (ms)", f"{result['p99_ms']} (target < {TARGET_P99_S * 1000:.0f})"),
            ("latency max (ms)", result["max_ms"]),
            ("client errors", f"{result['errors']} {result['first_error'] or ''}"),
            (
                "API RSS idle / connected (MiB)",
                f"{result['api_rss_idle_mib']} / {result['api_rss_connected_mib']}",
            ),
            (
                "API RSS end / peak (MiB)",
                f"{result['api_rss_end_mib']} / {result['api_rss_peak_mib']}",
            ),
            ("target met", "yes" if result["target_met"] else "NO"),
        ],
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print a table and one JSON line; exit 1 on a set-up failure."""
    args = _parser().parse_args(argv)
    if args.clients < 1 or args.updates < 1 or args.interval <= 0:
        print("stream: --clients, --updates and --interval must be positive", file=sys.stderr)
        return 2
    return run_and_print("stream", args, run, report)


if __name__ == "__main__":
    sys.exit(main())
