"""Main text and metadata of an article page, extracted with trafilatura."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import trafilatura

from workers.collect.errors import CollectError
from workers.collect.text import decode_strict, plain

MIN_TEXT_CHARS = 40
META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PageContent:
    """What an article page says: main text, title, author, date and canonical URL."""

    text: str
    title: str | None
    author: str | None
    published_at: datetime | None
    canonical_url: str | None


def extract_page(body: bytes, *, url: str, charset: str | None) -> PageContent:
    """Extract the article from an HTML page; a page without one is an error."""
    declared = META_CHARSET.search(body[:4096])
    if charset is None and declared is not None:
        charset = declared.group(1).decode("ascii").lower()
    markup = decode_strict(body, charset, what=f"the page {url}")
    try:
        doc = trafilatura.bare_extraction(
            markup, url=url, with_metadata=True, include_comments=False, include_tables=False
        )
    except (ValueError, TypeError) as exc:
        raise CollectError(f"cannot extract the article from {url}: {exc}") from exc
    text = (getattr(doc, "text", None) or "").replace("\x00", "").strip()
    if len(text) < MIN_TEXT_CHARS:
        raise CollectError(f"no article text found at {url}")
    return PageContent(
        text=text,
        title=plain(getattr(doc, "title", None)),
        author=plain(getattr(doc, "author", None)),
        published_at=_date(getattr(doc, "date", None)),
        canonical_url=getattr(doc, "url", None) or None,
    )


def _date(raw: str | None) -> datetime | None:
    """trafilatura's YYYY-MM-DD date as a UTC datetime, or None."""
    try:
        return datetime.fromisoformat(raw).replace(tzinfo=UTC) if raw else None
    except ValueError:
        return None
