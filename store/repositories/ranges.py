"""Figures of an event's counted reactions in a time range. The total and the hours are summed
from the hourly tallies the pipeline and the recounts keep (a day holds 24 rows however many
reactions it has), plus the reactions of a partial hour at either edge; the people (ranked and
counted by the database, with their names), the roles as written and the median are read from
the range's memberships as columns only. `summaries.summary_in_range` assembles the summary."""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    or_,
    select,
    true,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from domain.tallies import (
    MAX_BY_PERSON,
    UNITS,
    Figures,
    Tally,
    fold_roles,
    hour_key,
    median,
    split_hours,
    top_roles,
    total_of,
)
from store.models import EventReaction, Person
from store.repositories.events import load_hours

Span = tuple[datetime | None, datetime | None]


class utc_hour(FunctionElement[str]):  # noqa: N801 (a SQL function, named like one)
    """The start of the UTC hour holding a timestamp, computed by the database; grouped on,
    then read as text ("2026-12-03 08:00:00")."""

    type = String()
    inherit_cache = True


@compiles(utc_hour, "postgresql")
def _utc_hour_postgresql(element: utc_hour, compiler: SQLCompiler, **kw: Any) -> str:
    """PostgreSQL: the hour of the timestamp in UTC, whatever the session's time zone."""
    return f"date_trunc('hour', ({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'UTC')"


@compiles(utc_hour, "sqlite")
def _utc_hour_sqlite(element: utc_hour, compiler: SQLCompiler, **kw: Any) -> str:
    """SQLite: timestamps are stored as UTC text, so the hour is cut from it."""
    return f"strftime('%Y-%m-%d %H:00:00', {compiler.process(element.clauses, **kw)})"


def range_figures(
    session: Session, *, event_id: int, since: datetime | None, until: datetime | None
) -> tuple[Figures, float | None]:
    """The tally figures (total, people, roles, hours) and the median compound of the event's
    counted reactions made in [since, until), ranked as `domain.tallies.figures_of` ranks them,
    with the names of the people listed."""
    hours = _hours(session, event_id=event_id, since=since, until=until)
    total = total_of(hours.values())
    window = _in_range(event_id, [(since, until)])
    people, top_people, names = _people(session, window)
    roles = fold_roles(_grouped(session, window=window, key=EventReaction.role))
    figures = Figures(
        total=total,
        people=people,
        top_people=top_people,
        top_roles=top_roles(roles),
        hours=hours,
        names=names,
    )
    return figures, _median(session, window, count=total.reactions)


def _hours(
    session: Session, *, event_id: int, since: datetime | None, until: datetime | None
) -> dict[str, Tally]:
    """The range's tallies by hour: the whole hours' from the hourly tallies, the partial edge
    hours' summed from their memberships."""
    split = split_hours(since, until)
    hours = load_hours(session, event_id, first=split.first, end=split.end) if split.whole else {}
    if split.edges:
        edges = _grouped(
            session,
            window=_in_range(event_id, split.edges),
            key=utc_hour(EventReaction.reacted_at),
        )
        for key, tally in edges:
            hours.setdefault(hour_key(datetime.fromisoformat(key)), Tally()).merge(tally)
    return hours


def _in_range(event_id: int, spans: list[Span]) -> list[ColumnElement[bool]]:
    """Conditions selecting the event's counted memberships made in one of the [since, until)
    spans."""
    return [
        EventReaction.event_id == event_id,
        EventReaction.counted == true(),
        or_(*(and_(*_span(since, until)) for since, until in spans)),
    ]


def _span(since: datetime | None, until: datetime | None) -> list[ColumnElement[bool]]:
    """Conditions on the reaction time for [since, until) (none for an open bound)."""
    bounds: list[ColumnElement[bool]] = [true()]
    if since is not None:
        bounds.append(EventReaction.reacted_at >= since)
    if until is not None:
        bounds.append(EventReaction.reacted_at < until)
    return bounds


def _sums() -> list[ColumnElement[Any]]:
    """Count, compound sum and sum of squares (integer units) and label counts of a group."""
    units = cast(func.round(EventReaction.compound * UNITS), BigInteger)
    return [
        func.count(),
        func.coalesce(func.sum(units), 0),
        func.coalesce(func.sum(units * units), 0),
        *(
            func.coalesce(func.sum(case((EventReaction.label == label, 1), else_=0)), 0)
            for label in ("positive", "neutral", "negative")
        ),
    ]


def _tally(values: tuple[Any, ...]) -> Tally:
    """A tally from the six sums of `_sums`."""
    count, units, squares, positive, neutral, negative = values
    return Tally(
        reactions=int(count),
        sum_units=int(units),
        square_units=int(squares),
        positive=int(positive),
        neutral=int(neutral),
        negative=int(negative),
    )


def _grouped(
    session: Session,
    *,
    window: list[ColumnElement[bool]],
    key: ColumnElement[Any] | InstrumentedAttribute[Any],
) -> list[tuple[str, Tally]]:
    """(key as text, tally) of the memberships in `window`, per value of `key` (None left out);
    on PostgreSQL read from the (event, counted, time) index alone, which includes the columns
    summed."""
    stmt: Select[Any] = (
        select(cast(key, String), *_sums()).where(*window, key.is_not(None)).group_by(key)
    )
    return [(text, _tally(tuple(sums))) for text, *sums in session.execute(stmt).tuples()]


def _people(
    session: Session, window: list[ColumnElement[bool]]
) -> tuple[int, list[tuple[str, Tally]], dict[int, str]]:
    """How many people spoke in `window`, the first `MAX_BY_PERSON` by reactions (ties by id)
    with their tallies, and their names: ranked and counted by the database, one statement."""
    ranked = (
        select(EventReaction.person_id, *_sums(), func.count().over().label("people"))
        .where(*window, EventReaction.person_id.is_not(None))
        .group_by(EventReaction.person_id)
        .order_by(func.count().desc(), EventReaction.person_id)
        .limit(MAX_BY_PERSON)
        .subquery()
    )
    columns = list(ranked.c)
    stmt = (
        select(*columns, Person.name)
        .outerjoin(Person, Person.id == ranked.c.person_id)
        .order_by(columns[1].desc(), ranked.c.person_id)
    )
    rows = session.execute(stmt).tuples().all()
    top = [(str(person_id), _tally(tuple(sums))) for person_id, *sums, _, _ in rows]
    names = {person_id: name for person_id, *_, name in rows if name is not None}
    return (int(rows[0][-2]) if rows else 0), top, names


def _median(session: Session, window: list[ColumnElement[bool]], *, count: int) -> float | None:
    """The median compound of the `count` memberships in `window`: the one or two middle values
    in compound order, read at the middle offset (a top-N sort of half the range)."""
    if not count:
        return None
    stmt = (
        select(EventReaction.compound)
        .where(*window)
        .order_by(EventReaction.compound)
        .offset((count - 1) // 2)
        .limit(2 - count % 2)
    )
    return median(list(session.scalars(stmt)))
