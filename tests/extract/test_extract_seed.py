"""The seed article: every gold direct quote with its speaker and role, plus the indirect one."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import shared_path
from workers.extract import ExtractedQuote, extract_reactions


@pytest.fixture(scope="module")
def seed() -> dict[str, Any]:
    """The seed gold article (its text is also in qwen-lead-steps-down.txt)."""
    path = shared_path("corpora", "seed", "gold.jsonl")
    with path.open(encoding="utf-8") as handle:
        record: dict[str, Any] = json.loads(handle.readline())
    return record


@pytest.fixture(scope="module")
def reactions(seed: dict[str, Any]) -> list[ExtractedQuote]:
    """Reactions extracted from the seed article."""
    return extract_reactions(seed["text"], title=seed.get("title"))


def _overlaps(a: tuple[int, int], b: list[int]) -> bool:
    return min(a[1], b[1]) > max(a[0], b[0])


def test_text_file_matches_gold_text(seed: dict[str, Any]) -> None:
    text = shared_path("corpora", "seed", "qwen-lead-steps-down.txt").read_text(encoding="utf-8")
    assert text.strip() == seed["text"].strip()


def test_every_direct_quote_has_the_right_speaker_and_role(
    seed: dict[str, Any], reactions: list[ExtractedQuote]
) -> None:
    direct = [a for a in seed["attributions"] if a["direct"]]
    assert len(direct) == 7
    for gold in direct:
        span = gold["quotes"][0]
        found = [q for q in reactions if q.kind != "indirect" and _overlaps(q.quote, span)]
        assert len(found) == 1, gold["id"]
        quote = found[0]
        assert quote.speaker is not None
        assert _overlaps(quote.speaker, gold["source"][0]), gold["id"]
        assert quote.speaker_name == gold["speaker_name"], gold["id"]
        assert quote.speaker_type == "person"
        assert (quote.role or "") == gold["role"], gold["id"]


def test_no_other_quoted_reactions(reactions: list[ExtractedQuote]) -> None:
    assert len([q for q in reactions if q.kind != "indirect"]) == 7


def test_indirect_reaction_of_yuchen_jin(
    seed: dict[str, Any], reactions: list[ExtractedQuote]
) -> None:
    (gold,) = [a for a in seed["attributions"] if a["kind"] == "indirect"]
    content = gold["content"][0]
    found = [q for q in reactions if q.kind == "indirect" and _overlaps(q.quote, content)]
    assert len(found) == 1
    quote = found[0]
    assert quote.text.startswith("Lin played a key role")
    assert quote.speaker_name == "Yuchen Jin"
    assert quote.role == gold["role"]
    assert quote.cue_lemma == "say"


def test_platform_x_is_found(reactions: list[ExtractedQuote]) -> None:
    platforms = {q.speaker_name: q.platform for q in reactions if q.kind != "indirect"}
    assert platforms["Junyang Lin"] == "X"
    assert platforms["Elon Musk"] == "X"
