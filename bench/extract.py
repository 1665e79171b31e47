"""Benchmark the quote extraction engine: articles per second over a corpus, and a worst case."""

from __future__ import annotations

import json
import pathlib
import random
import statistics
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workers.extract import extract_reactions  # noqa: E402

DEFAULT_CORPUS = ROOT / ".." / "shared" / "corpora" / "polnear" / "dev.jsonl"
RUNS = 3
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


def main(argv: list[str]) -> int:
    """Time extract_reactions over every article of the corpus, best of RUNS, in one process."""
    path = pathlib.Path(argv[1]) if len(argv) > 1 else DEFAULT_CORPUS
    if not path.is_file():
        print(f"corpus not found: {path} (pass a JSONL path as the first argument)")
        return 2
    articles = load_articles(path)
    timings = []
    quotes = 0
    for _ in range(RUNS):
        start = time.perf_counter()
        quotes = sum(len(extract_reactions(text, title=title)) for text, title in articles)
        timings.append(time.perf_counter() - start)
    best = min(timings)
    print(f"corpus: {path.resolve()} ({len(articles)} articles, {quotes} reactions)")
    print(
        f"articles/second: {len(articles) / best:.0f} (best of {RUNS}; "
        f"median {len(articles) / statistics.median(timings):.0f})"
    )
    print(f"microseconds/article: {best / len(articles) * 1e6:.0f}")
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
