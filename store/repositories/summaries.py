"""Materialised event summaries: rebuilt from the tallies inside the writing transaction."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schemas.reactions import PersonRef, ReactionRead
from schemas.summaries import EventSummary, PersonTally, SentimentSummary
from store.models import (
    EventDocument,
    EventReaction,
    EventSummaryRow,
    Person,
    PersonEventStats,
    Reaction,
    utcnow,
)
from store.repositories.reactions import to_read

TOP_REACTIONS = 5
MAX_BY_PERSON = 200
POSITIVE_AT = 0.05


def read_summary(session: Session, event_id: int) -> dict[str, Any] | None:
    """The stored summary of an event as JSON-ready data: one primary-key read."""
    row = session.get(EventSummaryRow, event_id)
    if row is None:
        return None
    return row.data or _empty(event_id, row).model_dump(mode="json")


def rebuild_summaries(session: Session, event_ids: Sequence[int]) -> list[tuple[int, int]]:
    """Recompute and store these events' summaries (rows locked in id order); (event, version)."""
    changed: list[tuple[int, int]] = []
    for event_id in sorted(set(event_ids)):
        row = session.scalars(
            select(EventSummaryRow).where(EventSummaryRow.event_id == event_id).with_for_update()
        ).one()
        row.version += 1
        row.updated_at = utcnow()
        row.data = _compute(session, event_id, row).model_dump(mode="json")
        changed.append((event_id, row.version))
    return changed


def lock_summaries(session: Session, event_ids: Sequence[int]) -> None:
    """Take the summary row locks up front, in id order, so concurrent writers never deadlock."""
    if event_ids:
        session.execute(
            select(EventSummaryRow.event_id)
            .where(EventSummaryRow.event_id.in_(sorted(set(event_ids))))
            .order_by(EventSummaryRow.event_id)
            .with_for_update()
        ).all()


def _empty(event_id: int, row: EventSummaryRow) -> EventSummary:
    """The summary of an event with no reactions yet."""
    return EventSummary(
        event_id=event_id,
        version=row.version,
        updated_at=row.updated_at,
        reactions=0,
        people=0,
        documents=0,
        sentiment=SentimentSummary(mean=None, median=None, positive=0, neutral=0, negative=0),
        by_person=[],
        top_positive=[],
        top_negative=[],
    )


def _compute(session: Session, event_id: int, row: EventSummaryRow) -> EventSummary:
    """The summary from the per-person tallies, the document count and indexed top/median reads."""
    totals = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(PersonEventStats.reactions), 0),
            func.coalesce(func.sum(PersonEventStats.sum_compound), 0.0),
            func.coalesce(func.sum(PersonEventStats.positive), 0),
            func.coalesce(func.sum(PersonEventStats.neutral), 0),
            func.coalesce(func.sum(PersonEventStats.negative), 0),
        ).where(PersonEventStats.event_id == event_id, PersonEventStats.reactions > 0)
    ).one()
    people, reactions, sum_compound, positive, neutral, negative = totals
    documents = session.scalar(
        select(func.count()).select_from(EventDocument).where(EventDocument.event_id == event_id)
    )
    tallies = session.execute(
        select(PersonEventStats, Person.name)
        .join(Person, Person.id == PersonEventStats.person_id)
        .where(PersonEventStats.event_id == event_id, PersonEventStats.reactions > 0)
        .order_by(PersonEventStats.reactions.desc(), PersonEventStats.person_id)
        .limit(MAX_BY_PERSON)
    ).all()
    return EventSummary(
        event_id=event_id,
        version=row.version,
        updated_at=row.updated_at,
        reactions=reactions,
        people=people,
        documents=documents or 0,
        sentiment=SentimentSummary(
            mean=round(sum_compound / reactions, 4) if reactions else None,
            median=_median(session, event_id, reactions),
            positive=positive,
            neutral=neutral,
            negative=negative,
        ),
        by_person=[
            PersonTally(
                person=PersonRef(id=stats.person_id, name=name),
                reactions=stats.reactions,
                mean_compound=round(stats.sum_compound / stats.reactions, 4),
            )
            for stats, name in tallies
        ],
        top_positive=_top(session, event_id, positive=True),
        top_negative=_top(session, event_id, positive=False),
    )


def _median(session: Session, event_id: int, count: int) -> float | None:
    """The median compound, read from the (event_id, compound) index at the middle offset."""
    if count == 0:
        return None
    middle = session.scalars(
        select(EventReaction.compound)
        .where(EventReaction.event_id == event_id)
        .order_by(EventReaction.compound)
        .offset((count - 1) // 2)
        .limit(2 - count % 2)
    ).all()
    return round(sum(middle) / len(middle), 4)


def _top(session: Session, event_id: int, *, positive: bool) -> list[ReactionRead]:
    """The most positive (or negative) reactions of the event, labelled as such."""
    order = EventReaction.compound.desc() if positive else EventReaction.compound.asc()
    bound = (
        EventReaction.compound >= POSITIVE_AT
        if positive
        else EventReaction.compound <= -POSITIVE_AT
    )
    stmt = (
        select(Reaction, Person.name)
        .join(EventReaction, EventReaction.reaction_id == Reaction.id)
        .join(Person, Person.id == Reaction.person_id)
        .where(EventReaction.event_id == event_id, bound)
        .order_by(order, Reaction.id)
        .limit(TOP_REACTIONS)
    )
    return [to_read(reaction, name) for reaction, name in session.execute(stmt)]
