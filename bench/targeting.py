"""Reaction-to-event targeting measured on a hand-labelled set of multi-event articles.

Each article of `bench/data/targeting.jsonl` defines several events and says, for each quoted
reaction, which events it is about. The articles go through the product's own path with no
database: `extract_reactions`, then `workers.pipeline.process.events_taking` (keyword match,
then each reaction judged for each event alone). Prints precision, recall and F1 of the
(reaction, event) memberships, the reactions the extractor missed, the seed article's result,
and the per-reaction cost of judging next to the cost of extracting.

    .venv/bin/python bench/targeting.py [--data bench/data/targeting.jsonl] [--show-errors]
"""

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from store.models import Document, Reaction
from workers.aggregate.matching import EventRule
from workers.extract import ExtractedQuote, extract_reactions
from workers.pipeline.process import events_taking

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE / "data" / "targeting.jsonl"
SEED = HERE.parents[1] / "shared" / "corpora" / "seed" / "qwen-lead-steps-down.txt"
MAX_ARTICLES = 10_000
SEED_EVENTS = {
    "launch": ("Qwen 3.5 small models launch", ["Qwen 3.5", "Small Model"]),
    "departure": ("Junyang Lin steps down from Qwen", ["stepping down", "Junyang Lin"]),
}
SEED_EXPECTED = {
    "Elon Musk": {"launch"},
    "Wenting Zhao": {"departure"},
    "Yuchen Jin": {"departure"},
    "Tiezhen Wang": {"departure"},
    "Chen Cheng": {"departure"},
    "Binyuan Hui": {"departure"},
    "Junyang Lin": {"departure"},
}


@dataclass(frozen=True, slots=True)
class Article:
    """One labelled article: its events by key and each gold reaction's expected events."""

    id: str
    document: Document
    rules: list[EventRule]
    keys: dict[int, str]
    gold: list[tuple[str, tuple[int, int], set[str]]]


def load(path: Path) -> list[Article]:
    """Read the labelled set; a malformed line is an error naming it."""
    articles = []
    for number, line in enumerate(path.read_text("utf-8").splitlines()[:MAX_ARTICLES], 1):
        if not line.strip():
            continue
        try:
            articles.append(_article(json.loads(line)))
        except (KeyError, ValueError, TypeError) as exc:
            raise SystemExit(f"{path}:{number}: {exc}") from exc
    return articles


def _article(raw: dict[str, Any]) -> Article:
    """One article from its JSON object."""
    text = raw["text"]
    published = datetime.fromisoformat(raw["published_at"].replace("Z", "+00:00"))
    document = Document(
        id=1,
        text=text,
        title=raw.get("title"),
        source=raw.get("source"),
        url=None,
        published_at=published,
        created_at=published,
    )
    rules, keys = [], {}
    for number, event in enumerate(raw["events"], 1):
        rules.append(
            EventRule(
                event_id=number,
                keywords=tuple(event["keywords"]),
                match=event.get("match", "any"),
                people=tuple(event.get("people") or ()),
                title=event["title"],
                description=event.get("description"),
            )
        )
        keys[number] = event["key"]
    gold = []
    for reaction in raw["reactions"]:
        start = text.index(reaction["quote"])
        gold.append(
            (reaction["speaker"], (start, start + len(reaction["quote"])), set(reaction["events"]))
        )
    return Article(id=raw["id"], document=document, rules=rules, keys=keys, gold=gold)


def stored(document: Document, quotes: Sequence[ExtractedQuote]) -> list[Reaction]:
    """The extracted quotes as the pipeline stores them (transient rows, ids in text order)."""
    rows = []
    for number, quote in enumerate(quotes, 1):
        speaker = quote.speaker or (None, None)
        rows.append(
            Reaction(
                id=number,
                document_id=document.id,
                person_id=None,
                quote=quote.text,
                kind=quote.kind,
                role=quote.role,
                span_start=quote.quote[0],
                span_end=quote.quote[1],
                speaker_start=speaker[0],
                speaker_end=speaker[1],
                compound=0.0,
                label="neutral",
                speaker_name=quote.speaker_name,
            )
        )
    return rows


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two character spans share at least one character."""
    return a[0] < b[1] and b[0] < a[1]


@dataclass(slots=True)
class Score:
    """Counts of (reaction, event) memberships against the labels."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    missed: int = 0
    reactions: int = 0

    def line(self) -> str:
        """Precision, recall and F1 as one line."""
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        counts = f"tp {self.tp}, fp {self.fp}, fn {self.fn}"
        return f"precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}  ({counts})"


def evaluate(articles: Sequence[Article], *, show_errors: bool) -> tuple[Score, float, float]:
    """Score every article; the membership counts and seconds spent extracting and judging."""
    score = Score()
    extract_s = judge_s = 0.0
    for article in articles:
        started = time.perf_counter()
        quotes = extract_reactions(article.document.text, title=article.document.title)
        extract_s += time.perf_counter() - started
        rows = stored(article.document, quotes)
        started = time.perf_counter()
        taken = events_taking(article.document, rows, rules=article.rules)
        judge_s += time.perf_counter() - started
        members = {
            reaction_id: {
                article.keys[event_id]
                for event_id, found in taken.items()
                if any(m.reaction_id == reaction_id for m in found)
            }
            for reaction_id in (row.id for row in rows)
        }
        for speaker, span, expected in article.gold:
            score.reactions += 1
            row = next((r for r in rows if _overlaps((r.span_start, r.span_end), span)), None)
            if row is None:
                score.missed += 1
                continue
            got = members[row.id]
            score.tp += len(got & expected)
            score.fp += len(got - expected)
            score.fn += len(expected - got)
            if show_errors and got != expected:
                print(f"  {article.id} {speaker}: expected {sorted(expected)} got {sorted(got)}")
    return score, extract_s, judge_s


def seed_result() -> str:
    """The seed article with its launch and departure events: 'exact' or what differs."""
    if not SEED.exists():
        return f"SKIPPED: {SEED} is missing (../shared beside the repo)"
    text = SEED.read_text("utf-8")
    document = Document(
        id=1,
        text=text,
        title="Leadership change at Qwen",
        source=None,
        url=None,
        published_at=datetime(2026, 3, 4, tzinfo=UTC),
        created_at=datetime(2026, 3, 4, tzinfo=UTC),
    )
    rules = [
        EventRule(event_id=n, keywords=tuple(kw), match="any", title=title)
        for n, (title, kw) in enumerate(SEED_EVENTS.values(), 1)
    ]
    names = dict(enumerate(SEED_EVENTS, 1))
    rows = stored(document, extract_reactions(text, title=document.title))
    taken = events_taking(document, rows, rules=rules)
    wrong = []
    for row in rows:
        got = {
            names[e] for e, found in taken.items() if any(m.reaction_id == row.id for m in found)
        }
        expected = SEED_EXPECTED.get(row.speaker_name or "")
        if expected is not None and got != expected:
            wrong.append(f"{row.speaker_name}: {sorted(got)} (expected {sorted(expected)})")
    return (
        "exact (" + ", ".join(f"{k}: {sorted(v)}" for k, v in SEED_EXPECTED.items()) + ")"
        if not wrong
        else "; ".join(wrong)
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the measurement and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="labelled JSONL set")
    parser.add_argument("--show-errors", action="store_true", help="print each wrong reaction")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"error: {args.data} does not exist", file=sys.stderr)
        return 2
    articles = load(args.data)
    score, extract_s, judge_s = evaluate(articles, show_errors=args.show_errors)
    pairs = sum(len(a.gold) * len(a.rules) for a in articles)
    print(
        f"articles {len(articles)}, events {sum(len(a.rules) for a in articles)}, "
        f"gold reactions {score.reactions} ({score.missed} not extracted), "
        f"judged pairs {pairs}"
    )
    print("memberships: " + score.line())
    found = max(1, score.reactions - score.missed)
    print(
        f"cost: judging {judge_s / found * 1e6:.0f} us per reaction "
        f"({judge_s / len(articles) * 1e3:.2f} ms per article, all its events), "
        f"extracting {extract_s / len(articles) * 1e3:.2f} ms per article: "
        f"judging is {judge_s / extract_s:.1%} of extraction"
    )
    print("seed: " + seed_result())
    return 0


if __name__ == "__main__":
    sys.exit(main())
