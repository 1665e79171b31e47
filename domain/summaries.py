"""Event summaries as typed values: assembled from tallies and reads, and advanced by what
documents added. Repositories read and store; this module decides what a summary says."""

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from domain.memberships import Addition, Membership
from domain.sentiment import NEGATIVE_AT
from domain.tallies import (
    MAX_BY_PERSON,
    MAX_BY_ROLE,
    TOTAL,
    Figures,
    Tally,
    by_role,
    label_shares,
    merge_ranked,
    timeline,
)
from schemas.reactions import PersonRef, ReactionRead
from schemas.summaries import EventSummary, PersonTally, SentimentSummary

TOP_REACTIONS = 5


@dataclass(frozen=True, slots=True)
class SummaryReads:
    """What a summary reads besides the tallies: counts, first/last times and top reactions."""

    documents: int = 0
    sources: int = 0
    first: datetime | None = None
    last: datetime | None = None
    top_positive: list[ReactionRead] = field(default_factory=list)
    top_negative: list[ReactionRead] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Stamp:
    """Which summary this is: the event, its version and when it was made, and the time range
    it covers (none for the materialised summary)."""

    event_id: int
    version: int
    updated_at: datetime
    since: datetime | None = None
    until: datetime | None = None


def summary_of(
    stamp: Stamp,
    figures: Figures,
    *,
    middle: float | None,
    names: Mapping[int, str],
    reads: SummaryReads,
) -> EventSummary:
    """The summary from the tally figures, the median and what was read beside them."""
    total = figures.total
    return EventSummary(
        event_id=stamp.event_id,
        version=stamp.version,
        updated_at=stamp.updated_at,
        since=stamp.since,
        until=stamp.until,
        reactions=total.reactions,
        people=figures.people,
        documents=reads.documents,
        sources=reads.sources,
        first_reaction_at=reads.first,
        last_reaction_at=reads.last,
        sentiment=sentiment_of(total, middle),
        by_person=[person_tally(int(key), tally, names=names) for key, tally in figures.top_people],
        by_role=by_role(figures.top_roles),
        timeline=timeline(figures.hours),
        top_positive=reads.top_positive,
        top_negative=reads.top_negative,
    )


def empty_summary(stamp: Stamp) -> EventSummary:
    """The summary of an event nothing has been counted in yet."""
    empty = Figures(total=Tally(), people=0, top_people=[], top_roles=[], hours={})
    return summary_of(stamp, empty, middle=None, names={}, reads=SummaryReads())


def sentiment_of(total: Tally, middle: float | None) -> SentimentSummary:
    """Mean, median, spread and labels of the counted reactions."""
    return SentimentSummary(
        mean=total.mean,
        median=middle,
        stddev=total.stddev,
        positive=total.positive,
        neutral=total.neutral,
        negative=total.negative,
        shares=label_shares(total),
    )


def person_tally(person_id: int, tally: Tally, *, names: Mapping[int, str]) -> PersonTally:
    """One person's line of the summary."""
    return PersonTally(
        person=PersonRef(id=person_id, name=names.get(person_id, "")),
        reactions=tally.reactions,
        mean_compound=tally.mean or 0.0,
    )


def top_entrants(fresh: Sequence[Membership], *, positive: bool) -> list[Membership]:
    """The new reactions that could enter one side's top list (past the label threshold), in
    its order: the most positive first, or the most negative."""
    sign = -1 if positive else 1
    qualifying = [m for m in fresh if sign * m.compound <= NEGATIVE_AT]
    return heapq.nsmallest(
        TOP_REACTIONS, qualifying, key=lambda m: (sign * m.compound, sign * m.reaction_id)
    )


@dataclass(frozen=True, slots=True)
class AdvanceReads:
    """What advancing a summary reads, bounded by the size of the addition: the entrants of
    both top lists in their API shape, the names of the people touched, the hourly tallies
    and the median once the fresh reactions joined."""

    top_positive: list[ReactionRead]
    top_negative: list[ReactionRead]
    names: Mapping[int, str]
    hours: Mapping[str, Tally]
    middle: float | None


def advanced(
    stored: EventSummary, addition: Addition, *, stamp: Stamp, reads: AdvanceReads
) -> EventSummary:
    """The stored summary plus what documents added, as the new version `stamp` names.

    Additions only grow tallies, so the touched tallies replace theirs in the ranked lists and
    the new reactions join the tops; nothing needs the rest of the event.
    """
    update: dict[str, object] = {
        "version": stamp.version,
        "updated_at": stamp.updated_at,
        "people": stored.people + addition.new_people,
        "documents": stored.documents + addition.new_documents,
        "sources": stored.sources + addition.new_sources,
        "top_positive": _advanced_top(
            stored.top_positive, reads.top_positive, addition.repeats, positive=True
        ),
        "top_negative": _advanced_top(
            stored.top_negative, reads.top_negative, addition.repeats, positive=False
        ),
    }
    if addition.fresh:
        total = addition.tallies[TOTAL]
        moments = [member.reacted_at for member in addition.fresh]
        known = [m for m in (stored.first_reaction_at, stored.last_reaction_at) if m is not None]
        people = [
            person_tally(int(key), tally, names=reads.names)
            for key, tally in addition.touched("person").items()
        ]
        update |= {
            "reactions": total.reactions,
            "first_reaction_at": min([*known, *moments]),
            "last_reaction_at": max([*known, *moments]),
            "sentiment": sentiment_of(total, reads.middle),
            "by_person": merge_ranked(
                stored.by_person,
                people,
                order=lambda entry: (-entry.reactions, entry.person.id),
                identity=lambda entry: entry.person.id,
                limit=MAX_BY_PERSON,
            ),
            "by_role": merge_ranked(
                stored.by_role,
                by_role(addition.touched("role").items()),
                order=lambda role: (-role.reactions, role.role),
                identity=lambda role: role.role,
                limit=MAX_BY_ROLE,
            ),
            "timeline": timeline(reads.hours),
        }
    return stored.model_copy(update=update)


def _advanced_top(
    ranked: list[ReactionRead],
    entrants: list[ReactionRead],
    repeats: Mapping[int, int],
    *,
    positive: bool,
) -> list[ReactionRead]:
    """One side's top reactions with the entrants, and the outlets repeats added."""
    sign = -1 if positive else 1
    merged = merge_ranked(
        ranked,
        entrants,
        order=lambda read: (sign * read.sentiment.compound, sign * read.id),
        identity=lambda read: read.id,
        limit=TOP_REACTIONS,
    )
    return [
        read.model_copy(update={"outlets": (read.outlets or 0) + repeats[read.id]})
        if read.id in repeats
        else read
        for read in merged
    ]
