"""Webhook subscriptions: create (secret shown once), list, read, delete, deliveries, redeliver."""

from fastapi import APIRouter, Response, status

from schemas.base import Page
from schemas.subscriptions import (
    DeliveryRead,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionRead,
)
from service.deps import AdminDep, SenderDep, SessionDep, SettingsDep
from service.pagination import Cursor, Limit, PathId, QueryId, decode_cursor, next_cursor
from usecases import subscriptions

router = APIRouter(prefix="/v1/subscriptions", tags=["subscriptions"], dependencies=[AdminDep])


@router.post("", status_code=status.HTTP_201_CREATED)
def create_subscription(
    data: SubscriptionCreate, *, session: SessionDep, settings: SettingsDep
) -> SubscriptionCreated:
    """Subscribe a URL to an event's summary changes; the signing secret is shown only here."""
    return subscriptions.create_subscription(
        session, data, allow_private_networks=settings.allow_private_networks
    )


@router.get("")
def list_subscriptions(
    session: SessionDep, *, event_id: QueryId = None, limit: Limit = 50, cursor: Cursor = None
) -> Page[SubscriptionRead]:
    """Subscriptions by id, one page, optionally of one event."""
    items = subscriptions.list_subscriptions(
        session, event_id=event_id, after_id=decode_cursor(cursor), limit=limit
    )
    return Page[SubscriptionRead](
        items=items, next_cursor=next_cursor([s.id for s in items], limit)
    )


@router.get("/{subscription_id}")
def read_subscription(subscription_id: PathId, session: SessionDep) -> SubscriptionRead:
    """One subscription, with the last version it received and why it was disabled if it was."""
    return subscriptions.read_subscription(session, subscription_id)


@router.delete("/{subscription_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_subscription(subscription_id: PathId, session: SessionDep) -> Response:
    """Stop the webhooks and forget the delivery log."""
    subscriptions.delete_subscription(session, subscription_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{subscription_id}/deliveries")
def list_deliveries(
    subscription_id: PathId, *, session: SessionDep, limit: Limit = 50, cursor: Cursor = None
) -> Page[DeliveryRead]:
    """The delivery log, newest first: status, attempts, latency, response code and body."""
    items = subscriptions.list_deliveries(
        session, subscription_id, before_id=decode_cursor(cursor), limit=limit
    )
    return Page[DeliveryRead](items=items, next_cursor=next_cursor([d.id for d in items], limit))


@router.post(
    "/{subscription_id}/deliveries/{delivery_id}/redeliver",
    status_code=status.HTTP_202_ACCEPTED,
)
def redeliver(
    subscription_id: PathId, *, delivery_id: PathId, session: SessionDep, sender: SenderDep
) -> DeliveryRead:
    """Send a finished delivery again: same webhook-id and body, a fresh round of attempts."""
    return subscriptions.redeliver(session, subscription_id, delivery_id=delivery_id, sender=sender)


@router.post("/{subscription_id}/test", status_code=status.HTTP_202_ACCEPTED)
def send_test(subscription_id: PathId, *, session: SessionDep, sender: SenderDep) -> DeliveryRead:
    """Send one signed `webhook.test` message carrying the current summary (a single attempt)."""
    return subscriptions.send_test(session, subscription_id, sender=sender)
