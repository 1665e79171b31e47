"""Near-duplicate detection: MinHash over word shingles, with LSH bands to find candidates."""

import hashlib
import re
from collections.abc import Sequence

SHINGLE_WORDS = 4
NUM_HASHES = 64
BAND_ROWS = 2
NUM_BANDS = NUM_HASHES // BAND_ROWS
# Measured on tests/collect/fixtures/neardup.json (docs/COLLECTORS.md): republished copies of
# one story estimate 0.53-0.80, different stories on the same subject 0.00-0.03.
SIMILARITY_THRESHOLD = 0.30
MAX_SHINGLES = 20_000
MIN_WORDS = 50
"""Shorter texts (posts, briefs) share too few shingles for the estimate to mean anything."""
_PRIME = (1 << 61) - 1
_MASK = (1 << 64) - 1
_WORD = re.compile(r"\w+")


def _coefficients() -> list[tuple[int, int]]:
    """Fixed (a, b) pairs of the universal hashes, derived from a constant seed."""
    pairs = []
    for i in range(NUM_HASHES):
        digest = hashlib.blake2b(f"minhash-{i}".encode(), digest_size=16).digest()
        pairs.append(
            (int.from_bytes(digest[:8]) % (_PRIME - 1) + 1, int.from_bytes(digest[8:]) % _PRIME)
        )
    return pairs


_COEFFICIENTS = _coefficients()


def shingles(text: str) -> set[int]:
    """64-bit hashes of the overlapping 4-word windows of the lower-cased words of `text`."""
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE_WORDS:
        words = words + [""] * (SHINGLE_WORDS - len(words))
    out: set[int] = set()
    for i in range(min(len(words) - SHINGLE_WORDS + 1, MAX_SHINGLES)):
        window = " ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8")
        out.add(int.from_bytes(hashlib.blake2b(window, digest_size=8).digest()))
    return out


def signature(text: str) -> list[int]:
    """The MinHash signature of `text`: for each hash function, the least shingle hash."""
    hashed = shingles(text)
    return [min((a * h + b) % _PRIME for h in hashed) & _MASK for a, b in _COEFFICIENTS]


def bands(sig: Sequence[int]) -> list[str]:
    """One key per LSH band; two texts sharing any key are compared in full."""
    keys = []
    for i in range(NUM_BANDS):
        rows = repr(tuple(sig[i * BAND_ROWS : (i + 1) * BAND_ROWS])).encode()
        keys.append(f"{i}:{hashlib.blake2b(rows, digest_size=8).hexdigest()}")
    return keys


def similarity(left: Sequence[int], right: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two texts' shingle sets from their signatures."""
    if len(left) != len(right) or not left:
        return 0.0
    return sum(1 for a, b in zip(left, right, strict=True) if a == b) / len(left)


def is_near_duplicate(left: Sequence[int], right: Sequence[int]) -> bool:
    """True when the estimated similarity reaches the measured threshold."""
    return similarity(left, right) >= SIMILARITY_THRESHOLD
