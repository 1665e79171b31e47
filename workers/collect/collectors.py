"""One collector per source kind: fetch with the safe fetcher, return what to store. No DB here."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol
from urllib.parse import urlsplit

from pydantic import ValidationError

from schemas.documents import DocumentCreate
from store.repositories.documents import content_hash
from store.repositories.sources import ItemState
from workers.collect import social
from workers.collect.errors import CollectError
from workers.collect.feeds import FeedEntry, parse_feed
from workers.collect.fetch import FEED_TYPES, JSON_TYPES, PAGE_TYPES, Fetcher
from workers.collect.pages import extract_page

MAX_ENTRIES_PER_POLL = 25
MAX_ITEM_ATTEMPTS = 5


class Ledger(Protocol):
    """Read access to a source's item records; each call is its own short transaction."""

    def known(self, key_hashes: Sequence[str]) -> dict[str, ItemState]:
        """The records of these entries that exist."""

    def retryable(self, *, limit: int) -> dict[str, ItemState]:
        """Failed entries still worth another attempt."""


@dataclass(frozen=True, slots=True)
class Author:
    """The author of a social post: the display name is the person, the handle an alias."""

    name: str
    handle: str
    platform: str


@dataclass(frozen=True, slots=True)
class Item:
    """One entry to store: a document, or the error that stopped it."""

    key_hash: str
    url: str | None
    title: str | None
    document: DocumentCreate | None = None
    canonical_url: str | None = None
    author: Author | None = None
    error: str | None = None


@dataclass(slots=True)
class Harvest:
    """A poll's result: the items and the state to keep for the next poll."""

    items: list[Item] = field(default_factory=list)
    validators: tuple[str | None, str | None] | None = None
    cursor: str | None = None


@dataclass(frozen=True, slots=True)
class Target:
    """What to poll: the source's kind, URL, query and the state kept from the last poll."""

    kind: str
    url: str
    query: str | None
    etag: str | None
    last_modified: str | None
    cursor: str | None


def key_hash(key: str) -> str:
    """The stored identity of an entry key (guid, URL or post id)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _document(
    *, text: str, title: str | None, url: str | None, published_at: datetime | None
) -> DocumentCreate:
    """A DocumentCreate, or CollectError naming the field the collected entry got wrong."""
    try:
        return DocumentCreate(
            text=text,
            title=(title or None) and title[:1000],
            url=url if url and len(url) <= 2048 else None,
            published_at=published_at,
            source=(urlsplit(url).hostname or None) if url else None,
        )
    except ValidationError as exc:
        fields = ", ".join(".".join(map(str, e["loc"])) for e in exc.errors())
        raise CollectError(f"the collected entry has invalid {fields}") from exc


def collect_feed(fetcher: Fetcher, target: Target, *, ledger: Ledger) -> Harvest:
    """New and retryable entries of a feed; each page fetched unless the feed has full text."""
    fetched = fetcher.get(
        target.url, accept=FEED_TYPES, etag=target.etag, last_modified=target.last_modified
    )
    harvest = Harvest(validators=(fetched.etag, fetched.last_modified))
    entries = (
        []
        if fetched.not_modified
        else parse_feed(fetched.body, content_type=fetched.content_type, charset=fetched.charset)
    )
    by_hash = {key_hash(e.key or e.url or ""): e for e in entries if e.key or e.url}
    known = ledger.known(list(by_hash))
    todo: dict[str, FeedEntry] = {
        h: e
        for h, e in by_hash.items()
        if h not in known or (known[h].status == "failed" and known[h].attempts < MAX_ITEM_ATTEMPTS)
    }
    for h, item in ledger.retryable(limit=MAX_ENTRIES_PER_POLL).items():
        todo.setdefault(h, FeedEntry(h, item.url, item.title, None, None, None))
    for h, entry in list(todo.items())[:MAX_ENTRIES_PER_POLL]:
        harvest.items.append(_entry_item(fetcher, h, entry))
    return harvest


def _entry_item(fetcher: Fetcher, h: str, entry: FeedEntry) -> Item:
    """The document of one feed entry: the feed's full text, else its page; errors are kept."""
    try:
        if entry.text:
            doc = _document(
                text=entry.text, title=entry.title, url=entry.url, published_at=entry.published_at
            )
            return Item(h, entry.url, entry.title, document=doc, canonical_url=entry.url)
        if not entry.url:
            raise CollectError("the entry has neither full text nor a link")
        page = fetcher.get(entry.url, accept=PAGE_TYPES)
        content = extract_page(page.body, url=page.url, charset=page.charset)
        doc = _document(
            text=content.text,
            title=content.title or entry.title,
            url=page.url,
            published_at=content.published_at or entry.published_at,
        )
        return Item(h, entry.url, doc.title, document=doc, canonical_url=content.canonical_url)
    except CollectError as exc:
        return Item(h, entry.url, entry.title, error=str(exc))


def collect_page(fetcher: Fetcher, target: Target, *, ledger: Ledger) -> Harvest:
    """The page as one document, again only when its text changed."""
    fetched = fetcher.get(
        target.url, accept=PAGE_TYPES, etag=target.etag, last_modified=target.last_modified
    )
    harvest = Harvest(validators=(fetched.etag, fetched.last_modified))
    if fetched.not_modified:
        return harvest
    content = extract_page(fetched.body, url=fetched.url, charset=fetched.charset)
    h = key_hash(f"page:{content_hash(content.text)}")
    if h not in ledger.known([h]):
        doc = _document(
            text=content.text,
            title=content.title,
            url=fetched.url,
            published_at=content.published_at,
        )
        # No canonical-URL dedupe here: a changed page keeps its URL but is a new version.
        harvest.items.append(Item(h, fetched.url, content.title, document=doc))
    return harvest


def collect_mastodon(fetcher: Fetcher, target: Target, *, ledger: Ledger) -> Harvest:
    """Statuses newer than the kept `min_id` cursor, page by page; the first poll takes one page."""
    base = target.url.rstrip("/")
    kind, value = social.mastodon_query(target.query or "")
    path = social.mastodon_timeline_path(kind, value)
    if kind == "account":
        found = fetcher.get(f"{base}{path}", accept=JSON_TYPES, params={"acct": value})
        account = social.load_json(found.body, what="the Mastodon account lookup")
        if not isinstance(account, dict) or not str(account.get("id", "")).isdigit():
            raise CollectError(f"Mastodon has no account {value!r}")
        path = f"/api/v1/accounts/{account['id']}/statuses"
    cursor = target.cursor
    posts: list[social.Post] = []
    for _ in range(social.MAX_PAGES):
        params = {"limit": str(social.PAGE_SIZE)}
        if cursor:
            params["min_id"] = cursor
        page = fetcher.get(f"{base}{path}", accept=JSON_TYPES, params=params)
        data = social.load_json(page.body, what="the Mastodon timeline")
        posts += social.mastodon_posts(data)
        newest = social.mastodon_max_id(data, cursor)
        if target.cursor is None or newest == cursor or len(data) < social.PAGE_SIZE:
            cursor = newest
            break
        cursor = newest
    return Harvest(items=_post_items(posts, ledger), cursor=cursor)


def collect_bluesky(fetcher: Fetcher, target: Target, *, ledger: Ledger) -> Harvest:
    """Posts newer than the kept watermark, following XRPC cursors back until it is reached."""
    method, params = social.bluesky_request(target.query or "", since=target.cursor)
    url = f"{target.url.rstrip('/')}/xrpc/{method}"
    watermark = _parse_iso(target.cursor)
    posts: list[social.Post] = []
    for _ in range(social.MAX_PAGES):
        page = fetcher.get(url, accept=JSON_TYPES, params=params)
        found, next_cursor = social.bluesky_page(social.load_json(page.body, what="Bluesky"))
        fresh = [p for p in found if _newer(p.published_at, watermark)]
        posts += fresh
        if next_cursor is None or len(fresh) < len(found) or target.cursor is None:
            break
        params = {**params, "cursor": next_cursor}
    stamps = [p.published_at for p in posts if p.published_at is not None]
    newest = max([*stamps, *([watermark] if watermark else [])], default=None)
    return Harvest(
        items=_post_items(posts, ledger),
        cursor=newest.isoformat().replace("+00:00", "Z") if newest else target.cursor,
    )


def _post_items(posts: Sequence[social.Post], ledger: Ledger) -> list[Item]:
    """Items for posts not stored before, each with its author."""
    unique = {key_hash(p.key): p for p in posts}
    known = ledger.known(list(unique))
    items = []
    for h, post in unique.items():
        if h in known:
            continue
        try:
            doc = _document(
                text=post.text, title=None, url=post.url, published_at=post.published_at
            )
        except CollectError as exc:
            items.append(Item(h, post.url, None, error=str(exc)))
            continue
        author = Author(name=post.author_name, handle=post.handle, platform=post.platform)
        items.append(Item(h, post.url, None, document=doc, canonical_url=post.url, author=author))
    return items


def _parse_iso(value: str | None) -> datetime | None:
    """A kept ISO watermark, or None."""
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None
    except ValueError:
        return None


def _newer(moment: datetime | None, watermark: datetime | None) -> bool:
    """True when a post is newer than the watermark (always, without one)."""
    return watermark is None or (moment is not None and moment > watermark)


class Collector(Protocol):
    """A collector: one poll of a target through the fetcher, skipping what the ledger holds."""

    def __call__(self, fetcher: Fetcher, target: Target, *, ledger: Ledger) -> Harvest:
        """The harvest of one poll."""
        ...


COLLECTORS: dict[str, Collector] = {
    "feed": collect_feed,
    "page": collect_page,
    "mastodon": collect_mastodon,
    "bluesky": collect_bluesky,
}
