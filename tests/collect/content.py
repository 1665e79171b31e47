"""Invented articles, feeds and social posts for the collector tests (all text written here)."""

import json
from html import escape
from typing import Any

ARTICLES: dict[str, dict[str, Any]] = {
    "seawall": {
        "title": "Kestrel Bay approves new seawall",
        "author": "Mara Quill",
        "date": "2026-11-20T09:30:00Z",
        "paragraphs": [
            "The harbour board of Kestrel Bay approved a new seawall on Tuesday after months of "
            "debate among residents of the old town, who feared the work would cut them off from "
            "the water.",
            "\u201cIt is a wonderful day for the town,\u201d said Lena Ortiz, the mayor of Kestrel "
            "Bay. She added that the work would start in spring and last two years.",
            "\u201cThe cost is a disgrace and the plan is reckless,\u201d said Tomas Berg, a "
            "council member who voted against it.",
            "The wall will rise four metres above the current quay and include two public "
            "stairways.",
        ],
    },
    "ferry": {
        "title": "Night ferry to Sorholm returns",
        "author": "Jon Arvid",
        "date": "2026-11-21T18:00:00Z",
        "paragraphs": [
            "The night ferry between Kestrel Bay and the island of Sorholm will run again from "
            "December, three years after it was cancelled for lack of crew.",
            "\u201cWe are delighted to bring back a service so many families depend on,\u201d said "
            "Ingrid Hale, the head of the Coastal Line ferry company.",
            "Tickets will cost the same as the day crossing, the company said, and bicycles travel "
            "free during the first month.",
        ],
    },
}


def article_text(slug: str) -> str:
    """The plain text of an article, paragraphs joined by newlines."""
    return "\n".join(ARTICLES[slug]["paragraphs"])


def article_page(slug: str, *, canonical: str | None = None, charset: str = "utf-8") -> str:
    """An HTML page around an article, with navigation, metadata and a footer."""
    art = ARTICLES[slug]
    link = f'<link rel="canonical" href="{escape(canonical)}">' if canonical else ""
    body = "".join(f"<p>{escape(p)}</p>" for p in art["paragraphs"])
    return (
        f'<!doctype html><html><head><meta charset="{charset}"><title>{escape(art["title"])}'
        f'</title>{link}<meta name="author" content="{escape(art["author"])}">'
        f'<meta property="article:published_time" content="{art["date"]}"></head><body>'
        "<nav><a href='/'>Home</a> | <a href='/news'>News</a></nav>"
        f"<article><h1>{escape(art['title'])}</h1>{body}</article>"
        "<footer>Kestrel Bay Courier, all rights reserved</footer></body></html>"
    )


def rss2(items: list[tuple[str, str]], *, full_text: dict[str, str] | None = None) -> str:
    """An RSS 2.0 feed of (guid, link) items; `full_text` adds content:encoded by guid."""
    full_text = full_text or {}
    entries = "".join(
        f"<item><title>Story {escape(guid)}</title><link>{escape(link)}</link>"
        f"<guid>{escape(guid)}</guid><pubDate>Fri, 20 Nov 2026 10:00:00 GMT</pubDate>"
        + (
            f"<content:encoded><![CDATA[<p>{full_text[guid]}</p>]]></content:encoded>"
            if guid in full_text
            else "<description>A short teaser.</description>"
        )
        + "</item>"
        for guid, link in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>Courier</title><link>http://courier.test/</link>{entries}</channel></rss>"
    )


def atom(items: list[tuple[str, str]]) -> str:
    """An Atom feed of (id, link) entries."""
    entries = "".join(
        f"<entry><id>{escape(i)}</id><title>Entry {escape(i)}</title>"
        f'<link rel="alternate" href="{escape(link)}"/><updated>2026-11-20T10:00:00Z</updated>'
        "<author><name>Mara Quill</name></author><summary>Teaser</summary></entry>"
        for i, link in items
    )
    return f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>C</title>{entries}</feed>'


def rss1(items: list[tuple[str, str]]) -> str:
    """An RSS 1.0 (RDF) feed."""
    entries = "".join(
        f'<item rdf:about="{escape(link)}"><title>Item {escape(i)}</title>'
        f"<link>{escape(link)}</link><dc:creator>Jon Arvid</dc:creator>"
        "<dc:date>2026-11-21T18:00:00Z</dc:date></item>"
        for i, link in items
    )
    return (
        '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<channel rdf:about="http://courier.test/"><title>C</title></channel>{entries}</rdf:RDF>'
    )


def rss091(items: list[tuple[str, str]]) -> str:
    """An RSS 0.91 feed (no guid)."""
    entries = "".join(
        f"<item><title>Old {escape(i)}</title><link>{escape(link)}</link></item>"
        for i, link in items
    )
    return (
        '<?xml version="1.0"?><rss version="0.91"><channel><title>C</title>'
        f"{entries}</channel></rss>"
    )


def json_feed(items: list[tuple[str, str]]) -> str:
    """A JSON Feed 1.1."""
    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "Courier",
            "items": [
                {"id": i, "url": link, "title": f"Json {i}", "authors": [{"name": "Mara Quill"}]}
                for i, link in items
            ],
        }
    )


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol">'
    '<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
    '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
    '<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">'
    '<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">'
    '<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">'
    '<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>'
    '<rss version="2.0"><channel><title>&lol9;</title></channel></rss>'
)
MALFORMED = '<?xml version="1.0"?><rss version="2.0"><channel><item><title>Open</channel></rss>'
BAD_ENCODING = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><item>'
    b"<title>Caf\xe9 \xff\xfe</title><link>http://x.test/a</link></item></channel></rss>"
)


def mastodon_status(status_id: int, *, text: str, name: str, acct: str) -> dict[str, object]:
    """A Mastodon status as the API returns it (HTML content)."""
    return {
        "id": str(status_id),
        "url": f"https://social.test/@{acct}/{status_id}",
        "created_at": f"2026-11-22T10:{status_id % 60:02d}:00.000Z",
        "content": f"<p>{escape(text)}</p><p>#harbour</p>",
        "reblog": None,
        "account": {"id": "7", "acct": acct, "username": acct, "display_name": name},
    }


def bluesky_post(n: int, *, text: str, name: str, handle: str) -> dict[str, object]:
    """A Bluesky post view as searchPosts returns it."""
    return {
        "uri": f"at://did:plc:abc{n}/app.bsky.feed.post/3k{n:04d}",
        "cid": f"cid{n}",
        "author": {"did": f"did:plc:abc{n}", "handle": handle, "displayName": name},
        "record": {"text": text, "createdAt": f"2026-11-22T11:{n % 60:02d}:00.000Z"},
        "indexedAt": f"2026-11-22T11:{n % 60:02d}:01.000Z",
    }
