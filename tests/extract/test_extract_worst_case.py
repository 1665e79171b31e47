"""Worst case: a megabyte of random marks, commas, newlines and names finishes quickly."""

from __future__ import annotations

import random
import time

import pytest

from workers.extract import ExtractInputError, extract_reactions
from workers.extract.engine import MAX_QUOTES, MAX_TEXT_CHARS

_PIECES = ['"', "\u201c", "\u201d", "''", ",", "\n", " said ", "Smith", "He", "The", " "]


def _random_text(size: int, seed: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(_PIECES) for _ in range(size // 2))[:size]


def test_one_megabyte_of_marks_finishes_in_bounded_time() -> None:
    text = _random_text(1_000_000, seed=3)
    start = time.perf_counter()
    quotes = extract_reactions(text)
    assert time.perf_counter() - start < 5.0
    assert len(quotes) <= 2 * MAX_QUOTES


@pytest.mark.parametrize(
    "text",
    [
        ('"A, ' + "Smith said, " * 20 + '"') * 2000,
        ("Smith said, The Sen. Jones, " * 40000)[:1_000_000],
        " " * 999_000 + '"a b c d" he said.',
        '\n"x' * 300_000,
    ],
    ids=["one-paragraph", "cues-without-quotes", "whitespace", "newlines"],
)
def test_other_megabyte_shapes_finish(text: str) -> None:
    start = time.perf_counter()
    extract_reactions(text)
    assert time.perf_counter() - start < 5.0


def test_oversized_text_is_rejected() -> None:
    with pytest.raises(ExtractInputError):
        extract_reactions("x" * (MAX_TEXT_CHARS + 1))
