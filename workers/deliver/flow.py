"""Coalescing and retry decisions, each taken in a short transaction under the subscription's lock.

Flow: a new summary version schedules one dispatch per subscription (none while one is
scheduled or a delivery is open); the dispatch snapshots the *current* summary into a delivery,
so a burst collapses into one message carrying the latest version; the attempt is sent with no
transaction open; its outcome is recorded, retried on the schedule, and, once the delivery is
closed, a newer version still unsent schedules the next dispatch. Nothing is lost: every path
that closes or skips work re-checks the summary version under the same lock.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Literal

from sqlalchemy.orm import Session

from domain.moments import as_utc
from notify.webhooks import message_body, new_webhook_id
from schemas.subscriptions import DeliveryStatus
from schemas.tasks import ATTEMPT_DELIVERY, DISPATCH_WEBHOOK
from store.db import after_commit
from store.models import Subscription, WebhookDelivery, utcnow
from store.repositories import subscriptions as repo
from store.repositories.summaries import read_summary
from taskqueue import TaskSender
from workers.deliver.send import SendResult

ATTEMPT_LEASE = timedelta(seconds=120)
EARLY_TOLERANCE = timedelta(seconds=1)
JITTER = 0.1
GONE = 410
AttemptOutcome = DeliveryStatus | Literal["missing"]
"""What an attempt left its delivery at, or `missing` when the delivery or subscription is gone."""


@dataclass(frozen=True, slots=True)
class Outgoing:
    """Everything one attempt needs, read before the transaction closes."""

    delivery_id: int
    url: str
    secret: str
    webhook_id: str
    body: str


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """The retry schedule (seconds after each failed attempt) and the dead-endpoint limit."""

    schedule: Sequence[float]
    disable_after: timedelta

    def delay(self, attempts: int, rng: random.Random) -> float | None:
        """Seconds until the next attempt after `attempts` failed ones (±10 % jitter), or None."""
        if attempts > len(self.schedule):
            return None
        base = self.schedule[attempts - 1]
        return base * rng.uniform(1 - JITTER, 1 + JITTER)


def schedule_dispatches(
    session: Session, *, event_id: int, version: int, sender: TaskSender
) -> int:
    """On a new summary version: schedule one dispatch per subscription not already on its way."""
    scheduled = 0
    for subscription in repo.lock_active_for_event(session, event_id):
        if version <= subscription.queued_version:
            continue
        if _schedule_dispatch(session, subscription, sender=sender):
            scheduled += 1
    return scheduled


def _schedule_dispatch(session: Session, subscription: Subscription, *, sender: TaskSender) -> bool:
    """Send DISPATCH at the subscription's next allowed moment, unless one is scheduled or open."""
    if subscription.dispatch_due_at is not None or repo.has_open_delivery(session, subscription.id):
        return False
    now = utcnow()
    due = max(now, as_utc(subscription.next_allowed_at))
    subscription.dispatch_due_at = due
    countdown = (due - now).total_seconds()
    after_commit(
        session, partial(sender.send, DISPATCH_WEBHOOK, subscription.id, countdown=countdown)
    )
    return True


def dispatch(session: Session, *, subscription_id: int, sender: TaskSender) -> int | None:
    """Snapshot the latest summary into a delivery when one is due; the delivery id or None."""
    subscription = repo.lock_subscription(session, subscription_id)
    if subscription is None or subscription.status != "active":
        return None
    now = utcnow()
    if as_utc(subscription.next_allowed_at) > now:  # early (a timer, a sweep): wait it out
        _schedule_dispatch(session, subscription, sender=sender)
        return None
    subscription.dispatch_due_at = None
    if repo.has_open_delivery(session, subscription.id):
        return None
    summary = read_summary(session, subscription.event_id)
    if summary is None or summary["version"] <= subscription.queued_version:
        return None
    delivery = repo.add_delivery(
        session,
        subscription_id=subscription.id,
        webhook_id=new_webhook_id(),
        kind="summary",
        version=summary["version"],
        body=message_body("summary", summary),
    )
    subscription.queued_version = summary["version"]
    subscription.next_allowed_at = now + timedelta(seconds=subscription.min_interval_s)
    return delivery.id


def claim_attempt(session: Session, *, delivery_id: int) -> Outgoing | None:
    """Lease a due delivery of an active subscription for one attempt; None when not due."""
    delivery = repo.claim_delivery(
        session, delivery_id, due_by=utcnow() + EARLY_TOLERANCE, lease=ATTEMPT_LEASE
    )
    if delivery is None:
        return None
    subscription = repo.get_subscription(session, delivery.subscription_id)
    if subscription is None or subscription.status != "active":
        delivery.status = "failed"
        delivery.next_attempt_at = None
        delivery.error = "subscription disabled before this attempt"
        return None
    return Outgoing(
        delivery_id=delivery.id,
        url=subscription.url,
        secret=subscription.secret,
        webhook_id=delivery.webhook_id,
        body=delivery.body,
    )


def record_attempt(
    session: Session,
    *,
    delivery_id: int,
    result: SendResult,
    policy: RetryPolicy,
    sender: TaskSender,
    rng: random.Random,
) -> AttemptOutcome:
    """Store an attempt's outcome and decide: done, retry later, give up, or disable; the status."""
    delivery = repo.lock_delivery(session, delivery_id)
    if delivery is None:
        return "missing"
    subscription = repo.lock_subscription(session, delivery.subscription_id)
    if subscription is None:
        return "missing"
    now = utcnow()
    delivery.latency_ms = result.latency_ms
    delivery.response_status = result.status
    delivery.response_body = result.body
    delivery.error = result.error
    delivery.next_attempt_at = None
    if result.ok:
        delivery.status = "succeeded"
        subscription.failing_since = None
        if delivery.kind == "summary":
            subscription.delivered_version = max(subscription.delivered_version, delivery.version)
    else:
        _record_failure(delivery, subscription, result=result, policy=policy, now=now, rng=rng)
        if delivery.status == "retrying":
            assert delivery.next_attempt_at is not None
            countdown = (delivery.next_attempt_at - now).total_seconds()
            after_commit(
                session, partial(sender.send, ATTEMPT_DELIVERY, delivery.id, countdown=countdown)
            )
    if delivery.kind == "summary" and delivery.status in ("succeeded", "failed"):
        schedule_if_behind(session, subscription, sender=sender)
    return delivery.status


def _record_failure(
    delivery: WebhookDelivery,
    subscription: Subscription,
    *,
    result: SendResult,
    policy: RetryPolicy,
    now: datetime,
    rng: random.Random,
) -> None:
    """A failed attempt: 410 or a non-public address disable at once, so do 5 failing days."""
    attempted_at = as_utc(delivery.last_attempt_at or now)
    subscription.failing_since = as_utc(subscription.failing_since or attempted_at)
    delay = policy.delay(delivery.attempts, rng) if delivery.kind == "summary" else None
    if result.status == GONE:
        _disable(subscription, delivery, "the endpoint answered 410 Gone")
    elif result.blocked:
        _disable(subscription, delivery, f"the URL is refused by the address rule: {result.error}")
    elif now - subscription.failing_since >= policy.disable_after:
        days = policy.disable_after.total_seconds() / 86_400
        _disable(subscription, delivery, f"every attempt failed for {days:g} days")
    elif delay is not None:
        delivery.status = "retrying"
        delivery.next_attempt_at = now + timedelta(seconds=delay)
    else:
        delivery.status = "failed"


def _disable(subscription: Subscription, delivery: WebhookDelivery, reason: str) -> None:
    """Disable the subscription with its reason and close the delivery."""
    subscription.status = "disabled"
    subscription.disabled_reason = reason
    subscription.dispatch_due_at = None
    delivery.status = "failed"


def schedule_if_behind(session: Session, subscription: Subscription, *, sender: TaskSender) -> None:
    """After a delivery closes: a newer summary version than the last queued is dispatched next."""
    if subscription.status != "active":
        return
    summary = read_summary(session, subscription.event_id)
    if summary is not None and summary["version"] > subscription.queued_version:
        _schedule_dispatch(session, subscription, sender=sender)
