"""Tables of the system of record, one module per area; all share `Base.metadata`."""

from store.models.core import (
    Base,
    Document,
    Event,
    EventDocument,
    EventReaction,
    EventSummaryRow,
    EventTally,
    Person,
    PersonAlias,
    PersonRole,
    Reaction,
    utcnow,
)
from store.models.sources import DocumentBand, DocumentFingerprint, Source, SourceItem
from store.models.subscriptions import Subscription, WebhookDelivery

__all__ = [
    "Base",
    "Document",
    "DocumentBand",
    "DocumentFingerprint",
    "Event",
    "EventDocument",
    "EventReaction",
    "EventSummaryRow",
    "EventTally",
    "Person",
    "PersonAlias",
    "PersonRole",
    "Reaction",
    "Source",
    "SourceItem",
    "Subscription",
    "WebhookDelivery",
    "utcnow",
]
