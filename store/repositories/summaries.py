"""Event summaries: read, locked and stored here, decided in `domain/summaries.py`. A summary is
materialised in the writing transaction (advanced by what documents added, or rebuilt from the
tallies after a correction), or computed from the counted reactions for a time range."""

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import ColumnElement, func, literal, select, true, tuple_
from sqlalchemy.orm import Session

from domain.memberships import Addition, Membership
from domain.sentiment import NEGATIVE_AT, POSITIVE_AT
from domain.summaries import (
    TOP_REACTIONS,
    AdvanceReads,
    Stamp,
    SummaryReads,
    advanced,
    empty_summary,
    summary_of,
    top_entrants,
)
from domain.tallies import Figures, median, median_shift
from schemas.reactions import ReactionRead
from schemas.summaries import EventSummary
from store.models import (
    Document,
    EventDocument,
    EventReaction,
    EventSummaryRow,
    Person,
    Reaction,
    utcnow,
)
from store.repositories.events import load_figures, load_hours
from store.repositories.ranges import range_figures
from store.repositories.reactions import EventView, to_read


def read_summary_body(session: Session, event_id: int) -> tuple[int, bytes] | None:
    """The version and stored summary of an event as encoded JSON, ready to send: one
    primary-key read."""
    row = session.execute(
        select(EventSummaryRow.version, EventSummaryRow.updated_at, EventSummaryRow.body).where(
            EventSummaryRow.event_id == event_id
        )
    ).one_or_none()
    if row is None:
        return None
    version, updated_at, body = row
    empty = empty_summary(Stamp(event_id=event_id, version=version, updated_at=updated_at))
    return version, (body or empty.model_dump_json()).encode()


def read_event_summary(session: Session, event_id: int) -> EventSummary | None:
    """The stored summary of an event, decoded once into its model."""
    stored = read_summary_body(session, event_id)
    return None if stored is None else EventSummary.model_validate_json(stored[1])


def read_summary(session: Session, event_id: int) -> dict[str, Any] | None:
    """The stored summary of an event as the JSON data the edges send (webhooks, pages)."""
    stored = read_summary_body(session, event_id)
    return None if stored is None else json.loads(stored[1])


def lock_summaries(session: Session, event_ids: Sequence[int]) -> dict[int, EventSummaryRow]:
    """Lock the summary rows of these events in id order, so concurrent writers never deadlock;
    the rows as they are now, by event (an event deleted meanwhile has none)."""
    if not event_ids:
        return {}
    rows = session.scalars(
        select(EventSummaryRow)
        .where(EventSummaryRow.event_id.in_(sorted(set(event_ids))))
        .order_by(EventSummaryRow.event_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {row.event_id: row for row in rows}


def rebuild_summaries(session: Session, event_ids: Sequence[int]) -> list[tuple[int, int]]:
    """Recompute and store these events' summaries (rows locked in id order); (event, version)."""
    changed: list[tuple[int, int]] = []
    with session.no_autoflush:  # each summary row is written once, at the end
        for event_id, row in lock_summaries(session, event_ids).items():
            _rebuild(session, row)
            changed.append((event_id, row.version))
    return changed


def advance_summaries(
    session: Session, rows: dict[int, EventSummaryRow], *, additions: Sequence[Addition]
) -> list[tuple[int, int]]:
    """Advance the summaries in `rows` (locked by the caller with `lock_summaries`) by what
    documents added, one addition per event (`events.add_documents`); (event, version) of each.

    Reads are bounded by the size of the addition (`domain.summaries.advanced`). A summary with
    no stored body or median cursor yet (a new event, or one migrated from before the cursor),
    or stored in another shape than today's `EventSummary`, is rebuilt instead.
    """
    changed: list[tuple[int, int]] = []
    with session.no_autoflush:  # each summary row is written once, at the end
        for addition in sorted(additions, key=lambda item: item.event_id):
            row = rows.get(addition.event_id)
            if row is None:
                continue
            stored = _stored(row)
            if stored is None or (stored.reactions and row.median_reaction_id is None):
                _rebuild(session, row)
            else:
                _advance(session, row, stored, addition)
            changed.append((addition.event_id, row.version))
    return changed


def _stored(row: EventSummaryRow) -> EventSummary | None:
    """The row's stored summary, or None when it has none or one in an older shape."""
    if not row.body:
        return None
    try:
        return EventSummary.model_validate_json(row.body)
    except ValidationError:
        return None


def _next_stamp(row: EventSummaryRow) -> Stamp:
    """Bump the row to a new version, now; the stamp of the summary it will store."""
    row.version += 1
    row.updated_at = utcnow()
    return Stamp(event_id=row.event_id, version=row.version, updated_at=row.updated_at)


def _rebuild(session: Session, row: EventSummaryRow) -> None:
    """Recompute a summary from the tallies and indexed reads, as a new version."""
    stamp = _next_stamp(row)
    figures = load_figures(session, row.event_id)
    middle = _indexed_median(session, row, figures.total.reactions)
    row.body = _build(session, stamp, figures, middle).model_dump_json()


def _advance(
    session: Session, row: EventSummaryRow, stored: EventSummary, addition: Addition
) -> None:
    """The stored summary plus an addition, as a new version; reads are bounded by the size of
    the addition, not of the event."""
    stamp = _next_stamp(row)
    fresh = addition.fresh
    touched = sorted(int(key) for key in addition.touched("person"))
    reads = AdvanceReads(
        top_positive=_reads(session, top_entrants(fresh, positive=True)),
        top_negative=_reads(session, top_entrants(fresh, positive=False)),
        names=_names(session, touched) if fresh else {},
        hours=load_hours(session, row.event_id) if fresh else {},
        middle=_moved_median(session, row, stored.reactions, fresh) if fresh else None,
    )
    row.body = advanced(stored, addition, stamp=stamp, reads=reads).model_dump_json()


def _reads(session: Session, members: Sequence[Membership]) -> list[ReactionRead]:
    """New counted reactions in their API shape, seen in one outlet so far."""
    if not members:
        return []
    urls = {member.reaction_id: member.url for member in members}
    stmt = (
        select(Reaction, Person.name)
        .outerjoin(Person, Person.id == Reaction.person_id)
        .where(Reaction.id.in_(sorted(urls)))
    )
    return [
        to_read(reaction, name, membership=EventView(1, urls[reaction.id]))
        for reaction, name in session.execute(stmt).tuples()
    ]


def _moved_median(
    session: Session, row: EventSummaryRow, count: int, fresh: Sequence[Membership]
) -> float | None:
    """The median after `fresh` joined `count` counted reactions, read next to the stored
    cursor (the old lower middle); the cursor moves to the new lower middle."""
    if row.median_compound is None or row.median_reaction_id is None or not count:
        return _indexed_median(session, row, count + len(fresh))
    cursor = (row.median_compound, row.median_reaction_id)
    shift = median_shift(count, cursor, added=[(m.compound, m.reaction_id) for m in fresh])
    width = 2 - (count + len(fresh)) % 2
    middle = _middle_near(session, row.event_id, cursor, shift, width)
    if len(middle) != width:
        return _indexed_median(session, row, count + len(fresh))
    row.median_compound, row.median_reaction_id = middle[0]
    return median([compound for compound, _ in middle])


def _middle_near(
    session: Session, event_id: int, cursor: tuple[float, int], shift: int, width: int
) -> list[tuple[float, int]]:
    """The `width` counted (compound, reaction) keys starting `shift` places from the cursor,
    in ascending order: an index seek plus at most `shift` + 2 entries."""
    key = tuple_(EventReaction.compound, EventReaction.reaction_id)
    counted = select(EventReaction.compound, EventReaction.reaction_id).where(
        EventReaction.event_id == event_id, EventReaction.counted == true()
    )
    if shift >= 0:
        stmt = (
            counted.where(key >= tuple_(literal(cursor[0]), literal(cursor[1])))
            .order_by(EventReaction.compound, EventReaction.reaction_id)
            .offset(shift)
            .limit(width)
        )
        return [(compound, reaction_id) for compound, reaction_id in session.execute(stmt)]
    stmt = (
        counted.where(key < tuple_(literal(cursor[0]), literal(cursor[1])))
        .order_by(EventReaction.compound.desc(), EventReaction.reaction_id.desc())
        .limit(-shift)
    )
    below = [(compound, reaction_id) for compound, reaction_id in session.execute(stmt)]
    if len(below) < -shift:
        return []
    return [*reversed(below), cursor][:width]


def summary_in_range(
    session: Session, *, event_id: int, since: datetime | None, until: datetime | None
) -> EventSummary | None:
    """The summary of the reactions made in [since, until): the range's figures aggregated by
    the database (`ranges.range_figures`), with the same indexed reads as a rebuild."""
    row = session.get(EventSummaryRow, event_id)
    if row is None:
        return None
    figures, middle = range_figures(session, event_id=event_id, since=since, until=until)
    stamp = Stamp(
        event_id=event_id, version=row.version, updated_at=row.updated_at, since=since, until=until
    )
    return _build(session, stamp, figures, middle)


def _build(session: Session, stamp: Stamp, figures: Figures, middle: float | None) -> EventSummary:
    """The summary from the figures plus indexed reads for documents, tops and first/last."""
    window = _time_window(stamp.since, stamp.until)
    first, last = _first_last(session, stamp.event_id, window)
    documents, sources = _documents_and_sources(
        session, stamp.event_id, since=stamp.since, until=stamp.until
    )
    reads = SummaryReads(
        documents=documents,
        sources=sources,
        first=first,
        last=last,
        top_positive=_top(session, stamp.event_id, window, positive=True),
        top_negative=_top(session, stamp.event_id, window, positive=False),
    )
    names = figures.names or _names(session, [int(key) for key, _ in figures.top_people])
    return summary_of(stamp, figures, middle=middle, names=names, reads=reads)


def _names(session: Session, person_ids: list[int]) -> dict[int, str]:
    """Names of people by id."""
    if not person_ids:
        return {}
    stmt = select(Person.id, Person.name).where(Person.id.in_(person_ids))
    return dict(session.execute(stmt).tuples().all())


def _time_window(since: datetime | None, until: datetime | None) -> list[ColumnElement[bool]]:
    """Conditions restricting counted rows to [since, until)."""
    conditions: list[ColumnElement[bool]] = [EventReaction.counted == true()]
    if since is not None:
        conditions.append(EventReaction.reacted_at >= since)
    if until is not None:
        conditions.append(EventReaction.reacted_at < until)
    return conditions


def _indexed_median(session: Session, row: EventSummaryRow, count: int) -> float | None:
    """The median compound of the `count` counted rows, read at the middle offset of the index;
    the lower middle becomes the row's median cursor."""
    middle: list[tuple[float, int]] = []
    if count:
        stmt = (
            select(EventReaction.compound, EventReaction.reaction_id)
            .where(EventReaction.event_id == row.event_id, EventReaction.counted == true())
            .order_by(EventReaction.compound, EventReaction.reaction_id)
            .offset((count - 1) // 2)
            .limit(2 - count % 2)
        )
        middle = [(compound, reaction_id) for compound, reaction_id in session.execute(stmt)]
    row.median_compound, row.median_reaction_id = middle[0] if middle else (None, None)
    return median([compound for compound, _ in middle])


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
    session: Session, event_id: int, *, since: datetime | None, until: datetime | None
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
        bound = EventReaction.compound <= NEGATIVE_AT
    chosen = (
        select(EventReaction.reaction_id, EventReaction.outlets, EventReaction.first_url)
        .where(EventReaction.event_id == event_id, bound, *window)
        .order_by(*order)
        .limit(TOP_REACTIONS)
    ).subquery()
    stmt = (
        select(Reaction, Person.name, chosen.c.outlets, chosen.c.first_url)
        .join(chosen, chosen.c.reaction_id == Reaction.id)
        .outerjoin(Person, Person.id == Reaction.person_id)
    )
    sign = -1 if positive else 1
    rows = sorted(
        session.execute(stmt).tuples(),
        key=lambda row: (sign * row[0].compound, sign * row[0].id),
    )
    return [
        to_read(reaction, name, membership=EventView(outlets, first_url))
        for reaction, name, outlets, first_url in rows
    ]
