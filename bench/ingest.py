"""Ingest PolNeAR train and dev through the API with two real workers; report the automatic
events, the people, the most-quoted people and the throughput, and write samples for a hand
check of person merges and event assignments."""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import Any

import psycopg
from common import (
    DEFAULT_ADMIN_URL,
    DEFAULT_TOKEN,
    REPO_ROOT,
    Processes,
    exit_on_sigterm,
    flush_redis,
    free_port,
    load_corpus,
    migrate,
    print_table,
    reset_database,
    run_and_print,
    service_env,
)
from pipeline import processing_times, push_and_wait, start_stack

SHARED = REPO_ROOT.parent / "shared" / "corpora" / "polnear"
SAMPLE_SIZE = 30


def _parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--corpus",
        type=Path,
        nargs="+",
        help="JSONL files (train and dev)",
        default=[SHARED / "train.jsonl", SHARED / "dev.jsonl"],
    )
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes (2)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients (8)")
    parser.add_argument("--timeout", type=float, default=900, help="max seconds to wait (900)")
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN_URL, help="PostgreSQL admin DB URL")
    parser.add_argument("--db-name", default="reactions_bench_ingest", help="database to recreate")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15", help="Redis DB")
    parser.add_argument(
        "--sample",
        type=Path,
        default=REPO_ROOT / "bench" / "out" / "ingest_sample.txt",
        help="where to write the hand-check samples",
    )
    parser.add_argument("--seed", type=int, default=7, help="random seed of the samples")
    return parser


def payload(article: dict[str, str]) -> dict[str, Any]:
    """The API body of a corpus article: its title, text, outlet and publication day."""
    return {
        "title": article.get("title") or None,
        "text": article["text"],
        "source": article.get("publisher") or None,
        "published_at": f"{article['date']}T12:00:00Z" if article.get("date") else None,
    }


def count(conn: psycopg.Connection[Any], query: str) -> int:
    """The single number a counting query returns."""
    row = conn.execute(query).fetchone()
    return int(row[0]) if row else 0


def figures(conn: psycopg.Connection[Any]) -> dict[str, Any]:
    """Counts of events and people, and the ten most-quoted people."""
    top = conn.execute(
        "SELECT name, kind, reactions FROM people ORDER BY reactions DESC, id LIMIT 10"
    ).fetchall()
    return {
        "automatic_events": count(conn, "SELECT count(*) FROM events WHERE kind = 'auto'"),
        "multi_document_events": count(
            conn,
            "SELECT count(*) FROM (SELECT event_id FROM event_documents GROUP BY event_id "
            "HAVING count(*) > 1) AS grouped",
        ),
        "people": count(conn, "SELECT count(*) FROM people WHERE kind = 'person'"),
        "organisations": count(conn, "SELECT count(*) FROM people WHERE kind <> 'person'"),
        "reactions": count(conn, "SELECT count(*) FROM reactions"),
        "top_people": [{"name": n, "kind": k, "reactions": r} for n, k, r in top],
    }


def write_samples(conn: psycopg.Connection[Any], path: Path, seed: int) -> None:
    """30 people reached under several surface names, 30 documents in multi-document events."""
    rng = random.Random(seed)
    merged = conn.execute(
        "SELECT p.id, p.name, array_agg(DISTINCT r.speaker_name), array_agg(DISTINCT "
        "r.document_id) FROM people p JOIN reactions r ON r.person_id = p.id "
        "GROUP BY p.id, p.name HAVING count(DISTINCT r.document_id) > 1"
    ).fetchall()
    assigned = conn.execute(
        "SELECT ed.event_id, e.title, d.title, d.text FROM event_documents ed "
        "JOIN events e ON e.id = ed.event_id JOIN documents d ON d.id = ed.document_id "
        "WHERE ed.event_id IN (SELECT event_id FROM event_documents GROUP BY event_id "
        "HAVING count(*) > 1)"
    ).fetchall()
    lines = [f"# {len(merged)} people seen in more than one document; {SAMPLE_SIZE} sampled"]
    for person_id, name, names, docs in rng.sample(merged, min(SAMPLE_SIZE, len(merged))):
        lines.append(f"person {person_id} {name!r}: names {sorted(names)} in {len(docs)} docs")
        for (title,) in conn.execute(
            "SELECT d.title FROM documents d WHERE d.id = ANY(%s) LIMIT 4", (docs,)
        ):
            lines.append(f"    doc: {title}")
    lines.append(f"# {len(assigned)} documents in events of several documents; sampled")
    for event_id, event_title, title, text in rng.sample(assigned, min(SAMPLE_SIZE, len(assigned))):
        others = conn.execute(
            "SELECT d.title FROM event_documents ed JOIN documents d ON d.id = ed.document_id "
            "WHERE ed.event_id = %s AND d.title IS DISTINCT FROM %s LIMIT 3",
            (event_id, title),
        ).fetchall()
        lines.append(f"event {event_id} {event_title!r}: doc {title!r}")
        lines.append(f"    first words: {' '.join(text.split()[:30])}")
        lines.extend(f"    other: {other}" for (other,) in others)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Start the stack, push every article, wait, measure; always stop the processes."""
    articles = [a for corpus in args.corpus for a in load_corpus(corpus)]
    db_url = reset_database(args.admin_url, args.db_name)
    flush_redis(args.redis_url)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = service_env(db_url=db_url, redis_url=args.redis_url, token=DEFAULT_TOKEN, port=port)
    migrate(env)
    processes = Processes()
    try:
        start_stack(
            processes, env, base_url=base_url, redis_url=args.redis_url, workers=args.workers
        )
        posted, counts = push_and_wait(
            base_url,
            db_url,
            processes,
            lambda n: payload(articles[n]),
            docs=len(articles),
            clients=args.clients,
            timeout=args.timeout,
            quiet=False,
        )
        _, last_processed = processing_times(db_url, posted.sent_at)
        with psycopg.connect(db_url, autocommit=True, connect_timeout=5) as conn:
            result = figures(conn)
            write_samples(conn, args.sample, args.seed)
    finally:
        processes.stop()
    elapsed = last_processed - posted.first_post
    return {
        "bench": "ingest",
        "articles": len(articles),
        "accepted": len(posted.ids),
        "post_errors": len(posted.errors),
        "processed": counts.get("processed", 0),
        "failed": counts.get("failed", 0),
        "elapsed_s": round(elapsed, 1),
        "docs_per_s": round(len(posted.ids) / elapsed, 1) if elapsed > 0 else None,
        "sample_file": str(args.sample),
        **result,
    }


def main(argv: list[str] | None = None) -> int:
    """Run and print the figures as a table and one JSON line."""
    args = _parser().parse_args(argv)
    exit_on_sigterm()
    missing = [str(path) for path in args.corpus if not path.exists()]
    if missing:
        print(f"corpus missing: {', '.join(missing)} (../shared beside the repo)", file=sys.stderr)
        return 2
    return run_and_print("ingest", args, run, report)


def report(result: dict[str, Any]) -> None:
    """Print the figures as a table, the ten most quoted people one a row."""
    rows = [(k, v) for k, v in result.items() if k != "top_people"]
    rows += [
        (f"top {i + 1}", f"{p['name']} ({p['kind']}): {p['reactions']}")
        for i, p in enumerate(result["top_people"])
    ]
    print_table("PolNeAR ingest", rows)


if __name__ == "__main__":
    sys.exit(main())
