"""Train the speaker ranker on PolNeAR gold: `python -m workers.extract.train_speaker`.

For every quote the engine reports that matches a gold direct quote, the candidates whose span
overlaps a gold source or whose resolved name the scorer accepts (or 'no speaker' for a gold
quote without source) are the right ones; a conditional logistic model (softmax over one
quote's candidates, L2-regularised, full-batch gradient descent from zero weights) learns the
feature weights. Deterministic: same corpus, same weights file.
"""

from __future__ import annotations

import argparse
import json
import math
import pathlib
import re
import sys
import unicodedata
from collections.abc import Iterator
from typing import Any

from .engine import speaker_candidates
from .ranker import WEIGHTS_PATH, Candidate, score
from .speakers import Registry, build_registry, resolve_name

DEFAULT_CORPUS = pathlib.Path("../shared/corpora/polnear/train.jsonl")
MIN_OVERLAP = 0.5
EPOCHS = 300
LEARNING_RATE = 1.0
L2 = 1e-3
MAX_ARTICLES = 100_000

Example = tuple[list[frozenset[str]], list[bool]]
# Gold sources of one quote: their spans, and the word sets of their source texts.
_Sources = tuple[list[tuple[int, int]], list[frozenset[str]]]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past spaces and punctuation, as the scorer compares spans."""

    def edge(ch: str) -> bool:
        return ch.isspace() or unicodedata.category(ch).startswith("P")

    while start < end and edge(text[start]):
        start += 1
    while end > start and edge(text[end - 1]):
        end -= 1
    return start, end


def _gold_sources(record: dict[str, Any]) -> dict[tuple[int, int], _Sources]:
    """Trimmed span of every gold direct quote -> the source spans and texts of its attributions."""
    text = record["text"]
    gold: dict[tuple[int, int], _Sources] = {}
    for attribution in record.get("attributions", []):
        if not attribution.get("direct"):
            continue
        for start, end in attribution["quotes"]:
            spans, texts = gold.setdefault(_trim(text, start, end), ([], []))
            spans.extend((s, e) for s, e in attribution["source"])
            if attribution["source"]:
                texts.append(_name_tokens(attribution.get("source_text", "")))
    return gold


def _name_tokens(name: str) -> frozenset[str]:
    """Lower-case word tokens of a name, as the scorer compares a speaker_name to a source."""
    return frozenset(re.findall(r"\w+", name.replace("\u2019", "'").lower()))


def _match(span: tuple[int, int], gold: dict[tuple[int, int], _Sources]) -> _Sources | None:
    """Sources of the gold quote overlapping span by at least MIN_OVERLAP of the longer one."""
    for (start, end), sources in gold.items():
        shared = min(end, span[1]) - max(start, span[0])
        if shared > 0 and shared >= MIN_OVERLAP * max(end - start, span[1] - span[0]):
            return sources
    return None


def _correct(candidate: Candidate, sources: _Sources, registry: Registry) -> bool:
    """Whether a candidate names the gold source (span overlap, or a resolved name the scorer
    accepts: all its words in the source text), or is 'no speaker' for a sourceless quote."""
    spans, texts = sources
    if candidate.mention is None:
        return not spans
    m = candidate.mention
    if any(min(e, m.end) > max(s, m.start) for s, e in spans):
        return True
    name = _name_tokens(resolve_name(m, registry) or "")
    return bool(name) and any(name <= source for source in texts)


def examples(lines: Iterator[str]) -> Iterator[Example]:
    """Feature sets and labels of every matched quote with at least one right candidate."""
    for n, line in enumerate(lines):
        if n >= MAX_ARTICLES:
            break
        if not line.strip():
            continue
        record = json.loads(line)
        text = record["text"]
        gold = {k: v for k, v in _gold_sources(record).items() if k[1] > k[0]}
        registry = build_registry(text, record.get("title"))
        for span, options in speaker_candidates(text, title=record.get("title")):
            sources = _match(_trim(text, *span), gold)
            if sources is None:
                continue
            labels = [_correct(c, sources, registry) for c in options]
            if any(labels):
                yield [c.features for c in options], labels


def train(data: list[Example], *, epochs: int = EPOCHS) -> dict[str, float]:
    """Fit the weights: maximise the log-probability of the right candidates of each quote."""
    weights: dict[str, float] = {}
    for _ in range(epochs):
        grad: dict[str, float] = {}
        for features, labels in data:
            scores = [score(fs, weights) for fs in features]
            top = max(scores)
            exp = [math.exp(s - top) for s in scores]
            total = sum(exp)
            right = sum(e for e, ok in zip(exp, labels, strict=True) if ok)
            for fs, e, ok in zip(features, exp, labels, strict=True):
                delta = e / total - (e / right if ok else 0.0)
                for f in fs:
                    grad[f] = grad.get(f, 0.0) + delta
        for f, g in grad.items():
            w = weights.get(f, 0.0)
            weights[f] = w - LEARNING_RATE * (g / len(data) + L2 * w)
    return {f: round(w, 4) for f, w in sorted(weights.items()) if abs(w) >= 1e-4}


def accuracy(data: list[Example], weights: dict[str, float]) -> float:
    """Share of quotes whose top-scored candidate is a right one."""
    hits = 0
    for features, labels in data:
        scores = [score(fs, weights) for fs in features]
        hits += labels[scores.index(max(scores))]
    return hits / len(data) if data else 0.0


def main(argv: list[str] | None = None) -> int:
    """Read the gold corpus, train, write the weights file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=pathlib.Path, default=DEFAULT_CORPUS)
    parser.add_argument("--output", type=pathlib.Path, default=WEIGHTS_PATH)
    args = parser.parse_args(argv)
    with args.corpus.open(encoding="utf-8") as handle:
        data = list(examples(handle))
    weights = train(data)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    payload = {"corpus": args.corpus.name, "quotes": len(data), "weights": weights}
    args.output.write_text(json.dumps(payload, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(
        f"{len(data)} quotes, {len(weights)} weights, training accuracy "
        f"{100 * accuracy(data, weights):.1f}% -> {args.output}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
