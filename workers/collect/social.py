"""Mastodon and Bluesky responses turned into posts: pure parsing, no I/O."""

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from urllib.parse import quote

from domain.moments import as_utc
from workers.collect.errors import CollectError
from workers.collect.text import decode_strict, html_to_text, plain

PAGE_SIZE = 40
MAX_PAGES = 5
MastodonQuery = Literal["tag", "account"]
"""A Mastodon query follows a hashtag or an account."""


@dataclass(frozen=True, slots=True)
class Post:
    """A social post: its author's display name is the person, the handle an alias."""

    key: str
    url: str | None
    text: str
    author_name: str
    handle: str
    platform: str
    published_at: datetime | None


def load_json(body: bytes, *, what: str) -> Any:
    """Parse a UTF-8 JSON response body."""
    try:
        return json.loads(decode_strict(body, "utf-8", what=what))
    except json.JSONDecodeError as exc:
        raise CollectError(f"{what} is not valid JSON: {exc}") from exc


def mastodon_query(query: str) -> tuple[MastodonQuery, str]:
    """("tag", name) for `#name`, ("account", acct) for `@user` or `@user@host`."""
    stripped = query.strip()
    if stripped.startswith("#") and len(stripped) > 1:
        return "tag", stripped[1:]
    if stripped.startswith("@") and len(stripped) > 1:
        return "account", stripped[1:]
    raise CollectError("a mastodon query is `#tag` or `@account`")


def mastodon_timeline_path(kind: MastodonQuery, value: str) -> str:
    """The API path of a hashtag timeline, or the lookup path of an account."""
    if kind == "tag":
        return f"/api/v1/timelines/tag/{quote(value, safe='')}"
    return "/api/v1/accounts/lookup"


def mastodon_posts(data: Any) -> list[Post]:
    """Original statuses (not boosts) of a Mastodon statuses array, HTML content as text."""
    if not isinstance(data, list):
        raise CollectError("the Mastodon response is not a list of statuses")
    posts = []
    for status in data[: PAGE_SIZE * 2]:
        if not isinstance(status, dict) or status.get("reblog"):
            continue
        account = _obj(status.get("account"))
        text = html_to_text(str(status.get("content") or ""))
        handle = str(account.get("acct") or account.get("username") or "")
        if not text or not handle or not status.get("id"):
            continue
        posts.append(
            Post(
                key=f"mastodon:{status['id']}",
                url=_opt(status.get("url") or status.get("uri")),
                text=text,
                author_name=plain(_opt(account.get("display_name"))) or handle,
                handle=f"@{handle}",
                platform="mastodon",
                published_at=_iso(status.get("created_at")),
            )
        )
    return posts


def mastodon_max_id(data: list[Any], current: str | None) -> str | None:
    """The newest status id in a page (ids are numeric strings), or `current`."""
    ids = [str(s["id"]) for s in data if isinstance(s, dict) and str(s.get("id", "")).isdigit()]
    return max([*ids, *([current] if current else [])], key=int, default=None)


def bluesky_request(query: str, *, since: str | None) -> tuple[str, dict[str, str]]:
    """XRPC method and parameters: an author feed for `@handle`, else a latest-first search."""
    stripped = query.strip()
    if stripped.startswith("@") and len(stripped) > 1:
        return "app.bsky.feed.getAuthorFeed", {"actor": stripped[1:], "limit": str(PAGE_SIZE)}
    params = {"q": stripped, "sort": "latest", "limit": str(PAGE_SIZE)}
    if since:
        params["since"] = since
    return "app.bsky.feed.searchPosts", params


def bluesky_page(data: Any) -> tuple[list[Post], str | None]:
    """Posts of a searchPosts or getAuthorFeed page (reposts skipped) and the next cursor."""
    if not isinstance(data, dict):
        raise CollectError("the Bluesky response is not an object")
    if isinstance(data.get("feed"), list):
        raw = [i.get("post") for i in data["feed"] if isinstance(i, dict) and not i.get("reason")]
    elif isinstance(data.get("posts"), list):
        raw = data["posts"]
    else:
        raise CollectError("the Bluesky response has neither `posts` nor `feed`")
    posts = [p for p in (_bluesky_post(item) for item in raw[: PAGE_SIZE * 2]) if p is not None]
    cursor = data.get("cursor")
    return posts, cursor if isinstance(cursor, str) and cursor else None


def _bluesky_post(item: Any) -> Post | None:
    """One Bluesky post view, or None when it lacks text or an author."""
    if not isinstance(item, dict):
        return None
    author = _obj(item.get("author"))
    record = _obj(item.get("record"))
    text = str(record.get("text") or "").strip()
    handle = str(author.get("handle") or "")
    uri = str(item.get("uri") or "")
    if not text or not handle or not uri:
        return None
    rkey = uri.rsplit("/", 1)[-1]
    return Post(
        key=f"bluesky:{uri}",
        url=f"https://bsky.app/profile/{handle}/post/{rkey}",
        text=text,
        author_name=plain(_opt(author.get("displayName"))) or handle,
        handle=f"@{handle}",
        platform="bluesky",
        published_at=_iso(record.get("createdAt") or item.get("indexedAt")),
    )


def _obj(value: object) -> dict[str, Any]:
    """A JSON object, or an empty one when the value is something else."""
    return value if isinstance(value, dict) else {}


def _opt(value: object) -> str | None:
    """A non-empty string or None."""
    return value if isinstance(value, str) and value else None


def _iso(value: object) -> datetime | None:
    """An ISO 8601 timestamp as an aware datetime, or None."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return as_utc(parsed)
