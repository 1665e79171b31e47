"""Figures of an event's counted reactions in a time range, aggregated by the database: only
columns are read (no ORM objects), and only the total and the per-hour, per-person and per-role
sums come back, plus the one or two middle compounds, so a range costs two statements however
many reactions it holds (`summaries.summary_in_range` assembles the summary from them)."""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    String,
    case,
    cast,
    func,
    literal,
    select,
    true,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from domain.tallies import (
    TOTAL,
    UNITS,
    Figures,
    Tally,
    TallySet,
    figures_of,
    hour_key,
    median,
    role_key,
)
from store.models import EventReaction


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
    counted reactions made in [since, until), ranked as `domain.tallies.figures_of` ranks them."""
    tallies = TallySet()
    for dimension, key, tally in _grouped(session, event_id=event_id, since=since, until=until):
        if dimension == "role":
            folded = role_key(key)  # roles as written fold case and spaces, as the tallies do
            if folded is not None:
                tallies.tallies[("role", folded)].merge(tally)
        else:
            tallies.tallies[(dimension, key)].merge(tally)
    return figures_of(tallies), _median(session, event_id=event_id, since=since, until=until)


def _in_range(
    event_id: int, since: datetime | None, until: datetime | None
) -> list[ColumnElement[bool]]:
    """Conditions selecting the event's counted memberships in [since, until)."""
    conditions = [EventReaction.event_id == event_id, EventReaction.counted == true()]
    if since is not None:
        conditions.append(EventReaction.reacted_at >= since)
    if until is not None:
        conditions.append(EventReaction.reacted_at < until)
    return conditions


def _grouped(
    session: Session, *, event_id: int, since: datetime | None, until: datetime | None
) -> list[tuple[str, str, Tally]]:
    """(dimension, key, tally) of the range: its total, each hour, each person and each role
    as written. One statement; on PostgreSQL each part reads the (event, counted, time) index
    alone, which includes the columns summed."""
    units = cast(func.round(EventReaction.compound * UNITS), BigInteger)
    sums = [
        func.count(),
        func.coalesce(func.sum(units), 0),
        func.coalesce(func.sum(units * units), 0),
        *(
            func.coalesce(func.sum(case((EventReaction.label == label, 1), else_=0)), 0)
            for label in ("positive", "neutral", "negative")
        ),
    ]
    window = _in_range(event_id, since, until)

    def by(dimension: str, key: ColumnElement[Any] | InstrumentedAttribute[Any]) -> Select[Any]:
        """One dimension's sums, per key."""
        return (
            select(literal(dimension), cast(key, String), *sums)
            .where(*window, key.is_not(None))
            .group_by(key)
        )

    total = select(literal(TOTAL[0]), literal(TOTAL[1], String), *sums).where(*window)
    stmt = total.union_all(
        by("hour", utc_hour(EventReaction.reacted_at)),
        by("person", EventReaction.person_id),
        by("role", EventReaction.role),
    )
    return [
        (
            dimension,
            hour_key(datetime.fromisoformat(key)) if dimension == "hour" else key,
            Tally(
                reactions=int(count),
                sum_units=int(units),
                square_units=int(squares),
                positive=int(positive),
                neutral=int(neutral),
                negative=int(negative),
            ),
        )
        for dimension, key, count, units, squares, positive, neutral, negative in session.execute(
            stmt
        ).tuples()
        if count
    ]


def _median(
    session: Session, *, event_id: int, since: datetime | None, until: datetime | None
) -> float | None:
    """The median compound of the range: the one or two middle values of the range's rows in
    compound order, picked by the database (window functions, on PostgreSQL and SQLite)."""
    ranked = (
        select(
            EventReaction.compound,
            func.row_number().over(order_by=EventReaction.compound).label("place"),
            func.count().over().label("size"),
        )
        .where(*_in_range(event_id, since, until))
        .subquery()
    )
    middle = ranked.c.place.in_([(ranked.c.size + 1) // 2, (ranked.c.size + 2) // 2])
    stmt = select(ranked.c.compound).where(middle).order_by(ranked.c.place)
    return median(list(session.scalars(stmt)))
