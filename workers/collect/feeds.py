"""RSS 0.9x/1.0/2.0, Atom and JSON Feed parsing into plain entries; XML with no entity expansion."""

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from domain.moments import as_utc
from workers.collect.errors import CollectError
from workers.collect.text import decode_strict, html_to_text, plain

MAX_ENTRIES = 200
FULL_TEXT_MIN_CHARS = 400
ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One feed entry; `text` is set only when the feed carries the full article."""

    key: str
    url: str | None
    title: str | None
    author: str | None
    published_at: datetime | None
    text: str | None


def parse_feed(body: bytes, *, content_type: str, charset: str | None) -> list[FeedEntry]:
    """Entries of an RSS, Atom or JSON feed, newest as listed, at most MAX_ENTRIES."""
    if "json" in content_type or body.lstrip()[:1] == b"{":
        return _parse_json_feed(decode_strict(body, charset or "utf-8", what="the JSON feed"))
    try:
        root = SafeET.fromstring(body, forbid_dtd=False, forbid_entities=True)
    except DefusedXmlException as exc:
        raise CollectError(f"the feed uses forbidden XML constructs: {exc}") from exc
    except ET.ParseError as exc:
        raise CollectError(f"the feed is not well-formed XML: {exc}") from exc
    if root.tag == "rss":
        items = root.findall("./channel/item")
    elif root.tag == f"{ATOM}feed":
        return [_atom_entry(e) for e in root.findall(f"{ATOM}entry")[:MAX_ENTRIES]]
    elif root.tag == f"{RDF}RDF":
        items = root.findall(f"{RSS1}item") + root.findall("item")
    else:
        raise CollectError(f"not a feed: the root element is {root.tag!r}")
    return [_rss_item(item) for item in items[:MAX_ENTRIES]]


def _rss_item(item: ET.Element) -> FeedEntry:
    """An RSS 0.9x/1.0/2.0 item; namespaced RSS 1.0 children are read like plain ones."""

    def child(*names: str) -> str | None:
        for name in names:
            found = item.find(name)
            if found is None:
                found = item.find(f"{RSS1}{name}")
            if found is not None and (found.text or "").strip():
                return (found.text or "").strip()
        return None

    url = child("link")
    key = child("guid") or url or item.get(f"{RDF}about") or child("title") or ""
    return FeedEntry(
        key=key,
        url=url,
        title=plain(child("title")),
        author=plain(child(f"{DC}creator", "author")),
        published_at=_date(child("pubDate", f"{DC}date")),
        text=_full_text(child(f"{CONTENT}encoded", "description")),
    )


def _atom_entry(entry: ET.Element) -> FeedEntry:
    """An Atom entry: the alternate link, the content if it is the full article."""
    url = None
    for link in entry.findall(f"{ATOM}link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            url = link.get("href")
            break

    def text_of(name: str) -> str | None:
        found = entry.find(f"{ATOM}{name}")
        return found.text.strip() if found is not None and found.text else None

    author = entry.find(f"{ATOM}author/{ATOM}name")
    return FeedEntry(
        key=text_of("id") or url or text_of("title") or "",
        url=url,
        title=plain(text_of("title")),
        author=plain(author.text if author is not None else None),
        published_at=_date(text_of("published") or text_of("updated")),
        text=_full_text(text_of("content") or text_of("summary")),
    )


def _parse_json_feed(raw: str) -> list[FeedEntry]:
    """Entries of a JSON Feed (version 1 or 1.1)."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise CollectError(f"the JSON feed is not valid JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise CollectError("the JSON feed has no `items` list")
    entries = []
    for item in data["items"][:MAX_ENTRIES]:
        if not isinstance(item, dict):
            continue
        authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
        author = authors[0].get("name") if authors and isinstance(authors[0], dict) else None
        url = _str(item.get("url"))
        entries.append(
            FeedEntry(
                key=_str(item.get("id")) or url or "",
                url=url,
                title=plain(_str(item.get("title"))),
                author=plain(_str(author)),
                published_at=_date(_str(item.get("date_published"))),
                text=_full_text(_str(item.get("content_html")))
                or _long_enough(_str(item.get("content_text"))),
            )
        )
    return entries


def _str(value: object) -> str | None:
    """A JSON value as a string, or None when it is not one."""
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None


def _full_text(fragment: str | None) -> str | None:
    """The text of an HTML fragment when it is long enough to be the article itself."""
    return _long_enough(html_to_text(fragment)) if fragment else None


def _long_enough(text: str | None) -> str | None:
    """`text` when it has at least FULL_TEXT_MIN_CHARS characters, else None (fetch the page)."""
    return text if text and len(text.strip()) >= FULL_TEXT_MIN_CHARS else None


def _date(raw: str | None) -> datetime | None:
    """An RFC 822 or ISO 8601 date, timezone-aware (UTC when none is given), or None."""
    if not raw:
        return None
    try:
        parsed = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        try:
            parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            return None
    return as_utc(parsed)
