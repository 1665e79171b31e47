"""Webhook subscriptions: create one (its secret shown once), list, read and delete them, read
their delivery log, redeliver a delivery and send a test message."""

from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from netrules import url_address_problem
from notify.webhooks import message_body, new_secret, new_webhook_id
from schemas.subscriptions import (
    DeliveryRead,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionRead,
)
from schemas.tasks import ATTEMPT_DELIVERY
from store.db import after_commit
from store.models import Subscription
from store.repositories import events, summaries
from store.repositories import subscriptions as repo
from taskqueue import TaskSender
from usecases.errors import ConflictError, InvalidInputError, NotFoundError


def check_webhook_url(url: str) -> None:
    """422 naming `url` unless it is an absolute http(s) URL with a host and no credentials."""
    try:
        parts = urlsplit(url)
        _ = parts.port
    except ValueError as exc:
        raise InvalidInputError(f"url: malformed ({exc})") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInputError("url: must be an absolute http or https URL")
    if parts.username or parts.password:
        raise InvalidInputError("url: must not carry credentials")


def check_webhook_address(url: str, *, allow_private_networks: bool) -> None:
    """422 naming `url` unless every address its host resolves to is public (the collectors'
    rule; skipped when private networks are allowed).

    Each delivery checks the addresses again when it dials, so a name that later resolves
    elsewhere is caught too.
    """
    if not allow_private_networks and (problem := url_address_problem(url)) is not None:
        raise InvalidInputError(f"url: not a public address ({problem})")


def _existing(session: Session, subscription_id: int) -> Subscription:
    """The subscription, or a 404 naming its id."""
    subscription = repo.get_subscription(session, subscription_id)
    if subscription is None:
        raise NotFoundError(f"subscription {subscription_id} not found")
    return subscription


def _active(session: Session, subscription_id: int) -> Subscription:
    """The subscription (404 when unknown), or a 409 when it is disabled."""
    subscription = _existing(session, subscription_id)
    if subscription.status != "active":
        raise ConflictError(f"subscription {subscription_id} is disabled; create a new one")
    return subscription


def create_subscription(
    session: Session, data: SubscriptionCreate, *, allow_private_networks: bool
) -> SubscriptionCreated:
    """Subscribe a URL to an event's summary changes; the signing secret is shown only here."""
    check_webhook_url(data.url)
    if events.get_event(session, data.event_id) is None:
        raise InvalidInputError(f"event_id: event {data.event_id} not found")
    check_webhook_address(data.url, allow_private_networks=allow_private_networks)
    summary = summaries.read_summary(session, data.event_id) or {}
    subscription = repo.create_subscription(
        session,
        event_id=data.event_id,
        url=data.url,
        secret=new_secret(),
        min_interval_s=data.min_interval_s,
        current_version=int(summary.get("version", 0)),
    )
    return SubscriptionCreated.model_validate(subscription)


def list_subscriptions(
    session: Session, *, event_id: int | None, after_id: int | None, limit: int
) -> list[SubscriptionRead]:
    """Subscriptions by id, one page, optionally of one event."""
    rows = repo.list_subscriptions(session, event_id=event_id, after_id=after_id, limit=limit)
    return [SubscriptionRead.model_validate(s) for s in rows]


def read_subscription(session: Session, subscription_id: int) -> SubscriptionRead:
    """One subscription (404 when unknown)."""
    return SubscriptionRead.model_validate(_existing(session, subscription_id))


def delete_subscription(session: Session, subscription_id: int) -> None:
    """Stop the webhooks and forget the delivery log (404 when unknown)."""
    if not repo.delete_subscription(session, subscription_id):
        raise NotFoundError(f"subscription {subscription_id} not found")


def list_deliveries(
    session: Session, subscription_id: int, *, before_id: int | None, limit: int
) -> list[DeliveryRead]:
    """The delivery log, newest first, one page (404 when the subscription is unknown)."""
    _existing(session, subscription_id)
    rows = repo.list_deliveries(
        session, subscription_id=subscription_id, before_id=before_id, limit=limit
    )
    return [DeliveryRead.model_validate(d) for d in rows]


def redeliver(
    session: Session, subscription_id: int, *, delivery_id: int, sender: TaskSender
) -> DeliveryRead:
    """Send a finished delivery again (same webhook-id and body, a fresh round of attempts);
    409 while it is still open or the subscription is disabled."""
    _active(session, subscription_id)
    delivery = repo.get_delivery(session, subscription_id=subscription_id, delivery_id=delivery_id)
    if delivery is None:
        raise NotFoundError(f"delivery {delivery_id} of subscription {subscription_id} not found")
    if delivery.status in repo.OPEN_STATUSES:
        raise ConflictError(f"delivery {delivery_id} is still {delivery.status}")
    repo.reopen_delivery(delivery)
    after_commit(session, lambda: sender.send(ATTEMPT_DELIVERY, delivery.id))
    return DeliveryRead.model_validate(delivery)


def send_test(session: Session, subscription_id: int, *, sender: TaskSender) -> DeliveryRead:
    """Send one signed `webhook.test` message carrying the current summary (a single attempt)."""
    subscription = _active(session, subscription_id)
    summary = summaries.read_summary(session, subscription.event_id) or {}
    version = int(summary.get("version", 0))
    delivery = repo.add_delivery(
        session,
        subscription_id=subscription.id,
        webhook_id=new_webhook_id(),
        kind="test",
        version=version,
        body=message_body(
            "test", {**summary, "event_id": subscription.event_id, "version": version}
        ),
    )
    after_commit(session, lambda: sender.send(ATTEMPT_DELIVERY, delivery.id))
    return DeliveryRead.model_validate(delivery)
