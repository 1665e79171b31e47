"""Memberships: a reaction as an event holds it, what documents add to an event, and the key
that makes one quote carried by several outlets count once."""

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from domain.tallies import CountedReaction, Tally
from schemas.reactions import QuoteKind, SentimentLabel

_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class Membership:
    """A reaction as an event sees it: who, what (by quote key), how, when, where, and how much
    (with the evidence) it is about the event."""

    reaction_id: int
    person_id: int | None
    quote_key: str
    compound: float
    label: SentimentLabel
    kind: QuoteKind
    role: str | None
    outlet: str | None
    url: str | None
    reacted_at: datetime
    relevance: float = 1.0
    evidence: tuple[str, ...] = ()

    def counted(self) -> CountedReaction:
        """What the tallies read of this membership once it is counted."""
        return CountedReaction.of(self)


@dataclass(frozen=True, slots=True)
class Arrival:
    """A processed document joining an event: its id, its outlet and its member reactions."""

    document_id: int
    outlet: str | None
    members: Sequence[Membership]


@dataclass(frozen=True, slots=True)
class Addition:
    """What documents added to an event, enough to advance the event's stored summary.

    `fresh` are the memberships counted now; `repeats` the outlets added to quotes counted
    before (by counted reaction id); `tallies` the new values of every tally touched, with
    `new_people` the person tallies that did not exist before; `new_documents` and
    `new_sources` what the event's document and outlet counts grew by.
    """

    event_id: int
    fresh: list[Membership]
    repeats: dict[int, int]
    tallies: dict[tuple[str, str], Tally]
    new_people: int
    new_documents: int
    new_sources: int

    def touched(self, dimension: str) -> dict[str, Tally]:
        """The new values of the tallies of one dimension ("person", "role", ...) it touched."""
        return {key: tally for (name, key), tally in self.tallies.items() if name == dimension}


def copies_counted(members: Sequence[tuple[int, int | None, str]]) -> dict[int, int]:
    """Of (reaction, person, quote key) memberships in reaction order, the first copy of each
    quote by each person counts: its reaction id and how many outlets carried the quote.

    A quote by no person (an unresolved description) is its own, as the unique index of
    counted quotes, where NULLs never collide, has it on insert.
    """
    firsts: dict[tuple[int, str], int] = {}
    outlets: dict[int, int] = {}
    for reaction_id, person_id, key in members:
        identity = (-reaction_id, "") if person_id is None else (person_id, key)
        first = firsts.setdefault(identity, reaction_id)
        outlets[first] = outlets.get(first, 0) + 1
    return outlets


@lru_cache(maxsize=8192)
def quote_key(quote: str) -> str:
    """Identity of a quote across outlets: its words, case- and punctuation-insensitive."""
    words = _NOT_WORD.sub(" ", quote.lower()).split()
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()
