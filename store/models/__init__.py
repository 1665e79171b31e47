"""Tables of the system of record, one module per area; all share `Base.metadata`."""

from store.models.core import (
    Base,
    Document,
    Event,
    EventDocument,
    EventReaction,
    EventSummaryRow,
    Person,
    PersonAlias,
    PersonEventStats,
    PersonRole,
    Reaction,
    utcnow,
)

__all__ = [
    "Base",
    "Document",
    "Event",
    "EventDocument",
    "EventReaction",
    "EventSummaryRow",
    "Person",
    "PersonAlias",
    "PersonEventStats",
    "PersonRole",
    "Reaction",
    "utcnow",
]
