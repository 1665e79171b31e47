"""End-to-end pipeline benchmark: real articles through the API and two Celery workers."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
from celery import Celery
from common import (
    DEFAULT_ADMIN_URL,
    DEFAULT_CORPUS,
    DEFAULT_DB_NAME,
    DEFAULT_REDIS_URL,
    DEFAULT_TOKEN,
    BenchError,
    Processes,
    bin_path,
    exit_on_sigterm,
    flush_redis,
    free_port,
    load_corpus,
    migrate,
    percentile,
    print_table,
    reset_database,
    run_and_print,
    service_env,
    wait_ready,
)

from workers.extract import extract_reactions

TARGET_DOCS_PER_S = 150.0
TARGET_RATIO = 3.0  # extraction alone (one core) at most this many times the pipeline's rate
TARGET_P95_S = 5.0  # POST to processed, at the offered load of --rate
EXTRACT_SAMPLE = 300  # documents timed through extraction alone
MAX_IN_FLIGHT = 256  # POSTs open at once in --rate mode (more is reported as the rate missed)
EVENTS = (
    ("Trump", ["Trump"]),
    ("Clinton", ["Clinton"]),
)


@dataclass
class PostResults:
    """What the HTTP clients saw: per-document POST wall-clock times and answers."""

    first_post: float = 0.0
    last_answer: float = 0.0
    ids: list[int] = field(default_factory=list)
    sent_at: dict[int, float] = field(default_factory=dict)  # document id -> epoch of its POST
    post_latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=2000, help="documents to push (default 2000)")
    parser.add_argument(
        "--corpus",
        type=Path,
        default=DEFAULT_CORPUS,
        help="JSONL articles {id, title, text} (default ../shared/corpora/polnear/train.jsonl)",
    )
    parser.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients (8)")
    parser.add_argument(
        "--rate",
        type=float,
        default=None,
        help="offered load: POST at this many documents/s (open loop) instead of --clients "
        "posting as fast as they can",
    )
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes (2)")
    parser.add_argument(
        "--timeout", type=float, default=600, help="max seconds to wait for processing (600)"
    )
    parser.add_argument("--keep", action="store_true", help="leave the API and workers running")
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN_URL, help="PostgreSQL admin DB URL")
    parser.add_argument("--db-name", default=DEFAULT_DB_NAME, help="database to recreate")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help="Redis DB to flush and use")
    parser.add_argument("--json-only", action="store_true", help="print only the JSON line")
    return parser


def wait_workers(redis_url: str, count: int, processes: Processes, *, timeout: float = 60) -> None:
    """Ping the Celery workers over the broker until `count` answer or `timeout` s pass."""
    control = Celery("bench-control", broker=redis_url)
    control.conf.broker_connection_timeout = 3
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            processes.check_alive()
            answers = control.control.ping(timeout=1.0) or []
            if len(answers) > count:
                names = sorted(name for answer in answers for name in answer)
                raise BenchError(
                    f"{len(answers)} Celery workers answer on {redis_url} ({names}), we started "
                    f"{count}: another stack (e.g. the e2e tests) shares this Redis database; "
                    "pass --redis-url with a free one"
                )
            if len(answers) == count:
                return
    finally:
        control.close()
    raise BenchError(f"fewer than {count} Celery workers answered within {timeout:.0f} s")


def start_stack(
    processes: Processes,
    env: dict[str, str],
    *,
    base_url: str,
    redis_url: str,
    workers: int,
) -> None:
    """Start the API and `workers` one-process Celery workers; return once all answer."""
    processes.start("api", [bin_path("reactions"), "api"], env)
    for number in range(1, workers + 1):
        argv = [bin_path("celery"), "-A", "workers.celery_app", "worker", "--loglevel=WARNING"]
        processes.start(f"worker{number}", [*argv, "--concurrency=1", "-n", f"w{number}@%h"], env)
    wait_ready(base_url, processes)
    wait_workers(redis_url, workers, processes)


def push_and_wait(
    base_url: str,
    db_url: str,
    processes: Processes,
    payload: Callable[[int], dict[str, Any]],
    *,
    docs: int,
    clients: int,
    timeout: float,
    quiet: bool,
    rate: float | None = None,
) -> tuple[PostResults, dict[str, int]]:
    """POST `docs` documents (as fast as `clients` can, or at `rate` per second), then wait
    until none is queued; what was posted, status counts."""
    posting = (
        post_documents(base_url, DEFAULT_TOKEN, payload, docs=docs, clients=clients)
        if rate is None
        else post_at_rate(base_url, DEFAULT_TOKEN, payload, docs=docs, rate=rate)
    )
    posted = asyncio.run(posting)
    if not posted.ids:
        raise BenchError(f"no document accepted; first errors: {posted.errors[:3]}")
    counts = wait_processed(db_url, len(posted.ids), processes, timeout=timeout, quiet=quiet)
    return posted, counts


def create_events(base_url: str, token: str) -> list[int]:
    """Define the benchmark's events through the API (before any document, so no backfill)."""
    ids: list[int] = []
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(timeout=10, headers=headers) as client:
        for title, keywords in EVENTS:
            response = client.post(
                f"{base_url}/v1/events", json={"title": title, "keywords": keywords}
            )
            if response.status_code != 201:
                raise BenchError(f"POST /v1/events: {response.status_code} {response.text[:300]}")
            ids.append(int(response.json()["id"]))
    return ids


def document_payload(articles: list[dict[str, str]], number: int) -> dict[str, Any]:
    """Article `number` modulo the corpus, made unique by a suffix so it is not deduplicated."""
    article = articles[number % len(articles)]
    return {
        "title": article["title"] or None,
        "text": f"{article['text']}\n\n(copy {number})",
        "source": "bench",
        "url": f"https://bench.invalid/{article['id']}/{number}",
    }


async def post_documents(
    base_url: str,
    token: str,
    payload: Callable[[int], dict[str, Any]],
    *,
    docs: int,
    clients: int,
) -> PostResults:
    """Push `docs` documents (`payload(n)` for the n-th) with `clients` keep-alive clients."""
    results = PostResults()
    next_number = 0
    headers = {"Authorization": f"Bearer {token}"}
    timeout = httpx.Timeout(30.0, connect=5.0)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client_loop(client: httpx.AsyncClient) -> None:
        nonlocal next_number
        while next_number < docs:
            number = next_number
            next_number += 1
            await post_one(client, f"{base_url}/v1/documents", payload(number), results)

    async with httpx.AsyncClient(timeout=timeout, limits=limits, headers=headers) as client:
        results.first_post = time.time()
        await asyncio.gather(*(client_loop(client) for _ in range(clients)))
    return results


async def post_one(
    client: httpx.AsyncClient, url: str, body: dict[str, Any], results: PostResults
) -> None:
    """POST one document and record its answer, latency and send time in `results`."""
    start = time.time()
    try:
        response = await client.post(url, json=body)
    except httpx.HTTPError as exc:
        results.errors.append(f"{body['url']}: {type(exc).__name__}: {exc}")
        return
    end = time.time()
    results.post_latencies.append(end - start)
    results.last_answer = max(results.last_answer, end)
    if response.status_code != 202:
        results.errors.append(f"{body['url']}: {response.status_code} {response.text[:200]}")
        return
    document_id = int(response.json()["id"])
    results.ids.append(document_id)
    results.sent_at[document_id] = start


async def post_at_rate(
    base_url: str,
    token: str,
    payload: Callable[[int], dict[str, Any]],
    *,
    docs: int,
    rate: float,
) -> PostResults:
    """Push `docs` documents open loop, the n-th sent at n / `rate` s whatever the answers
    (at most `MAX_IN_FLIGHT` open at once; a full window delays the next send, which shows as
    a lower POST rate than offered)."""
    results = PostResults()
    headers = {"Authorization": f"Bearer {token}"}
    timeout = httpx.Timeout(30.0, connect=5.0)
    limits = httpx.Limits(max_connections=MAX_IN_FLIGHT, max_keepalive_connections=64)
    window = asyncio.Semaphore(MAX_IN_FLIGHT)

    async def send(client: httpx.AsyncClient, number: int) -> None:
        try:
            await post_one(client, f"{base_url}/v1/documents", payload(number), results)
        finally:
            window.release()

    async with httpx.AsyncClient(timeout=timeout, limits=limits, headers=headers) as client:
        results.first_post = time.time()
        start = time.monotonic()
        pending: list[asyncio.Task[None]] = []
        for number in range(docs):
            delay = start + number / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            await window.acquire()
            pending.append(asyncio.create_task(send(client, number)))
        await asyncio.gather(*pending)
    return results


def extraction_rate(articles: list[dict[str, str]], *, docs: int) -> float:
    """Documents/s of extraction alone (`extract_reactions`, this process, one core) over the
    benchmark's own first documents: the yardstick of the pipeline's rate in the same run."""
    bodies = [document_payload(articles, number) for number in range(min(docs, EXTRACT_SAMPLE))]
    extract_reactions(bodies[0]["text"], title=bodies[0]["title"])  # warm the lazy tables
    start = time.perf_counter()
    for body in bodies:
        extract_reactions(body["text"], title=body["title"])
    return len(bodies) / (time.perf_counter() - start)


def status_counts(conn: psycopg.Connection[Any]) -> dict[str, int]:
    """Documents per status."""
    rows = conn.execute("SELECT status, count(*) FROM documents GROUP BY status").fetchall()
    return {str(status): int(count) for status, count in rows}


def wait_processed(
    db_url: str, expected: int, processes: Processes, *, timeout: float, quiet: bool
) -> dict[str, int]:
    """Poll the status counts until no document is queued, or `timeout` s pass (the counts
    then still show the queued ones, reported as lost)."""
    deadline = time.monotonic() + timeout
    last_print = 0.0
    counts: dict[str, int] = {}
    with psycopg.connect(db_url, autocommit=True, connect_timeout=5) as conn:
        while time.monotonic() < deadline:
            counts = status_counts(conn)
            done = counts.get("processed", 0) + counts.get("failed", 0)
            if done >= expected and counts.get("queued", 0) == 0:
                return counts
            processes.check_alive()
            if not quiet and time.monotonic() - last_print > 5:
                print(f"  waiting: {counts}", file=sys.stderr)
                last_print = time.monotonic()
            time.sleep(0.25)
    print(f"  not every document processed after {timeout:.0f} s: {counts}", file=sys.stderr)
    return counts


def processing_times(db_url: str, sent_at: dict[int, float]) -> tuple[list[float], float]:
    """Per-document seconds from its POST to its processed_at, and the last processed_at."""
    query = (
        "SELECT id, extract(epoch FROM processed_at)::float8 FROM documents "
        "WHERE status = 'processed'"
    )
    with psycopg.connect(db_url, autocommit=True, connect_timeout=5) as conn:
        rows = conn.execute(query).fetchall()
    done = {int(document_id): float(stamp) for document_id, stamp in rows}
    latencies = [done[i] - sent for i, sent in sent_at.items() if i in done]
    return latencies, max(done.values(), default=0.0)


def read_summaries(base_url: str, event_ids: list[int]) -> dict[str, dict[str, Any]]:
    """The reactions, people and document counts of each event's summary."""
    out: dict[str, dict[str, Any]] = {}
    with httpx.Client(timeout=10) as client:
        for (title, _), event_id in zip(EVENTS, event_ids, strict=True):
            response = client.get(f"{base_url}/v1/events/{event_id}/summary")
            response.raise_for_status()
            data = response.json()
            out[title] = {
                "event_id": event_id,
                "reactions": data.get("reactions"),
                "people": data.get("people"),
                "documents": data.get("documents"),
                "version": data.get("version"),
                "mean": (data.get("sentiment") or {}).get("mean"),
            }
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Set up, push, wait, measure; the subprocesses are stopped unless --keep."""
    articles = load_corpus(args.corpus)
    quiet = args.json_only
    load_before = os.getloadavg()[0]
    db_url = reset_database(args.admin_url, args.db_name)
    flush_redis(args.redis_url)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = service_env(db_url=db_url, redis_url=args.redis_url, token=DEFAULT_TOKEN, port=port)
    migrate(env)
    processes = Processes()
    if not quiet:
        print(f"logs in {processes.log_dir}; API on {base_url}", file=sys.stderr)
    extract_per_s = extraction_rate(articles, docs=args.docs)
    try:
        start_stack(
            processes, env, base_url=base_url, redis_url=args.redis_url, workers=args.workers
        )
        event_ids = create_events(base_url, DEFAULT_TOKEN)
        time.sleep(1.0)  # let the (empty) backfill tasks of the new events finish
        posted, counts = push_and_wait(
            base_url,
            db_url,
            processes,
            lambda number: document_payload(articles, number),
            docs=args.docs,
            clients=args.clients,
            rate=args.rate,
            timeout=args.timeout,
            quiet=quiet,
        )
        latencies, last_processed = processing_times(db_url, posted.sent_at)
        summaries = read_summaries(base_url, event_ids)
    finally:
        if args.keep:
            pids = [proc.pid for _, proc, _ in processes.started]
            print(f"--keep: processes left running: {pids}", file=sys.stderr)
        else:
            processes.stop()
    elapsed = last_processed - posted.first_post
    post_elapsed = posted.last_answer - posted.first_post
    docs_per_s = len(posted.ids) / elapsed if elapsed > 0 else 0.0
    lost = len(posted.ids) - counts.get("processed", 0) - counts.get("failed", 0)
    ratio = extract_per_s / docs_per_s if docs_per_s else None
    p95 = percentile(latencies, 95)
    met = (
        docs_per_s >= TARGET_DOCS_PER_S and ratio is not None and ratio <= TARGET_RATIO
        if args.rate is None
        else p95 < TARGET_P95_S and lost == 0
    )
    return {
        "bench": "pipeline",
        "load_avg_1m_before": round(load_before, 2),
        "docs_posted": args.docs,
        "docs_accepted": len(posted.ids),
        "post_errors": len(posted.errors),
        "processed": counts.get("processed", 0),
        "failed": counts.get("failed", 0),
        "lost": lost,
        "clients": args.clients,
        "rate": args.rate,
        "workers": args.workers,
        "elapsed_s": round(elapsed, 2),
        "docs_per_s": round(docs_per_s, 1) if elapsed > 0 else None,
        "extract_docs_per_s": round(extract_per_s, 1),
        "extract_to_pipeline_ratio": round(ratio, 2) if ratio is not None else None,
        "posts_per_s": round(len(posted.ids) / post_elapsed, 1) if post_elapsed > 0 else None,
        "post_p50_ms": round(percentile(posted.post_latencies, 50) * 1000, 1),
        "post_p95_ms": round(percentile(posted.post_latencies, 95) * 1000, 1),
        "to_processed_p50_s": round(percentile(latencies, 50), 3),
        "to_processed_p95_s": round(percentile(latencies, 95), 3),
        "to_processed_max_s": round(max(latencies), 3) if latencies else None,
        "events": summaries,
        "target": (
            f">= {TARGET_DOCS_PER_S:.0f}/s and extraction <= {TARGET_RATIO:.0f}x the pipeline"
            if args.rate is None
            else f"p95 POST -> processed < {TARGET_P95_S:.0f} s, 0 lost"
        ),
        "target_met": met,
        "first_errors": posted.errors[:3],
    }


def report(result: dict[str, Any]) -> None:
    """Print the figures as a table."""
    rows: list[tuple[str, Any]] = [
        ("documents accepted / posted", f"{result['docs_accepted']} / {result['docs_posted']}"),
        ("POST errors", result["post_errors"]),
        (
            "processed / failed / lost",
            f"{result['processed']} / {result['failed']} / {result['lost']}",
        ),
        (
            "HTTP clients (or offered rate) / Celery workers",
            f"{result['rate'] or result['clients']} / {result['workers']}",
        ),
        ("first POST -> last processed (s)", result["elapsed_s"]),
        ("documents/s end to end", result["docs_per_s"]),
        ("extraction alone, one core (documents/s)", result["extract_docs_per_s"]),
        ("extraction / pipeline (ratio)", result["extract_to_pipeline_ratio"]),
        ("POST rate (documents/s)", result["posts_per_s"]),
        ("POST latency p50 / p95 (ms)", f"{result['post_p50_ms']} / {result['post_p95_ms']}"),
        (
            "POST -> processed p50 / p95 / max (s)",
            f"{result['to_processed_p50_s']} / {result['to_processed_p95_s']}"
            f" / {result['to_processed_max_s']}",
        ),
    ]
    for title, summary in result["events"].items():
        rows.append(
            (
                f"event {title!r} reactions / people / docs",
                f"{summary['reactions']} / {summary['people']} / {summary['documents']}"
                f" (version {summary['version']})",
            )
        )
    rows.append(("1-min load average before the run", result["load_avg_1m_before"]))
    rows.append((f"target met ({result['target']})", "yes" if result["target_met"] else "NO"))
    print_table("pipeline benchmark", rows)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print a table and one JSON line; exit 1 on a set-up failure."""
    args = _parser().parse_args(argv)
    exit_on_sigterm()
    if args.docs < 1 or args.clients < 1 or args.workers < 1:
        print("pipeline: --docs, --clients and --workers must be positive", file=sys.stderr)
        return 2
    if args.rate is not None and args.rate <= 0:
        print("pipeline: --rate must be positive", file=sys.stderr)
        return 2
    return run_and_print("pipeline", args, run, report)


if __name__ == "__main__":
    sys.exit(main())
