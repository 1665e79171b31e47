"""Webhook subscriptions to an event's summary and the log of their deliveries."""

from datetime import datetime
from typing import Literal

from pydantic import Field

from schemas.base import RowId, Schema

SubscriptionStatus = Literal["active", "disabled"]
DeliveryStatus = Literal["pending", "retrying", "succeeded", "failed"]
DeliveryKind = Literal["summary", "test"]


class SubscriptionCreate(Schema):
    """Ask for `event.summary.updated` webhooks, at most one per `min_interval_s`."""

    event_id: RowId
    url: str = Field(min_length=1, max_length=2048)
    min_interval_s: int = Field(default=10, ge=1, le=86_400)


class SubscriptionRead(Schema):
    """A subscription as stored, without its secret."""

    id: int
    event_id: int
    url: str
    min_interval_s: int
    status: SubscriptionStatus
    disabled_reason: str | None
    delivered_version: int
    created_at: datetime


class SubscriptionCreated(SubscriptionRead):
    """The answer to a new subscription: the only time its signing secret is shown."""

    secret: str


class DeliveryRead(Schema):
    """One webhook message and the outcome of its latest attempt."""

    id: int
    webhook_id: str
    kind: DeliveryKind
    version: int
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    latency_ms: int | None
    response_status: int | None
    response_body: str | None
    error: str | None
    created_at: datetime
