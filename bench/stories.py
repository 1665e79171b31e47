"""Automatic stories: build the IDF table, sweep the threshold on the labelled set, run PolNeAR.

.venv/bin/python bench/stories.py build-idf   # writes workers/aggregate/data/story_idf.json
.venv/bin/python bench/stories.py evaluate    # threshold sweep + PolNeAR train+dev run
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from itertools import combinations
from pathlib import Path

from workers.aggregate.stories import (
    DEFAULT_THRESHOLD,
    DEFAULT_WINDOW,
    IDF_PATH,
    add_to_centroid,
    document_frequencies,
    group_stories,
    new_centroid,
    story_doc,
    story_title,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
POLNEAR = REPO_ROOT.parent / "shared" / "corpora" / "polnear"
FIXTURE = REPO_ROOT / "tests" / "aggregate" / "fixtures" / "stories.json"
THRESHOLDS = [round(0.025 * step, 3) for step in range(2, 25)]


def read_jsonl(path: Path) -> Iterator[dict[str, str]]:
    """The records of a JSONL file; a missing file exits with a one-line message."""
    if not path.is_file():
        sys.exit(f"corpus not found: {path} (pass --polnear DIR holding train.jsonl, dev.jsonl)")
    with path.open(encoding="utf-8") as handle:
        yield from (json.loads(line) for line in handle if line.strip())


def build_idf(polnear: Path, output: Path) -> None:
    """Write the document-frequency table (term counts only) of PolNeAR train to `output`."""
    records = list(read_jsonl(polnear / "train.jsonl"))
    table = document_frequencies((r.get("title") or "", r["text"]) for r in records)
    payload = {
        "source": "PolNeAR v1.0.0 train.jsonl, built by bench/stories.py build-idf",
        "documents": table.documents,
        "frequencies": dict(table.frequencies),
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"wrote {output}: {table.documents} documents, {len(table.frequencies)} terms")


def pairwise_scores(gold: Sequence[str], predicted: Sequence[int]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of a clustering against gold labels."""
    pairs = list(combinations(range(len(gold)), 2))
    same_gold = {(i, j) for i, j in pairs if gold[i] == gold[j]}
    same_pred = {(i, j) for i, j in pairs if predicted[i] == predicted[j]}
    hits = len(same_gold & same_pred)
    precision = hits / len(same_pred) if same_pred else 1.0
    recall = hits / len(same_gold) if same_gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def bcubed_f1(gold: Sequence[str], predicted: Sequence[int]) -> float:
    """B-cubed F1: per-item precision and recall of its cluster, averaged over items."""
    precision = recall = 0.0
    for i in range(len(gold)):
        same_pred = [j for j in range(len(gold)) if predicted[j] == predicted[i]]
        same_gold = [j for j in range(len(gold)) if gold[j] == gold[i]]
        both = sum(1 for j in same_pred if gold[j] == gold[i])
        precision += both / len(same_pred)
        recall += both / len(same_gold)
    precision, recall = precision / len(gold), recall / len(gold)
    return 2 * precision * recall / (precision + recall)


def sweep(window: timedelta) -> None:
    """Print the clustering quality on the labelled fixture for each threshold."""
    articles = json.loads(FIXTURE.read_text(encoding="utf-8"))["articles"]
    articles.sort(key=lambda a: (a["time"], a["id"]))
    docs = [
        story_doc(title=a["title"], text=a["text"], time=datetime.fromisoformat(a["time"]))
        for a in articles
    ]
    gold = [a["story"] for a in articles]
    print(
        f"\nThreshold sweep on {FIXTURE.relative_to(REPO_ROOT)}: {len(docs)} articles, "
        f"{len(set(gold))} gold stories, window {window.days} days, in time order"
    )
    print("| threshold | stories | pairwise P | pairwise R | pairwise F1 | B-cubed F1 |")
    print("|---:|---:|---:|---:|---:|---:|")
    for threshold in THRESHOLDS:
        labels = group_stories(docs, threshold=threshold, window=window)
        precision, recall, f1 = pairwise_scores(gold, labels)
        print(
            f"| {threshold:.3f} | {len(set(labels))} | {precision:.3f} | {recall:.3f} "
            f"| {f1:.3f} | {bcubed_f1(gold, labels):.3f} |"
        )


def polnear_run(polnear: Path, *, threshold: float, window: timedelta) -> None:
    """Cluster PolNeAR train+dev in date order and print the story figures and speed."""
    records = [*read_jsonl(polnear / "train.jsonl"), *read_jsonl(polnear / "dev.jsonl")]
    records.sort(key=lambda r: (r["date"], r["id"]))
    started = time.perf_counter()
    docs = [
        story_doc(title=r.get("title"), text=r["text"], time=datetime.fromisoformat(r["date"]))
        for r in records
    ]
    vectorised = time.perf_counter()
    labels = group_stories(docs, threshold=threshold, window=window)
    finished = time.perf_counter()
    elapsed = finished - started
    members: dict[int, list[int]] = defaultdict(list)
    for index, label in enumerate(labels):
        members[label].append(index)
    sizes = Counter(len(indexes) for indexes in members.values())
    print(
        f"\nPolNeAR train+dev: {len(docs)} articles, threshold {threshold}, "
        f"window {window.days} days"
    )
    print(
        f"stories: {len(members)}; {len(docs) / elapsed:,.0f} docs/s end to end, one process "
        f"(vectorising {vectorised - started:.2f} s, clustering {finished - vectorised:.2f} s)"
    )
    buckets = {"1": (1, 1), "2": (2, 2), "3-5": (3, 5), "6-10": (6, 10), ">10": (11, 10**9)}
    print("| story size | stories | articles |")
    print("|---|---:|---:|")
    for name, (low, high) in buckets.items():
        count = sum(n for size, n in sizes.items() if low <= size <= high)
        articles = sum(size * n for size, n in sizes.items() if low <= size <= high)
        print(f"| {name} | {count} | {articles} |")
    print("\n10 largest stories:")
    print("| size | dates | publishers | generated title |")
    print("|---:|---|---:|---|")
    largest = sorted(members.values(), key=lambda indexes: (-len(indexes), indexes[0]))[:10]
    for indexes in largest:
        centroid = new_centroid(0, docs[indexes[0]])
        for index in indexes[1:]:
            centroid = add_to_centroid(centroid, docs[index])
        title = story_title([records[i].get("title") or "" for i in indexes], centroid)
        dates = f"{records[indexes[0]]['date']}..{records[indexes[-1]]['date']}"
        publishers = len({records[i]["publisher"] for i in indexes})
        print(f"| {len(indexes)} | {dates} | {publishers} | {title} |")


def main() -> None:
    """Parse the command line and run the chosen step."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["build-idf", "evaluate"])
    parser.add_argument("--polnear", type=Path, default=POLNEAR)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--window-days", type=float, default=DEFAULT_WINDOW.days)
    args = parser.parse_args()
    window = timedelta(days=args.window_days)
    if args.step == "build-idf":
        build_idf(args.polnear, IDF_PATH)
        return
    sweep(window)
    polnear_run(args.polnear, threshold=args.threshold, window=window)


if __name__ == "__main__":
    main()
