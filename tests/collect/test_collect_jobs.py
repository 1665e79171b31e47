"""Polling real local servers into the real PostgreSQL: valid runs, dedupe, paging, hostility."""

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from schemas.tasks import POLL_SOURCE, PROCESS_DOCUMENT
from store.db import session_scope
from store.models import Document, Reaction, SourceItem, utcnow
from store.repositories import sources
from tests.collect import content
from tests.collect.conftest import RecordingSender, add_source, make_jobs, poll_now
from tests.collect.server import (
    Site,
    failing_once,
    gzip_bomb,
    redirect,
    send,
    static,
    trickle,
)
from workers.collect.jobs import CollectJobs

RSS = "application/rss+xml"
HTML = "text/html; charset=utf-8"


def stored_documents(factory: sessionmaker[Session]) -> list[Document]:
    """Every document, by id."""
    with factory() as session:
        return list(session.scalars(select(Document).order_by(Document.id)))


def serve_articles(site: Site) -> None:
    """The two article pages."""
    for slug in content.ARTICLES:
        site.routes[f"/articles/{slug}"] = static(content.article_page(slug), HTML)


def test_a_feed_poll_stores_each_entry_page_once_and_sends_it_for_processing(
    site: Site, jobs: CollectJobs, sender: RecordingSender, factory: sessionmaker[Session]
) -> None:
    serve_articles(site)
    items = [(slug, f"{site.base_url}/articles/{slug}") for slug in content.ARTICLES]
    site.routes["/feed.xml"] = static(content.rss2(items), RSS, etag='"v1"')
    source_id = add_source(factory, kind="feed", url=f"{site.base_url}/feed.xml")

    source = poll_now(jobs, source_id)

    docs = stored_documents(factory)
    assert [d.title for d in docs] == [a["title"] for a in content.ARTICLES.values()]
    assert all(d.source_id == source_id and d.status == "queued" for d in docs)
    assert "Lena Ortiz" in docs[0].text
    assert "Home" not in docs[0].text
    assert sender.take(PROCESS_DOCUMENT) == [(d.id,) for d in docs]
    assert (source.status, source.documents_collected, source.last_error) == ("ok", 2, None)
    assert source.lease_until is None
    assert source.etag == '"v1"'

    again = poll_now(jobs, source_id)
    feed_requests = [h for p, _, h in site.requests if p == "/feed.xml"]
    assert feed_requests[-1]["If-None-Match"] == '"v1"'
    assert site.hits("/articles/seawall") == 1
    assert (again.status, again.documents_collected) == ("ok", 2), again.last_error
    assert sender.take(PROCESS_DOCUMENT) == []


def test_last_modified_alone_also_gets_a_304(
    site: Site, jobs: CollectJobs, factory: sessionmaker[Session]
) -> None:
    serve_articles(site)
    site.routes["/feed.xml"] = static(
        content.rss2([("s", f"{site.base_url}/articles/seawall")]), RSS, etag='"v2"'
    )
    source_id = add_source(factory, kind="feed", url=f"{site.base_url}/feed.xml")
    poll_now(jobs, source_id)
    with session_scope(factory) as session:
        stored = sources.get_source(session, source_id)
        assert stored is not None
        stored.etag = None
    poll_now(jobs, source_id)
    last = [h for p, _, h in site.requests if p == "/feed.xml"][-1]
    assert "If-None-Match" not in last
    assert last["If-Modified-Since"].endswith("GMT")
    assert site.hits("/articles/seawall") == 1


def test_the_same_story_under_two_urls_is_one_document(
    site: Site, jobs: CollectJobs, factory: sessionmaker[Session]
) -> None:
    canonical = f"{site.base_url}/articles/seawall"
    page = content.article_page("seawall", canonical=canonical)
    site.routes["/articles/seawall"] = static(page, HTML)
    site.routes["/amp/seawall"] = static(page.replace("<footer>", "<footer>AMP "), HTML)
    items = [("one", f"{canonical}?utm_source=feed"), ("two", f"{site.base_url}/amp/seawall")]
    site.routes["/feed.xml"] = static(content.rss2(items), RSS)
    source_id = add_source(factory, kind="feed", url=f"{site.base_url}/feed.xml")

    source = poll_now(jobs, source_id)

    (doc,) = stored_documents(factory)
    assert doc.canonical_url == canonical
    with factory() as session:
        statuses = sorted((i.status, i.document_id) for i in session.scalars(select(SourceItem)))
    assert statuses == [("done", doc.id), ("duplicate", doc.id)]
    assert source.documents_collected == 1


def test_a_republished_wire_story_is_linked_to_the_first_copy(
    site: Site, jobs: CollectJobs, factory: sessionmaker[Session]
) -> None:
    corpus = json.loads((content_dir() / "neardup.json").read_text("utf-8"))
    texts = {
        "orig": corpus["original"],
        "copy": corpus["rewrites"][1],
        "other": corpus["distinct"][1],
    }
    items = [(k, f"{site.base_url}/s/{k}") for k in texts]
    site.routes["/feed.xml"] = static(content.rss2(items, full_text=texts), RSS)
    source_id = add_source(factory, kind="feed", url=f"{site.base_url}/feed.xml")

    source = poll_now(jobs, source_id)

    docs = stored_documents(factory)
    assert [d.url for d in docs] == [f"{site.base_url}/s/orig", f"{site.base_url}/s/other"]
    with factory() as session:
        copy = session.scalars(select(SourceItem).where(SourceItem.status == "duplicate")).one()
    assert copy.url == f"{site.base_url}/s/copy"
    assert copy.document_id == docs[0].id
    assert source.documents_collected == 2
    assert site.hits("/s/orig") == 0


def content_dir() -> Path:
    """The collector test fixtures folder."""
    return Path(__file__).parent / "fixtures"


def test_a_failed_entry_is_retried_later_without_refetching_the_others(
    site: Site, jobs: CollectJobs, factory: sessionmaker[Session]
) -> None:
    site.routes["/articles/seawall"] = static(content.article_page("seawall"), HTML)
    site.routes["/articles/ferry"] = failing_once(static(content.article_page("ferry"), HTML))
    items = [(slug, f"{site.base_url}/articles/{slug}") for slug in content.ARTICLES]
    site.routes["/feed.xml"] = static(content.rss2(items), RSS, etag='"v1"')
    source_id = add_source(factory, kind="feed", url=f"{site.base_url}/feed.xml")

    first = poll_now(jobs, source_id)
    assert first.status == "partial"
    assert "HTTP 503" in (first.last_error or "")
    assert len(stored_documents(factory)) == 1

    second = poll_now(jobs, source_id)
    assert second.status == "ok"
    assert second.last_error is None
    assert len(stored_documents(factory)) == 2
    assert (site.hits("/articles/seawall"), site.hits("/articles/ferry")) == (1, 2)


def test_a_page_source_is_stored_once_and_again_when_it_changes(
    site: Site, jobs: CollectJobs, factory: sessionmaker[Session]
) -> None:
    site.routes["/page"] = static(content.article_page("ferry"), HTML)
    source_id = add_source(factory, kind="page", url=f"{site.base_url}/page")
    poll_now(jobs, source_id)
    poll_now(jobs, source_id)
    assert len(stored_documents(factory)) == 1
    site.routes["/page"] = static(content.article_page("seawall"), HTML)
    source = poll_now(jobs, source_id)
    assert len(stored_documents(factory)) == 2
    assert source.documents_collected == 2


def mastodon_timeline(statuses: list[dict[str, Any]]) -> Any:
    """A hashtag timeline honouring `min_id` and `limit` like Mastodon does."""

    def respond(handler: Any, query: dict[str, list[str]]) -> None:
        limit = int(query.get("limit", ["20"])[0])
        min_id = int(query.get("min_id", ["0"])[0])
        newer = sorted((s for s in statuses if int(s["id"]) > min_id), key=lambda s: int(s["id"]))
        page = newer[:limit] if "min_id" in query else newer[-limit:]
        body = json.dumps(sorted(page, key=lambda s: -int(s["id"]))).encode()
        send(handler, 200, body, "application/json; charset=utf-8")

    return respond


def test_a_mastodon_tag_pages_forward_from_its_cursor_and_posts_become_reactions(
    site: Site, jobs: CollectJobs, factory: sessionmaker[Session]
) -> None:
    statuses = [
        content.mastodon_status(
            i, text=f"Post {i}: a wonderful harbour day", name="Lena Ortiz", acct="lena@social.test"
        )
        for i in range(1, 4)
    ]
    site.routes["/api/v1/timelines/tag/harbour"] = mastodon_timeline(statuses)
    source_id = add_source(factory, kind="mastodon", url=site.base_url, query="#harbour")

    first = poll_now(jobs, source_id)
    assert (first.cursor, first.documents_collected) == ("3", 3)
    with factory() as session:
        post = session.scalars(select(Reaction).order_by(Reaction.id)).first()
        assert post is not None
        assert post.kind == "post"
        assert post.platform == "mastodon"
        assert post.quote.startswith("Post ")
        assert post.speaker_name == "Lena Ortiz"

    statuses += [
        content.mastodon_status(
            i, text=f"Later post number {i}", name="Lena Ortiz", acct="lena@social.test"
        )
        for i in range(4, 89)
    ]
    second = poll_now(jobs, source_id)
    min_ids = [q.get("min_id", [None])[0] for p, q, _ in site.requests if p.endswith("/harbour")]
    assert min_ids == [None, "3", "43", "83"]
    assert (second.cursor, second.documents_collected) == ("88", 88)


def bluesky_search(posts: list[dict[str, Any]], page_size: int) -> Any:
    """searchPosts, newest first, `page_size` per page with numeric cursors."""

    def respond(handler: Any, query: dict[str, list[str]]) -> None:
        ordered = sorted(posts, key=lambda p: str(p["indexedAt"]), reverse=True)
        start = int(query.get("cursor", ["0"])[0])
        page = ordered[start : start + page_size]
        more = start + page_size < len(ordered)
        body = {"posts": page, **({"cursor": str(start + page_size)} if more else {})}
        send(handler, 200, json.dumps(body).encode(), "application/json")

    return respond


def test_bluesky_search_pages_back_to_the_watermark(
    site: Site, jobs: CollectJobs, factory: sessionmaker[Session]
) -> None:
    posts = [
        content.bluesky_post(
            n, text=f"Ferry news {n}, delighted", name="Ingrid Hale", handle="ingrid.test"
        )
        for n in range(1, 4)
    ]
    site.routes["/xrpc/app.bsky.feed.searchPosts"] = bluesky_search(posts, page_size=2)
    source_id = add_source(factory, kind="bluesky", url=site.base_url, query="ferry")

    first = poll_now(jobs, source_id)
    assert first.documents_collected == 2
    assert first.cursor == "2026-11-22T11:03:00Z"

    posts += [
        content.bluesky_post(
            n, text=f"More ferry news {n}", name="Ingrid Hale", handle="ingrid.test"
        )
        for n in range(4, 9)
    ]
    second = poll_now(jobs, source_id)
    requests = [q for p, q, _ in site.requests if p.endswith("searchPosts")]
    assert requests[1]["since"] == ["2026-11-22T11:03:00Z"]
    assert [q.get("cursor") for q in requests[1:]] == [None, ["2"], ["4"]]
    assert second.documents_collected == 7
    assert second.cursor == "2026-11-22T11:08:00Z"


HOSTILE: dict[str, tuple[str, str]] = {
    "malformed XML": ("feed", "not well-formed"),
    "billion laughs": ("feed", "forbidden XML"),
    "gzip bomb": ("feed", "size cap"),
    "redirect to a private address": ("feed", "non-public address 169.254.169.254"),
    "redirect loop": ("feed", "more than 5 redirects"),
    "invalid encoding": ("feed", "not well-formed"),
    "unknown charset": ("page", "unknown charset"),
    "never finishes": ("page", "deadline|timed out|ReadTimeout"),
    "wrong content type": ("feed", "content type"),
    "server error": ("feed", "HTTP 500"),
}


def hostile_route(site: Site, case: str) -> Any:
    """The responder of one hostile case."""
    return {
        "malformed XML": static(content.MALFORMED, RSS),
        "billion laughs": static(content.BILLION_LAUGHS, RSS),
        "gzip bomb": gzip_bomb(RSS, 64 * 1024 * 1024),
        "redirect to a private address": redirect("http://169.254.169.254/latest/meta-data/"),
        "redirect loop": redirect("/hostile"),
        "invalid encoding": static(content.BAD_ENCODING, RSS),
        "unknown charset": static(content.article_page("ferry"), "text/html; charset=x-martian"),
        "never finishes": trickle(site, "text/html"),
        "wrong content type": static(b"\x89PNG....", "image/png"),
        "server error": lambda h, _q: send(h, 500, b"oops", "text/plain"),
    }[case]


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_sources_end_in_a_recorded_error_and_back_off(
    case: str, site: Site, jobs: CollectJobs, factory: sessionmaker[Session]
) -> None:
    kind, message = HOSTILE[case]
    site.routes["/hostile"] = hostile_route(site, case)
    source_id = add_source(factory, kind=kind, url=f"{site.base_url}/hostile", interval_s=60)

    source = poll_now(jobs, source_id)

    assert source.status == "error"
    assert source.consecutive_errors == 1
    assert source.last_error is not None
    assert re.search(message, source.last_error), source.last_error
    assert source.lease_until is None
    assert source.next_poll_at - utcnow() > timedelta(seconds=100)
    assert stored_documents(factory) == []


def test_backoff_doubles_up_to_the_cap_and_a_good_source_is_not_delayed(
    site: Site, jobs: CollectJobs, sender: RecordingSender, factory: sessionmaker[Session]
) -> None:
    site.routes["/broken"] = static(content.MALFORMED, RSS)
    site.routes["/page"] = static(content.article_page("ferry"), HTML)
    broken = add_source(factory, kind="feed", url=f"{site.base_url}/broken", interval_s=60)
    good = add_source(factory, kind="page", url=f"{site.base_url}/page", interval_s=60)
    delays = []
    for _ in range(12):
        source = poll_now(jobs, broken)
        delays.append(round((source.next_poll_at - utcnow()).total_seconds() / 60))
    assert delays[:4] == [2, 4, 8, 16]
    assert delays[-1] == 360

    jobs.schedule_sources()
    assert [args[0] for args in sender.take(POLL_SOURCE)] == [good]


def test_claims_make_a_second_scheduler_and_a_stale_token_do_nothing(
    factory: sessionmaker[Session], postgres_url: str, sender: RecordingSender
) -> None:
    source_id = add_source(factory, kind="page", url="http://127.0.0.1:9/never")
    with session_scope(factory) as one, session_scope(factory) as two:
        first = sources.claim_due(one, limit=10)
        second = sources.claim_due(two, limit=10)
    assert first == [(source_id, 1)]
    assert second == []
    with session_scope(factory) as session:
        assert sources.claim_due(session, limit=10) == []
        assert sources.start_poll(session, source_id=source_id, token=0) is None
        assert sources.start_poll(session, source_id=source_id, token=1) is not None
    with session_scope(factory) as session:
        assert sources.start_poll(session, source_id=source_id, token=1) is None
    jobs = make_jobs(factory, postgres_url, sender)
    jobs.poll_source(source_id, 1)
    assert stored_documents(factory) == []
