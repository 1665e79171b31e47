"""Corrections that rewrite history: merging and splitting people, merging and deleting events
and documents, and recomputing every summary. Each recounts what it touched, so the summaries
follow, and announces the new versions after commit."""

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import Event, Person
from store.repositories import documents, events, people, summaries
from taskqueue.announce import announce_summaries
from taskqueue.senders import TaskSender


def _refresh(session: Session, event_ids: Sequence[int], *, sender: TaskSender | None) -> None:
    """Recount the events (summary rows locked in id order), rebuild and announce them.

    Without a sender (the embedded CLI, no other process listening) nothing is announced.
    """
    ordered = sorted(set(event_ids))
    summaries.lock_summaries(session, ordered)
    for event_id in ordered:
        events.recount_event(session, event_id)
    changes = summaries.rebuild_summaries(session, ordered)
    if sender is not None:
        announce_summaries(session, sender=sender, changes=changes)


def refresh_events(
    session: Session, event_ids: Iterable[int], *, sender: TaskSender | None
) -> None:
    """After memberships moved: delete the automatic stories left with no document (announced
    gone, so API processes stop serving them), then recount, rebuild and announce the rest."""
    ordered = sorted(set(event_ids))
    if not ordered:
        return
    gone = events.drop_empty_stories(session, ordered)
    if sender is not None:
        announce_summaries(session, sender=sender, changes=[(event_id, 0) for event_id in gone])
    _refresh(session, [event_id for event_id in ordered if event_id not in gone], sender=sender)


def merge_people(
    session: Session, *, target_id: int, source_ids: Sequence[int], sender: TaskSender
) -> None:
    """Fold people into one; the events they reacted to are recounted."""
    affected = events.events_of_people(session, [target_id, *source_ids])
    summaries.lock_summaries(session, affected)
    people.merge_people(session, target_id=target_id, source_ids=source_ids)
    people.recount_people(session, [target_id])
    _refresh(session, affected, sender=sender)


def split_person(session: Session, *, person_id: int, alias: str, sender: TaskSender) -> int | None:
    """Split the reactions made under `alias` off into a person of their own; its id."""
    affected = events.events_of_people(session, [person_id])
    summaries.lock_summaries(session, affected)
    new_id = people.split_person(session, person_id=person_id, alias=alias)
    if new_id is None:
        return None
    people.recount_people(session, [person_id, new_id])
    _refresh(session, affected, sender=sender)
    return new_id


def merge_events(
    session: Session, *, target_id: int, source_ids: Sequence[int], sender: TaskSender
) -> None:
    """Fold events into one: their documents and reactions move, then they are deleted."""
    sources = sorted(set(source_ids) - {target_id})
    summaries.lock_summaries(session, [target_id, *sources])
    for source_id in sources:
        events.move_members(session, source_id=source_id, target_id=target_id)
        events.delete_event(session, source_id)
    announce_summaries(session, sender=sender, changes=[(source_id, 0) for source_id in sources])
    _refresh(session, [target_id], sender=sender)


def delete_document(session: Session, *, document_id: int, sender: TaskSender) -> None:
    """Delete a document with its reactions; its events and speakers are recounted."""
    affected = events.events_of_document(session, document_id)
    speakers = people.speakers_of_document(session, document_id)
    summaries.lock_summaries(session, affected)
    documents.delete_document(session, document_id)
    session.flush()
    people.recount_people(session, speakers)
    refresh_events(session, affected, sender=sender)


def recompute_all(session: Session, *, sender: TaskSender | None) -> tuple[int, int]:
    """Rebuild every tally, summary and person total from the stored reactions."""
    event_ids = list(session.scalars(select(Event.id).order_by(Event.id)))
    person_ids = list(session.scalars(select(Person.id).order_by(Person.id)))
    people.recount_people(session, person_ids)
    _refresh(session, event_ids, sender=sender)
    return len(event_ids), len(person_ids)
