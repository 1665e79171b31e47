"""Keyword matching of a document against event definitions: whole words, case-insensitive."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class EventRule:
    """The part of an event that decides membership."""

    event_id: int
    keywords: tuple[str, ...]
    match: str


@lru_cache(maxsize=4096)
def _pattern(keyword: str) -> re.Pattern[str]:
    """A pattern for the keyword as a whole phrase, any whitespace between its words."""
    words = [re.escape(word) for word in keyword.split()]
    body = r"\s+".join(words)
    start = r"\b" if keyword[:1].isalnum() else ""
    end = r"\b" if keyword[-1:].isalnum() else ""
    return re.compile(start + body + end, re.IGNORECASE)


def keyword_found(keyword: str, text: str) -> bool:
    """Whether the keyword occurs in the text as a whole word or phrase."""
    return _pattern(keyword).search(text) is not None


def matching_events(*, title: str | None, text: str, rules: Iterable[EventRule]) -> list[int]:
    """Ids of the events whose keywords select this document (any or all of them)."""
    haystack = f"{title}\n{text}" if title else text
    matched: list[int] = []
    for rule in rules:
        hits = (keyword_found(keyword, haystack) for keyword in rule.keywords)
        if rule.keywords and (all(hits) if rule.match == "all" else any(hits)):
            matched.append(rule.event_id)
    return matched
