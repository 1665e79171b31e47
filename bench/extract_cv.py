"""5-fold cross-validation of the extraction engine on PolNeAR train, and its candidate ceiling.

Folds are md5(id) % 5; for each fold the speaker ranker is retrained on the other four and the
engine's output on the fold is scored by the shared scorer. Prints one row per fold (right
speakers, attribution, end-to-end F1, candidate ceiling) and the totals, which is how every
speaker rule is kept or dropped (docs/EXTRACTION.md). With --ceiling CORPUS it prints only the
shipped model's candidate ceiling on that corpus (an aggregate: no quote is shown).

    .venv/bin/python bench/extract_cv.py [--corpus train.jsonl] [--ceiling dev.jsonl]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import pathlib
import sys
from types import ModuleType
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workers.extract import extract_reactions  # noqa: E402
from workers.extract.engine import speaker_candidates  # noqa: E402
from workers.extract.jsonl import quote_record  # noqa: E402
from workers.extract.model import ExtractedQuote  # noqa: E402
from workers.extract.ranker import load_weights  # noqa: E402
from workers.extract.speakers import build_registry  # noqa: E402
from workers.extract.train_speaker import (  # noqa: E402
    Example,
    _correct,
    _gold_sources,
    _match,
    _name_tokens,
    _Sources,
    _trim,
    examples,
    train,
)

SHARED = ROOT / ".." / "shared"
DEFAULT_CORPUS = SHARED / "corpora" / "polnear" / "train.jsonl"
DEFAULT_SCORER = SHARED / "tools" / "score_quotes.py"
FOLDS = 5
MAX_ARTICLES = 100_000


def fold_of(article_id: str) -> int:
    """The article's fold: md5 of its id modulo FOLDS (stable across runs and machines)."""
    return int(hashlib.md5(str(article_id).encode("utf-8")).hexdigest(), 16) % FOLDS


def load_scorer(path: pathlib.Path) -> ModuleType:
    """Import the shared scorer from its file (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("score_quotes", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"scorer not found: {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_records(path: pathlib.Path) -> list[dict[str, Any]]:
    """Gold articles of a JSONL corpus (at most MAX_ARTICLES)."""
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip()][:MAX_ARTICLES]
    return [json.loads(line) for line in lines]


def _speaker_right(quote: ExtractedQuote, sources: _Sources) -> bool:
    """The scorer's speaker rule for one emitted quote: span overlap or every name word."""
    spans, texts = sources
    if quote.speaker is None and quote.speaker_name is None:
        return not spans
    if quote.speaker is not None:
        start, end = quote.speaker
        if any(min(e, end) > max(s, start) for s, e in spans):
            return True
    name = _name_tokens(quote.speaker_name or "")
    return bool(name) and any(name <= source for source in texts)


def ceiling(records: list[dict[str, Any]], weights: dict[str, float]) -> tuple[int, int]:
    """(matched quotes, quotes whose emitted speaker or one of whose candidates is right)."""
    matched = reachable = 0
    for record in records:
        text, title = record["text"], record.get("title")
        gold = {k: v for k, v in _gold_sources(record).items() if k[1] > k[0]}
        registry = build_registry(text, title)
        options = dict(speaker_candidates(text, title=title))
        for quote in extract_reactions(text, title=title, weights=weights):
            if quote.kind == "indirect":
                continue
            sources = _match(_trim(text, *quote.quote), gold)
            if sources is None:
                continue
            matched += 1
            reachable += _speaker_right(quote, sources) or any(
                _correct(c, sources, registry) for c in options.get(quote.quote, [])
            )
    return matched, reachable


def predictions(records: list[dict[str, Any]], weights: dict[str, float]) -> dict[str, Any]:
    """The engine's scorer-format quotes per article id, ranked with the given weights."""
    return {
        r["id"]: [
            quote_record(q)
            for q in extract_reactions(r["text"], title=r.get("title"), weights=weights)
            if q.kind != "indirect"
        ]
        for r in records
    }


def _row(label: str, res: dict[str, Any], reach: tuple[int, int]) -> str:
    """One table row: right speakers, attribution, quote and end-to-end F1, ceiling."""
    counts = res["counts"]
    matched, reachable = reach
    share = 100 * reachable / matched if matched else 0.0
    return (
        f"| {label} | {counts['gold_articles']} | {counts['matched_overlap']} | "
        f"{counts['speaker_correct']} | {100 * res['attribution_accuracy']:.2f} | "
        f"{100 * res['quote_overlap']['f1']:.2f} | {100 * res['end_to_end']['f1']:.2f} | "
        f"{share:.2f} |"
    )


def cross_validate(records: list[dict[str, Any]], scorer: ModuleType) -> None:
    """Print the per-fold table and the totals over all folds."""
    folds = [fold_of(r["id"]) for r in records]
    data: list[tuple[int, Example]] = []
    for record, fold in zip(records, folds, strict=True):
        data.extend((fold, ex) for ex in examples(iter([json.dumps(record)])))
    print("| fold | articles | matched | right | attribution % | quote F1 | e2e F1 | ceiling % |")
    print("|---|---|---|---|---|---|---|---|")
    pred_map: dict[str, Any] = {}
    total_reach = [0, 0]
    for k in range(FOLDS):
        weights = train([ex for fold, ex in data if fold != k])
        held = [r for r, fold in zip(records, folds, strict=True) if fold == k]
        preds = predictions(held, weights)
        pred_map.update(preds)
        reach = ceiling(held, weights)
        total_reach[0] += reach[0]
        total_reach[1] += reach[1]
        res, _ = scorer.score(held, preds)
        print(_row(str(k), res, reach), flush=True)
    res, _ = scorer.score(records, pred_map)
    print(_row("all", res, (total_reach[0], total_reach[1])))


def main(argv: list[str] | None = None) -> int:
    """Run the cross-validation (or only the ceiling of the shipped model on a corpus)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=pathlib.Path, default=DEFAULT_CORPUS)
    parser.add_argument("--scorer", type=pathlib.Path, default=DEFAULT_SCORER)
    parser.add_argument("--ceiling", type=pathlib.Path, metavar="CORPUS")
    args = parser.parse_args(argv)
    if args.ceiling is not None:
        matched, reachable = ceiling(load_records(args.ceiling), load_weights())
        share = 100 * reachable / matched if matched else 0.0
        print(f"candidate ceiling: {reachable} of {matched} matched quotes ({share:.2f}%)")
        return 0
    if not args.corpus.is_file():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    cross_validate(load_records(args.corpus), load_scorer(args.scorer))
    return 0


if __name__ == "__main__":
    sys.exit(main())
