"""Benchmark the quote extraction engine: articles per second over a corpus, and a worst case."""

from __future__ import annotations

import argparse
import importlib.util
import json
import pathlib
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parents[1]

DEFAULT_CORPUS = ROOT / ".." / "shared" / "corpora" / "polnear" / "dev.jsonl"
RUNS = 3
ROUNDS = 3
ADVERSARIAL_CHARS = 1_000_000


def load_articles(path: pathlib.Path) -> list[tuple[str, str | None]]:
    """Read (text, title) pairs from a JSONL corpus."""
    with path.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return [(r["text"], r.get("title")) for r in records]


def adversarial_text(size: int, seed: int = 7) -> str:
    """Random quote marks, commas, newlines and capitalised words: a worst case for the scanner."""
    rng = random.Random(seed)
    pieces = ['"', "\u201c", "\u201d", "''", ",", "\n", " said ", "Smith", "He", "The"]
    out: list[str] = []
    total = 0
    while total < size:
        piece = rng.choice(pieces) + rng.choice(" ,")
        out.append(piece)
        total += len(piece)
    return "".join(out)[:size]


def load_engine(root: pathlib.Path, alias: str = "workers.extract") -> Callable[..., list[Any]]:
    """extract_reactions of the engine checked out at root, imported as package `alias`, so an
    older worktree's engine runs in the same process as this one."""
    package = root / "workers" / "extract"
    spec = importlib.util.spec_from_file_location(
        alias, package / "__init__.py", submodule_search_locations=[str(package)]
    )
    if spec is None or spec.loader is None:
        raise SystemExit(f"no extraction engine under {root}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[alias] = module
    spec.loader.exec_module(module)
    extract: Callable[..., list[Any]] = module.extract_reactions
    return extract


def time_corpus(
    extract: Callable[..., list[Any]], articles: list[tuple[str, str | None]]
) -> tuple[list[float], int]:
    """Seconds of RUNS passes over the articles, and the number of reactions found."""
    timings = []
    quotes = 0
    for _ in range(RUNS):
        start = time.perf_counter()
        quotes = sum(len(extract(text, title=title)) for text, title in articles)
        timings.append(time.perf_counter() - start)
    return timings, quotes


def main(argv: list[str]) -> int:
    """Time extract_reactions over every article of the corpus, best of RUNS, in one process.

    With --baseline ROOT the engine at ROOT (e.g. `git worktree add /tmp/old-engine caaf62e`)
    is loaded beside this one and timed before each of ROUNDS rounds of it, and the ratio of the
    best rates is printed.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=pathlib.Path, default=DEFAULT_CORPUS)
    parser.add_argument("--engine", type=pathlib.Path, default=ROOT)
    parser.add_argument("--baseline", type=pathlib.Path)
    args = parser.parse_args(argv[1:])
    path = args.corpus
    if not path.is_file():
        print(f"corpus not found: {path} (pass a JSONL path as the first argument)")
        return 2
    articles = load_articles(path)
    extract_reactions = load_engine(args.engine)
    baseline = load_engine(args.baseline, "baseline_extract") if args.baseline else None
    timings: list[float] = []
    old: list[float] = []
    for _ in range(ROUNDS if baseline else 1):  # interleaved, as the machine's load drifts
        if baseline is not None:
            old.extend(time_corpus(baseline, articles)[0])
        more, quotes = time_corpus(extract_reactions, articles)
        timings.extend(more)
    best = min(timings)
    print(f"corpus: {path.resolve()} ({len(articles)} articles, {quotes} reactions)")
    print(
        f"articles/second: {len(articles) / best:.0f} (best of {len(timings)}; "
        f"median {len(articles) / statistics.median(timings):.0f})"
    )
    print(f"microseconds/article: {best / len(articles) * 1e6:.0f}")
    if old:
        rate, old_rate = len(articles) / best, len(articles) / min(old)
        print(
            f"baseline {args.baseline}: {old_rate:.0f} articles/second (best of {len(old)}, "
            f"same process, interleaved); ratio {rate / old_rate:.2f}"
        )
    text = adversarial_text(ADVERSARIAL_CHARS)
    start = time.perf_counter()
    found = len(extract_reactions(text))
    print(
        f"worst case: {len(text)} chars of random marks/commas/newlines/names in "
        f"{time.perf_counter() - start:.2f} s ({found} reactions)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
