"""Event summaries: materialised from the tallies in the writing transaction, or computed from
the counted reactions for a time range. Both share one builder."""

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from schemas.reactions import PersonRef, ReactionRead
from schemas.summaries import EventSummary, PersonTally, SentimentSummary
from store.models import (
    Document,
    EventDocument,
    EventReaction,
    EventSummaryRow,
    Person,
    Reaction,
    utcnow,
)
from store.repositories.events import iter_counted, load_figures
from store.repositories.reactions import to_read
from store.tallies import (
    Figures,
    TallySet,
    by_role,
    figures_of,
    label_shares,
    median,
    tally_set,
    timeline,
)

TOP_REACTIONS = 5
POSITIVE_AT = 0.05


def read_summary_body(session: Session, event_id: int) -> tuple[int, str] | None:
    """The version and stored summary of an event as encoded JSON: one primary-key read."""
    row = session.execute(
        select(EventSummaryRow.version, EventSummaryRow.updated_at, EventSummaryRow.body).where(
            EventSummaryRow.event_id == event_id
        )
    ).one_or_none()
    if row is None:
        return None
    version, updated_at, body = row
    return version, body or _empty(event_id, version, updated_at).model_dump_json()


def read_summary(session: Session, event_id: int) -> dict[str, Any] | None:
    """The stored summary of an event as JSON-ready data."""
    stored = read_summary_body(session, event_id)
    return None if stored is None else json.loads(stored[1])


def lock_summaries(session: Session, event_ids: Sequence[int]) -> None:
    """Take the summary row locks up front, in id order, so concurrent writers never deadlock."""
    if event_ids:
        session.execute(
            select(EventSummaryRow.event_id)
            .where(EventSummaryRow.event_id.in_(sorted(set(event_ids))))
            .order_by(EventSummaryRow.event_id)
            .with_for_update()
        ).all()


def rebuild_summaries(session: Session, event_ids: Sequence[int]) -> list[tuple[int, int]]:
    """Recompute and store these events' summaries (rows locked in id order); (event, version)."""
    changed: list[tuple[int, int]] = []
    for event_id in sorted(set(event_ids)):
        row = session.scalars(
            select(EventSummaryRow).where(EventSummaryRow.event_id == event_id).with_for_update()
        ).one_or_none()
        if row is None:
            continue
        row.version += 1
        row.updated_at = utcnow()
        figures = load_figures(session, event_id)
        middle = _indexed_median(session, event_id, figures.total.reactions)
        summary = _build(session, event_id, row, figures, middle)
        row.body = summary.model_dump_json()
        changed.append((event_id, row.version))
    return changed


def summary_in_range(
    session: Session, *, event_id: int, since: datetime | None, until: datetime | None
) -> EventSummary | None:
    """The summary of the reactions made in [since, until), computed from the counted rows."""
    row = session.get(EventSummaryRow, event_id)
    if row is None:
        return None
    counted = list(iter_counted(session, event_id=event_id, since=since, until=until))
    compounds = sorted(reaction.compound for reaction in counted)
    figures = figures_of(tally_set(counted))
    return _build(session, event_id, row, figures, median(compounds), since=since, until=until)


def _empty(event_id: int, version: int, updated_at: datetime) -> EventSummary:
    """The summary of an event nothing has been counted in yet."""
    row = EventSummaryRow(event_id=event_id, version=version, updated_at=updated_at)
    return _summary(event_id, row, figures_of(TallySet()), None, names={}, extras=_Extras())


@dataclass(frozen=True, slots=True)
class _Extras:
    """What a summary reads besides the tallies: counts, first/last times and top reactions."""

    documents: int = 0
    sources: int = 0
    first: datetime | None = None
    last: datetime | None = None
    top_positive: list[ReactionRead] = field(default_factory=list)
    top_negative: list[ReactionRead] = field(default_factory=list)


def _build(
    session: Session,
    event_id: int,
    row: EventSummaryRow,
    figures: Figures,
    middle: float | None,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> EventSummary:
    """The summary from the figures plus indexed reads for documents, tops and first/last."""
    window = _time_window(since, until)
    first, last = _first_last(session, event_id, window)
    documents, sources = _documents_and_sources(session, event_id, since, until)
    extras = _Extras(
        documents=documents,
        sources=sources,
        first=first,
        last=last,
        top_positive=_top(session, event_id, window, positive=True),
        top_negative=_top(session, event_id, window, positive=False),
    )
    names = figures.names or _names(session, [int(key) for key, _ in figures.top_people])
    return _summary(
        event_id, row, figures, middle, names=names, extras=extras, since=since, until=until
    )


def _summary(
    event_id: int,
    row: EventSummaryRow,
    figures: Figures,
    middle: float | None,
    *,
    names: dict[int, str],
    extras: _Extras,
    since: datetime | None = None,
    until: datetime | None = None,
) -> EventSummary:
    """Assemble the summary from its parts (no I/O)."""
    total = figures.total
    return EventSummary(
        event_id=event_id,
        version=row.version,
        updated_at=row.updated_at,
        since=since,
        until=until,
        reactions=total.reactions,
        people=figures.people,
        documents=extras.documents,
        sources=extras.sources,
        first_reaction_at=extras.first,
        last_reaction_at=extras.last,
        sentiment=SentimentSummary(
            mean=total.mean,
            median=middle,
            stddev=total.stddev,
            positive=total.positive,
            neutral=total.neutral,
            negative=total.negative,
            shares=label_shares(total),
        ),
        by_person=[
            PersonTally(
                person=PersonRef(id=int(key), name=names.get(int(key), "")),
                reactions=tally.reactions,
                mean_compound=tally.mean or 0.0,
            )
            for key, tally in figures.top_people
        ],
        by_role=by_role(figures.top_roles),
        timeline=timeline(figures.hours),
        top_positive=extras.top_positive,
        top_negative=extras.top_negative,
    )


def _names(session: Session, person_ids: list[int]) -> dict[int, str]:
    """Names of people by id."""
    if not person_ids:
        return {}
    stmt = select(Person.id, Person.name).where(Person.id.in_(person_ids))
    return dict(session.execute(stmt).tuples().all())


def _time_window(since: datetime | None, until: datetime | None) -> list[ColumnElement[bool]]:
    """Conditions restricting counted rows to [since, until)."""
    conditions: list[ColumnElement[bool]] = [EventReaction.counted.is_(True)]
    if since is not None:
        conditions.append(EventReaction.reacted_at >= since)
    if until is not None:
        conditions.append(EventReaction.reacted_at < until)
    return conditions


def _indexed_median(session: Session, event_id: int, count: int) -> float | None:
    """The median compound of the `count` counted rows, read at the middle offset of the index."""
    if not count:
        return None
    middle = session.scalars(
        select(EventReaction.compound)
        .where(EventReaction.event_id == event_id, EventReaction.counted.is_(True))
        .order_by(EventReaction.compound)
        .offset((count - 1) // 2)
        .limit(2 - count % 2)
    ).all()
    return median(list(middle))


def _first_last(
    session: Session, event_id: int, window: list[ColumnElement[bool]]
) -> tuple[datetime | None, datetime | None]:
    """The first and last reaction times, from the (event, counted, time) index."""
    first, last = session.execute(
        select(func.min(EventReaction.reacted_at), func.max(EventReaction.reacted_at)).where(
            EventReaction.event_id == event_id, *window
        )
    ).one()
    return first, last


def _documents_and_sources(
    session: Session, event_id: int, since: datetime | None, until: datetime | None
) -> tuple[int, int]:
    """How many documents the event holds (in the range) and from how many distinct outlets."""
    stmt = select(func.count(), func.count(func.distinct(EventDocument.outlet))).where(
        EventDocument.event_id == event_id
    )
    if since is not None or until is not None:
        moment = func.coalesce(Document.published_at, Document.created_at)
        stmt = stmt.join(Document, Document.id == EventDocument.document_id)
        if since is not None:
            stmt = stmt.where(moment >= since)
        if until is not None:
            stmt = stmt.where(moment < until)
    documents, sources = session.execute(stmt).one()
    return documents, sources


def outlet_of(source: str | None, url: str | None) -> str | None:
    """Where a document came from: its `source`, else its URL's host."""
    if source:
        return source.strip().lower()[:300] or None
    if url:
        host = urlsplit(url).hostname
        return host.removeprefix("www.") if host else None
    return None


def _top(
    session: Session, event_id: int, window: list[ColumnElement[bool]], *, positive: bool
) -> list[ReactionRead]:
    """The most positive (or negative) counted reactions, with their outlet count.

    Ties go to the newer reaction among the positive and the older among the negative, the
    order in which the (event, counted, compound, reaction) index is read, so the read stops
    after five entries instead of sorting every reaction above the threshold.
    """
    if positive:
        order = (EventReaction.compound.desc(), EventReaction.reaction_id.desc())
        bound = EventReaction.compound >= POSITIVE_AT
    else:
        order = (EventReaction.compound.asc(), EventReaction.reaction_id.asc())
        bound = EventReaction.compound <= -POSITIVE_AT
    chosen = (
        select(EventReaction.reaction_id, EventReaction.outlets, EventReaction.first_url)
        .where(EventReaction.event_id == event_id, bound, *window)
        .order_by(*order)
        .limit(TOP_REACTIONS)
    ).subquery()
    stmt = (
        select(Reaction, Person.name, chosen.c.outlets, chosen.c.first_url)
        .join(chosen, chosen.c.reaction_id == Reaction.id)
        .join(Person, Person.id == Reaction.person_id)
    )
    sign = -1 if positive else 1
    rows = sorted(
        session.execute(stmt).tuples(),
        key=lambda row: (sign * row[0].compound, sign * row[0].id),
    )
    return [
        to_read(reaction, name, outlets=outlets, first_url=first_url)
        for reaction, name, outlets, first_url in rows
    ]
