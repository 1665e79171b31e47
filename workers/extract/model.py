"""Public result type and errors of the extraction engine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

QuoteKind = Literal["direct", "partial", "indirect"]
# "description": a placeholder the article names no one for ("two people briefed", "Critics").
SpeakerType = Literal["person", "organisation", "description"]


class ExtractInputError(ValueError):
    """Bad extraction input (malformed JSONL line, oversized article); the message says where."""


@dataclass(frozen=True, slots=True)
class ExtractedQuote:
    """One reaction: quote span and text, cue, local speaker mention and resolved speaker."""

    quote: tuple[int, int]
    text: str
    kind: QuoteKind
    cue: tuple[int, int] | None
    cue_lemma: str | None
    speaker: tuple[int, int] | None
    speaker_name: str | None
    speaker_type: SpeakerType | None
    role: str | None
    platform: str | None
    confidence: float
    affiliation: str | None = None  # the organisation the role names ("at Hugging Face")
