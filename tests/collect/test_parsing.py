"""Feed, page and social parsing on bodies the tests write: pure, no server."""

import json
from pathlib import Path

import pytest

from tests.collect import content
from workers.collect import neardup, social
from workers.collect.errors import CollectError
from workers.collect.feeds import parse_feed
from workers.collect.pages import extract_page
from workers.collect.text import html_to_text

ITEMS = [("a1", "http://courier.test/a1"), ("a2", "http://courier.test/a2")]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (content.rss2(ITEMS), "application/rss+xml"),
        (content.atom(ITEMS), "application/atom+xml"),
        (content.rss1(ITEMS), "application/rdf+xml"),
        (content.rss091(ITEMS), "text/xml"),
        (content.json_feed(ITEMS), "application/feed+json"),
    ],
)
def test_every_feed_format_gives_the_entry_links(body: str, content_type: str) -> None:
    entries = parse_feed(body.encode(), content_type=content_type, charset=None)
    assert [e.url for e in entries] == [link for _, link in ITEMS]
    assert all(e.key and e.text is None for e in entries)


def test_rss_full_text_is_used_when_long_enough() -> None:
    long_text = content.article_text("seawall")
    body = content.rss2(ITEMS, full_text={"a1": long_text, "a2": "too short"})
    first, second = parse_feed(body.encode(), content_type="application/rss+xml", charset=None)
    assert first.text is not None
    assert "Lena Ortiz" in first.text
    assert second.text is None
    assert first.published_at is not None
    assert first.published_at.year == 2026


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (content.MALFORMED.encode(), "not well-formed"),
        (content.BILLION_LAUGHS.encode(), "forbidden XML"),
        (content.BAD_ENCODING, "not well-formed"),
        (b'{"items": 3}', "no `items`"),
        (b"<html><body>hello</body></html>", "not a feed"),
    ],
)
def test_hostile_feeds_raise_collect_errors(body: bytes, message: str) -> None:
    with pytest.raises(CollectError, match=message):
        parse_feed(body, content_type="application/xml", charset=None)


def test_page_extraction_finds_text_title_author_date_and_canonical_url() -> None:
    html = content.article_page("seawall", canonical="http://courier.test/seawall")
    page = extract_page(html.encode(), url="http://courier.test/x?utm=1", charset=None)
    assert "Lena Ortiz" in page.text
    assert "Home" not in page.text
    assert page.title == "Kestrel Bay approves new seawall"
    assert page.author == "Mara Quill"
    assert page.canonical_url == "http://courier.test/seawall"
    assert page.published_at is not None
    assert page.published_at.day == 20


def test_a_page_with_bytes_invalid_in_its_charset_is_an_error() -> None:
    html = content.article_page("seawall").encode() + b"\xff\xfe\xfd"
    with pytest.raises(CollectError, match="not valid utf-8"):
        extract_page(html, url="http://courier.test/x", charset="utf-8")


def test_mastodon_html_becomes_text_and_boosts_are_skipped() -> None:
    statuses = [
        content.mastodon_status(5, text="A fine & fair day", name="Lena Ortiz", acct="lena"),
        {**content.mastodon_status(6, text="boost", name="X", acct="x"), "reblog": {"id": "1"}},
    ]
    (post,) = social.mastodon_posts(statuses)
    assert (post.text, post.author_name, post.handle) == (
        "A fine & fair day\n#harbour",
        "Lena Ortiz",
        "@lena",
    )
    assert social.mastodon_max_id(statuses, "3") == "6"


def test_bluesky_search_page_and_author_feed() -> None:
    posts = [content.bluesky_post(1, text="Great news", name="Ingrid Hale", handle="ingrid.test")]
    found, cursor = social.bluesky_page({"posts": posts, "cursor": "c2"})
    assert (found[0].author_name, found[0].handle, cursor) == ("Ingrid Hale", "@ingrid.test", "c2")
    feed = {"feed": [{"post": posts[0]}, {"post": posts[0], "reason": {"$type": "repost"}}]}
    assert len(social.bluesky_page(feed)[0]) == 1
    assert social.bluesky_request("@ingrid.test", since=None)[0] == "app.bsky.feed.getAuthorFeed"


def test_html_to_text_drops_scripts_and_keeps_paragraphs() -> None:
    assert (
        html_to_text("<p>One<script>x()</script></p><p>Two &amp; three</p>") == "One\nTwo & three"
    )


def test_near_duplicate_threshold_separates_rewrites_from_other_stories() -> None:
    corpus = json.loads((Path(__file__).parent / "fixtures" / "neardup.json").read_text("utf-8"))
    original = neardup.signature(corpus["original"])
    rewrites = [neardup.similarity(original, neardup.signature(t)) for t in corpus["rewrites"]]
    others = [neardup.signature(t) for t in [corpus["original"], *corpus["distinct"]]]
    distinct = [neardup.similarity(a, b) for i, a in enumerate(others) for b in others[i + 1 :]]
    assert min(rewrites) >= neardup.SIMILARITY_THRESHOLD + 0.15
    assert max(distinct) <= neardup.SIMILARITY_THRESHOLD - 0.15
    for text in corpus["rewrites"]:
        assert set(neardup.bands(original)) & set(neardup.bands(neardup.signature(text)))
