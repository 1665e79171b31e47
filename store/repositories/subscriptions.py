"""Subscriptions and their deliveries: row locks for coalescing, claims with leases for sending."""

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from schemas.subscriptions import DeliveryKind, DeliveryStatus
from store.models import Subscription, WebhookDelivery, utcnow

OPEN_STATUSES: tuple[DeliveryStatus, ...] = ("pending", "retrying")


def create_subscription(
    session: Session,
    *,
    event_id: int,
    url: str,
    secret: str,
    min_interval_s: int,
    current_version: int,
) -> Subscription:
    """Store an active subscription; versions up to `current_version` are not sent."""
    now = utcnow()
    subscription = Subscription(
        event_id=event_id,
        url=url,
        secret=secret,
        min_interval_s=min_interval_s,
        status="active",
        queued_version=current_version,
        delivered_version=0,
        next_allowed_at=now,
        created_at=now,
    )
    session.add(subscription)
    session.flush()
    return subscription


def get_subscription(session: Session, subscription_id: int) -> Subscription | None:
    """A subscription by id, or None."""
    return session.get(Subscription, subscription_id)


def list_subscriptions(
    session: Session, *, event_id: int | None, after_id: int | None, limit: int
) -> list[Subscription]:
    """One page of subscriptions by id, optionally of one event."""
    stmt = select(Subscription).order_by(Subscription.id).limit(limit)
    if after_id is not None:
        stmt = stmt.where(Subscription.id > after_id)
    if event_id is not None:
        stmt = stmt.where(Subscription.event_id == event_id)
    return list(session.scalars(stmt))


def delete_subscription(session: Session, subscription_id: int) -> bool:
    """Delete a subscription and its delivery log; False when it did not exist."""
    session.execute(
        delete(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription_id)
    )
    deleted = session.execute(
        delete(Subscription).where(Subscription.id == subscription_id).returning(Subscription.id)
    )
    return deleted.scalar_one_or_none() is not None


def lock_subscription(session: Session, subscription_id: int) -> Subscription | None:
    """A subscription with its row lock: every coalescing decision is taken under it."""
    stmt = (
        select(Subscription)
        .where(Subscription.id == subscription_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.scalars(stmt).one_or_none()


def lock_active_for_event(session: Session, event_id: int) -> list[Subscription]:
    """The active subscriptions of an event, locked in id order (no deadlock between writers)."""
    stmt = (
        select(Subscription)
        .where(Subscription.event_id == event_id, Subscription.status == "active")
        .order_by(Subscription.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return list(session.scalars(stmt))


def has_open_delivery(session: Session, subscription_id: int) -> bool:
    """Whether a summary delivery of this subscription is still pending or retrying."""
    stmt = (
        select(WebhookDelivery.id)
        .where(
            WebhookDelivery.subscription_id == subscription_id,
            WebhookDelivery.kind == "summary",
            WebhookDelivery.status.in_(OPEN_STATUSES),
        )
        .limit(1)
    )
    return session.scalar(stmt) is not None


def add_delivery(
    session: Session,
    *,
    subscription_id: int,
    webhook_id: str,
    kind: DeliveryKind,
    version: int,
    body: str,
) -> WebhookDelivery:
    """Record a message to send now; its body and id stay fixed across retries."""
    now = utcnow()
    delivery = WebhookDelivery(
        subscription_id=subscription_id,
        webhook_id=webhook_id,
        kind=kind,
        version=version,
        body=body,
        status="pending",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(delivery)
    session.flush()
    return delivery


def claim_delivery(
    session: Session, delivery_id: int, *, due_by: datetime, lease: timedelta
) -> WebhookDelivery | None:
    """Take a due delivery for one attempt, leasing it so no other worker sends it meanwhile."""
    stmt = (
        select(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery_id,
            WebhookDelivery.status.in_(OPEN_STATUSES),
            WebhookDelivery.next_attempt_at <= due_by,
        )
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    delivery = session.scalars(stmt).one_or_none()
    if delivery is not None:
        now = utcnow()
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.next_attempt_at = now + lease
    return delivery


def get_delivery(
    session: Session, *, subscription_id: int, delivery_id: int
) -> WebhookDelivery | None:
    """A delivery of this subscription, or None."""
    delivery = session.get(WebhookDelivery, delivery_id)
    return delivery if delivery and delivery.subscription_id == subscription_id else None


def lock_delivery(session: Session, delivery_id: int) -> WebhookDelivery | None:
    """A delivery with its row lock, to record an attempt's outcome."""
    stmt = (
        select(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return session.scalars(stmt).one_or_none()


def list_deliveries(
    session: Session, *, subscription_id: int, before_id: int | None, limit: int
) -> list[WebhookDelivery]:
    """One page of a subscription's deliveries, newest first."""
    stmt = (
        select(WebhookDelivery)
        .where(WebhookDelivery.subscription_id == subscription_id)
        .order_by(WebhookDelivery.id.desc())
        .limit(limit)
    )
    if before_id is not None:
        stmt = stmt.where(WebhookDelivery.id < before_id)
    return list(session.scalars(stmt))


def claim_stale_deliveries(session: Session, *, older_than: timedelta, limit: int) -> list[int]:
    """Open deliveries overdue by `older_than` (their message was lost), re-stamped to now."""
    now = utcnow()
    rows = list(
        session.scalars(
            select(WebhookDelivery)
            .where(
                WebhookDelivery.status.in_(OPEN_STATUSES),
                WebhookDelivery.next_attempt_at < now - older_than,
            )
            .order_by(WebhookDelivery.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    for row in rows:
        row.next_attempt_at = now
    return [row.id for row in rows]


def claim_stale_dispatches(session: Session, *, older_than: timedelta, limit: int) -> list[int]:
    """Subscriptions whose scheduled dispatch is overdue by `older_than`, re-stamped to now."""
    now = utcnow()
    rows = list(
        session.scalars(
            select(Subscription)
            .where(
                Subscription.status == "active",
                Subscription.dispatch_due_at < now - older_than,
            )
            .order_by(Subscription.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    for row in rows:
        row.dispatch_due_at = now
    return [row.id for row in rows]


def reopen_delivery(delivery: WebhookDelivery) -> None:
    """Redeliver: the same message (same webhook-id and body) gets a fresh round of attempts."""
    delivery.status = "pending"
    delivery.attempts = 0
    delivery.next_attempt_at = utcnow()
    delivery.error = None
