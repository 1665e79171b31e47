"""Webhook subscriptions: create (secret shown once), list, read, delete, deliveries, redeliver."""

from urllib.parse import urlsplit

from fastapi import APIRouter, Response, status

from netrules import url_address_problem
from notify.webhooks import message_body, new_secret, new_webhook_id
from schemas.base import Page
from schemas.subscriptions import (
    DeliveryRead,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionRead,
)
from schemas.tasks import ATTEMPT_DELIVERY
from service.deps import AdminDep, SenderDep, SessionDep, SettingsDep
from service.errors import ConflictError, InvalidInputError, NotFoundError
from service.pagination import Cursor, Limit, PathId, QueryId, decode_cursor, next_cursor
from store.db import after_commit
from store.models import Subscription
from store.repositories import events, summaries
from store.repositories import subscriptions as repo

router = APIRouter(prefix="/v1/subscriptions", tags=["subscriptions"], dependencies=[AdminDep])


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


def _subscription_or_404(session: SessionDep, subscription_id: int) -> Subscription:
    """The subscription, or a 404 naming its id."""
    subscription = repo.get_subscription(session, subscription_id)
    if subscription is None:
        raise NotFoundError(f"subscription {subscription_id} not found")
    return subscription


@router.post("", status_code=status.HTTP_201_CREATED)
def create_subscription(
    data: SubscriptionCreate, session: SessionDep, settings: SettingsDep
) -> SubscriptionCreated:
    """Subscribe a URL to an event's summary changes; the signing secret is shown only here."""
    check_webhook_url(data.url)
    if events.get_event(session, data.event_id) is None:
        raise InvalidInputError(f"event_id: event {data.event_id} not found")
    check_webhook_address(data.url, allow_private_networks=settings.allow_private_networks)
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


@router.get("")
def list_subscriptions(
    session: SessionDep, event_id: QueryId = None, limit: Limit = 50, cursor: Cursor = None
) -> Page[SubscriptionRead]:
    """Subscriptions by id, one page, optionally of one event."""
    rows = repo.list_subscriptions(
        session, event_id=event_id, after_id=decode_cursor(cursor), limit=limit
    )
    return Page[SubscriptionRead](
        items=[SubscriptionRead.model_validate(s) for s in rows],
        next_cursor=next_cursor([s.id for s in rows], limit),
    )


@router.get("/{subscription_id}")
def read_subscription(subscription_id: PathId, session: SessionDep) -> SubscriptionRead:
    """One subscription, with the last version it received and why it was disabled if it was."""
    return SubscriptionRead.model_validate(_subscription_or_404(session, subscription_id))


@router.delete("/{subscription_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_subscription(subscription_id: PathId, session: SessionDep) -> Response:
    """Stop the webhooks and forget the delivery log."""
    if not repo.delete_subscription(session, subscription_id):
        raise NotFoundError(f"subscription {subscription_id} not found")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{subscription_id}/deliveries")
def list_deliveries(
    subscription_id: PathId, session: SessionDep, limit: Limit = 50, cursor: Cursor = None
) -> Page[DeliveryRead]:
    """The delivery log, newest first: status, attempts, latency, response code and body."""
    _subscription_or_404(session, subscription_id)
    rows = repo.list_deliveries(
        session, subscription_id=subscription_id, before_id=decode_cursor(cursor), limit=limit
    )
    return Page[DeliveryRead](
        items=[DeliveryRead.model_validate(d) for d in rows],
        next_cursor=next_cursor([d.id for d in rows], limit),
    )


@router.post(
    "/{subscription_id}/deliveries/{delivery_id}/redeliver",
    status_code=status.HTTP_202_ACCEPTED,
)
def redeliver(
    subscription_id: PathId, delivery_id: PathId, session: SessionDep, sender: SenderDep
) -> DeliveryRead:
    """Send a finished delivery again: same webhook-id and body, a fresh round of attempts."""
    subscription = _subscription_or_404(session, subscription_id)
    if subscription.status != "active":
        raise ConflictError(f"subscription {subscription_id} is disabled; create a new one")
    delivery = repo.get_delivery(session, subscription_id=subscription_id, delivery_id=delivery_id)
    if delivery is None:
        raise NotFoundError(f"delivery {delivery_id} of subscription {subscription_id} not found")
    if delivery.status in repo.OPEN_STATUSES:
        raise ConflictError(f"delivery {delivery_id} is still {delivery.status}")
    repo.reopen_delivery(delivery)
    after_commit(session, lambda: sender.send(ATTEMPT_DELIVERY, delivery.id))
    return DeliveryRead.model_validate(delivery)


@router.post("/{subscription_id}/test", status_code=status.HTTP_202_ACCEPTED)
def send_test(subscription_id: PathId, session: SessionDep, sender: SenderDep) -> DeliveryRead:
    """Send one signed `webhook.test` message carrying the current summary (a single attempt)."""
    subscription = _subscription_or_404(session, subscription_id)
    if subscription.status != "active":
        raise ConflictError(f"subscription {subscription_id} is disabled; create a new one")
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
