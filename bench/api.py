"""Read benchmark: GET /v1/events/{id}/summary of an event with 100,000 reactions."""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
from common import (
    DEFAULT_ADMIN_URL,
    DEFAULT_DB_NAME,
    DEFAULT_REDIS_URL,
    DEFAULT_TOKEN,
    BenchError,
    Processes,
    bin_path,
    exit_on_sigterm,
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

from domain.tallies import TOTAL, to_units

TARGET_P99_MS = 20.0
TARGET_RPS = 500.0
FIRST_NAMES = (
    "Anna Ben Carla David Elena Farid Grace Hugo Irene Jamal Karen Luis Maria Nadia Omar Paula "
    "Quentin Rosa Samir Tara Umar Vera Walter Xenia Yusuf Zoe Aaron Bianca Conrad Diana Emil "
    "Fiona George Helen Ivan Julia Kevin Laura Martin Nina Oscar Petra Rafael Sofia Thomas "
    "Ursula Victor Wendy Yann Zara"
)
LAST_NAMES = (
    "Smith Jones Brown Garcia Miller Davis Lopez Wilson Anderson Taylor Thomas Moore Martin "
    "Jackson White Harris Clark Lewis Walker Young Allen King Wright Scott Green Baker Adams "
    "Nelson Hill Campbell Mitchell Roberts Carter Phillips Evans Turner Torres Parker Collins "
    "Edwards"
)
QUOTES = (
    "This is a great day for the country and a victory for working families.",
    "We are deeply disappointed by this decision and we will fight it.",
    "The proposal is a disaster that will hurt millions of people.",
    "I think the numbers speak for themselves.",
    "We welcome the agreement and thank everyone who made it possible.",
    "It is a shameful attack on our democracy.",
    "We need to wait for the full report before drawing conclusions.",
    "This is the best outcome we could have hoped for.",
    "Frankly, it is an embarrassment and a failure of leadership.",
    "The committee will review the matter next week.",
)


@dataclass(frozen=True, slots=True)
class LoadResult:
    """Requests per second and latency percentiles of one measured load run."""

    tool: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def _parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reactions", type=int, default=100_000, help="reactions (100000)")
    parser.add_argument("--people", type=int, default=2_000, help="people (2000)")
    parser.add_argument("--documents", type=int, default=10_000, help="documents (10000)")
    parser.add_argument("--seconds", type=float, default=20, help="measured seconds (20)")
    parser.add_argument("--warmup", type=float, default=3, help="warm-up seconds (3)")
    parser.add_argument("--connections", type=int, default=32, help="concurrent clients (32)")
    parser.add_argument(
        "--loadgen",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="load generator: wrk if installed (auto), or a Python asyncio process",
    )
    parser.add_argument(
        "--no-access-log", action="store_true", help="run the API without its access log line"
    )
    parser.add_argument("--keep", action="store_true", help="leave the API running")
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN_URL, help="PostgreSQL admin DB URL")
    parser.add_argument("--db-name", default=DEFAULT_DB_NAME, help="database to recreate")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help="Redis DB to flush and use")
    parser.add_argument("--json-only", action="store_true", help="print only the JSON line")
    return parser


def _sentiment(rng: random.Random) -> tuple[float, float, float, float, str]:
    """A plausible VADER (compound, pos, neu, neg, label)."""
    compound = round(max(-0.99, min(0.99, rng.gauss(0.05, 0.45))), 4)
    pos = round(max(compound, 0.0) * 0.5, 3)
    neg = round(max(-compound, 0.0) * 0.5, 3)
    label = "positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral"
    return compound, pos, round(1.0 - pos - neg, 3), neg, label


Row = dict[str, Any]
OUTLETS = ("wire", "daily", "herald", "post", "tribune", "gazette", "times", "chronicle")
ROLES = (None, "senator", "spokesperson", "analyst", "governor", "minister")
LABEL_INDEX = {"positive": 2, "neutral": 3, "negative": 4}


def generate_rows(
    *, reactions: int, people: int, documents: int, event_id: int = 1
) -> dict[str, list[Row]]:
    """Plausible rows of every table a summary reads, keyed by table, columns of all schemas."""
    rng = random.Random(20261129)
    now = datetime.now(UTC)
    names = [f"{f} {last}" for last in LAST_NAMES.split() for f in FIRST_NAMES.split()]
    if people > len(names):
        raise BenchError(f"at most {len(names)} people can be generated")
    tallies: dict[tuple[str, str], list[int]] = {}
    reaction_rows: list[Row] = []
    event_reaction_rows: list[Row] = []
    for number in range(reactions):
        reaction_id = number + 1
        document_id = number % documents + 1
        start = 40 + (number // documents) * 160  # unique span per document
        person_id = int(people * rng.random() ** 2) + 1  # skewed: a few people speak often
        compound, pos, neu, neg, label = _sentiment(rng)
        role = rng.choice(ROLES)
        outlet = OUTLETS[document_id % len(OUTLETS)]
        reacted_at = now - timedelta(minutes=rng.randrange(48 * 60))
        quote = rng.choice(QUOTES)
        reaction_rows.append(
            {
                "id": reaction_id, "document_id": document_id, "person_id": person_id,
                "quote": quote, "kind": "direct", "cue": "say", "role": role, "platform": None,
                "confidence": 0.9, "span_start": start, "span_end": start + 120,
                "speaker_start": start + 125, "speaker_end": start + 140, "compound": compound,
                "pos": pos, "neu": neu, "neg": neg, "label": label,
                "speaker_text": names[person_id - 1], "speaker_name": names[person_id - 1],
                "created_at": now,
            }
        )  # fmt: skip
        event_reaction_rows.append(
            {
                "event_id": event_id, "reaction_id": reaction_id, "person_id": person_id,
                "quote_key": hashlib.sha256(f"q{reaction_id}".encode()).hexdigest(),
                "counted": True, "outlets": 1, "first_url": f"https://bench.invalid/{document_id}",
                "compound": compound, "label": label, "kind": "direct", "role": role,
                "outlet": outlet, "reacted_at": reacted_at,
            }
        )  # fmt: skip
        dims = [
            TOTAL,
            ("person", str(person_id)),
            ("hour", reacted_at.strftime("%Y-%m-%dT%H:00:00+00:00")),
            ("outlet", outlet),
            *([("role", role)] if role else []),
        ]
        units = to_units(compound)
        for dimension, key in dims:
            tally = tallies.setdefault((dimension, key), [0, 0, 0, 0, 0, 0])
            tally[0] += 1
            tally[1] += units
            tally[LABEL_INDEX[label]] += 1
            tally[5] += units * units
    person_totals = {int(key): t for (dim, key), t in tallies.items() if dim == "person"}
    empty = [0, 0, 0, 0, 0, 0]
    return {
        "events": [
            {
                "id": event_id, "title": "Bench event", "kind": "defined",
                "keywords": json.dumps(["bench"]), "match": "any", "people": "[]",
                "starts_at": None, "ends_at": None, "centroid": None, "created_at": now,
                "last_activity_at": now,
            }
        ],
        "event_summaries": [
            {"event_id": event_id, "version": 0, "updated_at": now, "data": "{}"}
        ],
        "people": [
            {
                "id": i, "name": names[i - 1], "name_key": names[i - 1].lower(),
                "kind": "person", **_tally_columns(person_totals.get(i, empty)),
                "created_at": now, "first_seen": now, "last_seen": now,
            }
            for i in range(1, people + 1)
        ],
        "documents": [
            {
                "id": i, "content_hash": hashlib.sha256(f"bench-{i}".encode()).hexdigest(),
                "text": f"Article {i}. " + " ".join(QUOTES), "title": f"Bench article {i}",
                "url": f"https://bench.invalid/{i}", "source": OUTLETS[i % len(OUTLETS)],
                "published_at": now - timedelta(seconds=i), "status": "processed",
                "attempts": 1, "created_at": now - timedelta(seconds=i),
                "enqueued_at": now - timedelta(seconds=i), "processed_at": now,
            }
            for i in range(1, documents + 1)
        ],
        "reactions": reaction_rows,
        "event_documents": [
            {"event_id": event_id, "document_id": i} for i in range(1, documents + 1)
        ],
        "event_reactions": event_reaction_rows,
        "event_tallies": [
            {"event_id": event_id, "dimension": dim, "key": key, **_tally_columns(t)}
            for (dim, key), t in sorted(tallies.items())
        ],
    }  # fmt: skip


def _tally_columns(tally: list[int]) -> Row:
    """The running-total columns of a tally [count, units, positive, neutral, negative, squares]
    (compounds in integer units of 1/10,000, as `domain/tallies.py` keeps them)."""
    return {
        "reactions": tally[0],
        "sum_units": tally[1],
        "positive": tally[2],
        "neutral": tally[3],
        "negative": tally[4],
        "square_units": tally[5],
    }


def seed_database(db_url: str, *, reactions: int, people: int, documents: int) -> int:
    """COPY one event's rows into the tables that exist, in the columns they have; the event id.

    The generated rows carry the columns of the schema as migrated; a table absent from the
    migrated schema is skipped and a required column the bench does not know is an error.
    """
    tables = generate_rows(reactions=reactions, people=people, documents=documents)
    now = datetime.now(UTC)
    with psycopg.connect(db_url, connect_timeout=5) as conn:
        with conn.cursor() as cur:
            for table, rows in tables.items():
                columns = _columns(cur, table)
                if not columns or not rows:
                    continue
                known = set(rows[0])
                fills: dict[str, Any] = {}
                for column, (required, data_type) in columns.items():
                    if required and column not in known:
                        fills[column] = _type_default(table, column, data_type, now)
                        print(
                            f"seed: {table}.{column} filled with {fills[column]!r}", file=sys.stderr
                        )
                used = [c for c in columns if c in known or c in fills]
                _copy(cur, table, used, ([row.get(c, fills.get(c)) for c in used] for row in rows))
            for table in ("people", "documents", "reactions", "events"):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
        conn.commit()
    with psycopg.connect(db_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute("VACUUM ANALYZE")
    return 1


def _columns(cur: psycopg.Cursor[Any], table: str) -> dict[str, tuple[bool, str]]:
    """Column name to (required: NOT NULL without default, data type); empty if no such table."""
    cur.execute(
        "SELECT column_name, is_nullable = 'NO' AND column_default IS NULL, data_type "
        "FROM information_schema.columns WHERE table_schema = 'public' AND table_name = %s "
        "ORDER BY ordinal_position",
        (table,),
    )
    return {str(name): (bool(required), str(kind)) for name, required, kind in cur.fetchall()}


def _type_default(table: str, column: str, data_type: str, now: datetime) -> Any:
    """A neutral value for a required column the bench does not know (the schema moves)."""
    if data_type == "boolean":
        return False
    if data_type in ("integer", "bigint", "smallint", "double precision", "real", "numeric"):
        return 0
    if data_type.startswith("timestamp"):
        return now
    if data_type in ("json", "jsonb"):
        return "{}"
    if data_type in ("text", "character varying"):
        return ""
    raise BenchError(f"{table}.{column} ({data_type}) is required and the bench cannot fill it")


def _copy(
    cur: psycopg.Cursor[Any], table: str, columns: list[str], rows: Iterator[list[Any]]
) -> None:
    """COPY the rows into `table` (`columns`)."""
    names = ", ".join(f'"{c}"' for c in columns)
    with cur.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)


def rebuild_times(db_url: str, event_id: int, *, runs: int = 3) -> list[float]:
    """Seconds of each `rebuild_summaries` call (the service's own code), in its transaction."""
    from store.db import dispose_engines, session_factory, session_scope
    from store.repositories.summaries import rebuild_summaries

    factory = session_factory(db_url)
    times: list[float] = []
    try:
        for _ in range(runs):
            start = time.perf_counter()
            with session_scope(factory) as session:
                rebuild_summaries(session, [event_id])
            times.append(time.perf_counter() - start)
    finally:
        dispose_engines()
    return times


def _wrk_ms(value: str) -> float:
    """A wrk duration ("812.00us", "1.23ms", "1.02s") in milliseconds."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value)
    if match is None:
        raise BenchError(f"cannot parse wrk duration {value!r}")
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[match.group(2)]
    return float(match.group(1)) * scale


def run_wrk(wrk: str, url: str, *, connections: int, seconds: float, warmup: float) -> LoadResult:
    """Warm up, then measure with wrk (2 threads) and parse its latency distribution."""
    base = [wrk, "-t2", f"-c{connections}", "--timeout", "5s"]
    subprocess.run(
        [*base, f"-d{max(1, round(warmup))}s", url],
        capture_output=True,
        timeout=warmup + 30,
        check=False,
    )
    result = subprocess.run(
        [*base, f"-d{max(1, round(seconds))}s", "--latency", url],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=False,
    )
    out = result.stdout
    if result.returncode != 0 or "Requests/sec" not in out:
        raise BenchError(f"wrk failed ({result.returncode}): {out[-500:]} {result.stderr[-500:]}")
    pcts = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.MULTILINE))
    total = re.search(r"(\d+) requests in ([\d.]+)(\w+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(non2xx.group(1)) if non2xx else 0
    errors += sum(int(g) for g in sock.groups()) if sock else 0
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    return LoadResult(
        tool="wrk",
        requests=int(total.group(1)) if total else 0,
        seconds=_wrk_ms(total.group(2) + total.group(3)) / 1000 if total else seconds,
        rps=rps,
        p50_ms=_wrk_ms(pcts["50"]),
        p99_ms=_wrk_ms(pcts["99"]),
        errors=errors,
    )


async def _python_load(
    port: int, path: str, *, connections: int, seconds: float, warmup: float
) -> tuple[list[float], int, float]:
    """Keep-alive raw-socket GET loops; latencies after the warm-up, errors, measured seconds."""
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    latencies: list[float] = []
    errors = 0
    begin = time.monotonic()
    measure_from = begin + warmup
    stop_at = measure_from + seconds

    async def loop() -> None:
        nonlocal errors
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 5)
        try:
            while time.monotonic() < stop_at:
                start = time.perf_counter()
                writer.write(request)
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
                length = re.search(rb"(?i)content-length:\s*(\d+)", head)
                size = int(length.group(1)) if length else 0
                await asyncio.wait_for(reader.readexactly(size), 10)
                elapsed = time.perf_counter() - start
                if time.monotonic() >= measure_from:
                    latencies.append(elapsed)
                    if not head.startswith(b"HTTP/1.1 200"):
                        errors += 1
        finally:
            writer.close()

    outcomes = await asyncio.gather(*(loop() for _ in range(connections)), return_exceptions=True)
    errors += sum(1 for outcome in outcomes if isinstance(outcome, BaseException))
    return latencies, errors, min(seconds, time.monotonic() - measure_from)


def _python_load_process(
    port: int, path: str, connections: int, seconds: float, warmup: float
) -> tuple[list[float], int, float]:
    """Entry point of the load-generator process."""
    return asyncio.run(
        _python_load(port, path, connections=connections, seconds=seconds, warmup=warmup)
    )


def run_python_load(
    port: int, path: str, *, connections: int, seconds: float, warmup: float
) -> LoadResult:
    """The asyncio load generator in a separate process, so it does not share the bench's GIL."""
    with ProcessPoolExecutor(max_workers=1) as pool:
        future = pool.submit(_python_load_process, port, path, connections, seconds, warmup)
        latencies, errors, measured = future.result(timeout=warmup + seconds + 60)
    return LoadResult(
        tool="python-asyncio",
        requests=len(latencies),
        seconds=measured,
        rps=len(latencies) / measured if measured > 0 else 0.0,
        p50_ms=percentile(latencies, 50) * 1000,
        p99_ms=percentile(latencies, 99) * 1000,
        errors=errors,
    )


def rss_mib(pid: int) -> float:
    """Resident memory of a process in MiB, from /proc (0 when unreadable)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure_export(url: str, pid: int, *, timeout: float = 300) -> dict[str, Any]:
    """Stream a CSV export while sampling the API's memory; rows, seconds and peak RSS."""
    before = rss_mib(pid)
    peak = before
    rows = 0
    start = time.perf_counter()
    with httpx.stream("GET", url, timeout=httpx.Timeout(timeout, connect=5)) as response:
        if response.status_code != 200:
            raise BenchError(f"GET {url}: {response.status_code}")
        last_sample = 0.0
        for _line in response.iter_lines():
            rows += 1
            if time.perf_counter() - last_sample > 0.05:
                peak = max(peak, rss_mib(pid))
                last_sample = time.perf_counter()
            if time.perf_counter() - start > timeout:
                raise BenchError(f"export still running after {timeout:.0f} s")
    return {
        "export_rows": rows - 1,
        "export_s": round(time.perf_counter() - start, 2),
        "export_rss_before_mib": round(before, 1),
        "export_rss_peak_mib": round(peak, 1),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Seed, rebuild, serve, load, export; the API is stopped unless --keep."""
    wrk = shutil.which("wrk")
    if args.loadgen == "wrk" and wrk is None:
        raise BenchError("wrk is not installed (apt-get install -y wrk), or use --loadgen python")
    use_wrk = wrk is not None and args.loadgen != "python"
    if not use_wrk and not args.json_only:
        print("load generator: Python asyncio process (wrk not used)", file=sys.stderr)
    load_before = os.getloadavg()[0]
    db_url = reset_database(args.admin_url, args.db_name)
    flush_redis(args.redis_url)
    port = free_port()
    env = service_env(db_url=db_url, redis_url=args.redis_url, token=DEFAULT_TOKEN, port=port)
    migrate(env)
    start = time.perf_counter()
    event_id = seed_database(
        db_url, reactions=args.reactions, people=args.people, documents=args.documents
    )
    seed_s = time.perf_counter() - start
    rebuilds = rebuild_times(db_url, event_id)
    base_url = f"http://127.0.0.1:{port}"
    path = f"/v1/events/{event_id}/summary"
    processes = Processes()
    try:
        command = [bin_path("reactions"), "api", *(["--no-access-log"] * args.no_access_log)]
        processes.start("api", command, env)
        wait_ready(base_url, processes)
        check = httpx.get(base_url + path, timeout=10)
        if check.status_code != 200:
            raise BenchError(f"GET {path}: {check.status_code} {check.text[:300]}")
        summary = check.json()
        if use_wrk and wrk is not None:
            load = run_wrk(
                wrk,
                base_url + path,
                connections=args.connections,
                seconds=args.seconds,
                warmup=args.warmup,
            )
        else:
            load = run_python_load(
                port, path, connections=args.connections, seconds=args.seconds, warmup=args.warmup
            )
        processes.check_alive()
        export = measure_export(
            f"{base_url}/v1/events/{event_id}/reactions/export?format=csv",
            processes.started[0][1].pid,
        )
    finally:
        if args.keep:
            print(f"--keep: API left running: {processes.started[0][1].pid}", file=sys.stderr)
        else:
            processes.stop()
    return {
        "bench": "api",
        "access_log": not args.no_access_log,
        "load_avg_1m_before": round(load_before, 2),
        "reactions": args.reactions,
        "people": args.people,
        "documents": args.documents,
        "seed_s": round(seed_s, 2),
        "rebuild_first_ms": round(rebuilds[0] * 1000, 1),
        "rebuild_median_ms": round(statistics.median(rebuilds) * 1000, 1),
        "summary_reactions": summary.get("reactions"),
        "summary_people": summary.get("people"),
        "summary_bytes": len(check.content),
        "loadgen": load.tool,
        "connections": args.connections,
        "seconds": round(load.seconds, 2),
        "requests": load.requests,
        "rps": round(load.rps, 1),
        "p50_ms": round(load.p50_ms, 2),
        "p99_ms": round(load.p99_ms, 2),
        "errors": load.errors,
        "target_met": load.p99_ms < TARGET_P99_MS and load.rps >= TARGET_RPS and not load.errors,
        **export,
    }


def report(result: dict[str, Any]) -> None:
    """Print the figures as a table."""
    print_table(
        "summary read benchmark",
        [
            (
                "seeded reactions / people / documents",
                f"{result['reactions']} / {result['people']} / {result['documents']}",
            ),
            ("bulk load (s)", result["seed_s"]),
            (
                "rebuild_summaries first / median of 3 (ms)",
                f"{result['rebuild_first_ms']} / {result['rebuild_median_ms']}",
            ),
            (
                "summary reactions / people",
                f"{result['summary_reactions']} / {result['summary_people']}",
            ),
            ("summary body (bytes)", result["summary_bytes"]),
            ("load generator / connections", f"{result['loadgen']} / {result['connections']}"),
            ("measured seconds / requests", f"{result['seconds']} / {result['requests']}"),
            ("requests/s", f"{result['rps']} (target >= {TARGET_RPS:.0f})"),
            ("latency p50 (ms)", result["p50_ms"]),
            ("latency p99 (ms)", f"{result['p99_ms']} (target < {TARGET_P99_MS:.0f})"),
            ("errors (non-2xx, socket)", result["errors"]),
            ("1-min load average before the run", result["load_avg_1m_before"]),
            ("target met", "yes" if result["target_met"] else "NO"),
            ("CSV export rows / seconds", f"{result['export_rows']} / {result['export_s']}"),
            (
                "API memory before / peak during export (MiB)",
                f"{result['export_rss_before_mib']} / {result['export_rss_peak_mib']}",
            ),
        ],
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print a table and one JSON line; exit 1 on a set-up failure."""
    args = _parser().parse_args(argv)
    exit_on_sigterm()
    if min(args.reactions, args.people, args.documents, args.connections) < 1 or args.seconds <= 0:
        print("api: counts and --seconds must be positive", file=sys.stderr)
        return 2
    return run_and_print("api", args, run, report)


if __name__ == "__main__":
    sys.exit(main())
