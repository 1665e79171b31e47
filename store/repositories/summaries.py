"""Event summaries: materialised in the writing transaction (advanced by what a document added,
or rebuilt from the tallies after a correction), or computed from the counted reactions for a
time range. The rebuild and the range summary share one builder."""

import heapq
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from pydantic import TypeAdapter
from sqlalchemy import ColumnElement, func, literal, select, true, tuple_
from sqlalchemy.orm import Session

from domain.sentiment import NEGATIVE_AT, POSITIVE_AT
from schemas.reactions import PersonRef, ReactionRead
from schemas.summaries import EventSummary, PersonTally, RoleTally, SentimentSummary, Timeline
from store.models import (
    Document,
    EventDocument,
    EventReaction,
    EventSummaryRow,
    Person,
    Reaction,
    utcnow,
)
from store.repositories.events import Addition, Membership, load_figures, load_hours
from store.repositories.ranges import range_figures
from store.repositories.reactions import EventView, to_read
from store.tallies import (
    MAX_BY_PERSON,
    MAX_BY_ROLE,
    TOTAL,
    Figures,
    Tally,
    TallySet,
    by_role,
    figures_of,
    label_shares,
    median,
    median_shift,
    merge_ranked,
    timeline,
)

TOP_REACTIONS = 5


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
    return version, (body or _empty(event_id, version, updated_at).model_dump_json()).encode()


def read_summary(session: Session, event_id: int) -> dict[str, Any] | None:
    """The stored summary of an event as JSON-ready data."""
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
    session: Session, rows: dict[int, EventSummaryRow], additions: Sequence[Addition]
) -> list[tuple[int, int]]:
    """Advance the summaries in `rows` (locked by the caller with `lock_summaries`) by what
    documents added, one addition per event (`events.merge_additions`); (event, version) of each.

    Additions only grow tallies, so the new summary is the stored one with the touched tallies,
    the new reactions among the tops and the median cursor moved by at most the number of new
    reactions: no read grows with the event. A summary with no stored body or median cursor yet
    (a new event, or one migrated from before the cursor), or stored in another shape than
    today's `EventSummary`, is rebuilt instead.
    """
    changed: list[tuple[int, int]] = []
    with session.no_autoflush:  # each summary row is written once, at the end
        for addition in sorted(additions, key=lambda item: item.event_id):
            row = rows.get(addition.event_id)
            if row is None:
                continue
            stored: dict[str, Any] | None = json.loads(row.body) if row.body else None
            if (
                stored is None
                or stored.keys() != EventSummary.model_fields.keys()
                or (stored["reactions"] and row.median_reaction_id is None)
            ):
                _rebuild(session, row)
            else:
                _advance(session, row, stored, addition)
            changed.append((addition.event_id, row.version))
    return changed


def _rebuild(session: Session, row: EventSummaryRow) -> None:
    """Recompute a summary from the tallies and indexed reads, as a new version."""
    row.version += 1
    row.updated_at = utcnow()
    figures = load_figures(session, row.event_id)
    middle = _indexed_median(session, row, figures.total.reactions)
    row.body = _build(session, row.event_id, row, figures, middle).model_dump_json()


def _advance(
    session: Session, row: EventSummaryRow, stored: dict[str, Any], addition: Addition
) -> None:
    """The stored summary (decoded JSON, edited in place) plus an addition, as a new version;
    reads are bounded by the size of the addition, not of the event."""
    row.version += 1
    row.updated_at = utcnow()
    fresh = addition.fresh
    stored.update(
        version=row.version,
        updated_at=_json(row.updated_at),
        people=stored["people"] + addition.new_people,
        documents=stored["documents"] + addition.new_documents,
        sources=stored["sources"] + addition.new_sources,
    )
    for name, positive in (("top_positive", True), ("top_negative", False)):
        stored[name] = _advanced_top(session, stored[name], addition, positive=positive)
    if fresh:
        total = addition.tallies[TOTAL]
        moments = [member.reacted_at for member in fresh]
        known = [
            datetime.fromisoformat(stored[name])
            for name in ("first_reaction_at", "last_reaction_at")
            if stored[name] is not None
        ]
        middle = _moved_median(session, row, stored["reactions"], fresh)
        stored.update(
            reactions=total.reactions,
            first_reaction_at=_json(min([*known, *moments])),
            last_reaction_at=_json(max([*known, *moments])),
            sentiment=_json(_sentiment(total, middle)),
            by_person=_advanced_people(session, stored["by_person"], addition.tallies),
            by_role=merge_ranked(
                stored["by_role"],
                _json(
                    [
                        RoleTally(role=key, reactions=tally.reactions, mean_compound=tally.mean)
                        for (dimension, key), tally in addition.tallies.items()
                        if dimension == "role"
                    ]
                ),
                order=lambda role: (-role["reactions"], role["role"]),
                identity=lambda role: role["role"],
                limit=MAX_BY_ROLE,
            ),
            timeline=_json(Timeline.model_validate(timeline(load_hours(session, row.event_id)))),
        )
    row.body = json.dumps(stored, ensure_ascii=False, separators=(",", ":"))


_JSON: TypeAdapter[Any] = TypeAdapter(Any)


def _json(value: Any) -> Any:
    """A value (models, datetimes, lists of them) as the JSON-ready data the body stores."""
    return _JSON.dump_python(value, mode="json")


def _advanced_people(
    session: Session, ranked: list[dict[str, Any]], tallies: dict[tuple[str, str], Tally]
) -> list[dict[str, Any]]:
    """The leading people after the touched person tallies grew."""
    touched = {
        int(key): tally for (dimension, key), tally in tallies.items() if dimension == "person"
    }
    names = _names(session, sorted(touched))
    return merge_ranked(
        ranked,
        _json([_person_tally(person_id, tally, names) for person_id, tally in touched.items()]),
        order=lambda entry: (-entry["reactions"], entry["person"]["id"]),
        identity=lambda entry: entry["person"]["id"],
        limit=MAX_BY_PERSON,
    )


def _advanced_top(
    session: Session, ranked: list[dict[str, Any]], addition: Addition, *, positive: bool
) -> list[dict[str, Any]]:
    """One side's top reactions with the new ones and the outlets added by repeats."""
    sign = -1 if positive else 1
    merged = merge_ranked(
        ranked,
        _json(_reads(session, _best(addition.fresh, sign=sign))),
        order=lambda read: (sign * read["sentiment"]["compound"], sign * read["id"]),
        identity=lambda read: read["id"],
        limit=TOP_REACTIONS,
    )
    return [
        {**read, "outlets": (read["outlets"] or 0) + addition.repeats[read["id"]]}
        if read["id"] in addition.repeats
        else read
        for read in merged
    ]


def _best(fresh: Sequence[Membership], *, sign: int) -> list[Membership]:
    """The new reactions that could enter one side's top list (past the label threshold), in
    its order: `sign` -1 for the most positive first, 1 for the most negative."""
    qualifying = [m for m in fresh if sign * m.compound <= NEGATIVE_AT]
    return heapq.nsmallest(
        TOP_REACTIONS, qualifying, key=lambda m: (sign * m.compound, sign * m.reaction_id)
    )


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
    shift = median_shift(count, cursor, [(m.compound, m.reaction_id) for m in fresh])
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
    return _build(session, event_id, row, figures, middle, since=since, until=until)


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
        sentiment=_sentiment(total, middle),
        by_person=[_person_tally(int(key), tally, names) for key, tally in figures.top_people],
        by_role=by_role(figures.top_roles),
        timeline=timeline(figures.hours),
        top_positive=extras.top_positive,
        top_negative=extras.top_negative,
    )


def _sentiment(total: Tally, middle: float | None) -> SentimentSummary:
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


def _person_tally(person_id: int, tally: Tally, names: dict[int, str]) -> PersonTally:
    """One person's line of the summary."""
    return PersonTally(
        person=PersonRef(id=person_id, name=names.get(person_id, "")),
        reactions=tally.reactions,
        mean_compound=tally.mean or 0.0,
    )


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
