"""Outlets: where a document came from, the unit "seen in N outlets" counts by."""

from urllib.parse import urlsplit

MAX_OUTLET_CHARS = 300


def outlet_of(source: str | None, url: str | None) -> str | None:
    """Where a document came from: its `source` (trimmed, lower case), else its URL's host."""
    if source:
        return source.strip().lower()[:MAX_OUTLET_CHARS] or None
    if url:
        host = urlsplit(url).hostname
        return host.removeprefix("www.") if host else None
    return None
