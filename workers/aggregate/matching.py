"""Keyword matching of a document against event definitions: whole words, case-insensitive."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from domain.moments import as_utc
from domain.relevance import EventQuery

MAX_OCCURRENCES = 1000


@dataclass(frozen=True, slots=True)
class EventRule:
    """The part of an event that decides membership: keywords, people and time window select
    its articles; title, description, keywords and people judge their reactions."""

    event_id: int
    keywords: tuple[str, ...]
    match: str
    people: tuple[str, ...] = ()
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    title: str = ""
    description: str | None = None

    @property
    def query(self) -> EventQuery:
        """What the event is about, for judging each reaction's relevance."""
        return EventQuery(
            title=self.title,
            keywords=self.keywords,
            people=self.people,
            description=self.description,
        )

    def in_window(self, moment: datetime) -> bool:
        """Whether a document of this time falls in the event's window (naive means UTC)."""
        moment = as_utc(moment)
        if self.starts_at is not None and moment < as_utc(self.starts_at):
            return False
        return self.ends_at is None or moment < as_utc(self.ends_at)


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


def keyword_spans(keyword: str, text: str) -> list[tuple[int, int]]:
    """Every occurrence of the keyword in the text (bounded to the first 1,000)."""
    spans = []
    for found in _pattern(keyword).finditer(text):
        spans.append(found.span())
        if len(spans) >= MAX_OCCURRENCES:
            break
    return spans


def matching_events(
    *, title: str | None, text: str, moment: datetime, rules: Iterable[EventRule]
) -> list[EventRule]:
    """The events that select this document: keywords (any or all), a person named, the window."""
    haystack = f"{title}\n{text}" if title else text
    matched: list[EventRule] = []
    for rule in rules:
        hits = (keyword_found(keyword, haystack) for keyword in rule.keywords)
        if not rule.keywords or not (all(hits) if rule.match == "all" else any(hits)):
            continue
        if rule.people and not any(keyword_found(name, haystack) for name in rule.people):
            continue
        if rule.in_window(moment):
            matched.append(rule)
    return matched
