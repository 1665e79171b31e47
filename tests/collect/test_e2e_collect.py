"""Done-when: on the compose commands (api, worker, beat), a registered feed yields processed
documents with reactions with no further call, and beat polls it again once it is due."""

import os
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from store.db import session_scope
from store.models import Document, Reaction, Source, utcnow
from tests.collect import content
from tests.collect.server import Site, serve, static
from tests.e2e.conftest import Stack, flushed_redis, service_env, stack  # noqa: F401 (fixtures)
from tests.factories import AUTH

pytestmark = pytest.mark.e2e
HTML = "text/html; charset=utf-8"
COLLECT_STACK_REDIS_URL = os.environ.get(
    "REACTIONS_TEST_COLLECT_REDIS_URL", "redis://127.0.0.1:6379/13"
)


@pytest.fixture(scope="module")
def stack_redis_url() -> str:
    """A Redis database of this module's own, so no other stack's worker takes its tasks."""
    return flushed_redis(COLLECT_STACK_REDIS_URL)


@pytest.fixture(scope="module")
def stack_env() -> dict[str, str]:
    """The worker may reach the test site on 127.0.0.1; beat checks for due sources every second."""
    return {"REACTIONS_ALLOW_PRIVATE_NETWORKS": "true", "REACTIONS_COLLECT_TICK_S": "1"}


@pytest.fixture
def site() -> Iterator[Site]:
    """The local test site."""
    with serve() as running:
        yield running


def wait_for(what: str, check: Any, running: Stack, timeout: float = 45) -> Any:
    """Poll `check()` until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.3)
    pytest.fail(f"{what} not reached after {timeout}s\n{running.log_tails()}")


def processed_with_reactions(factory: sessionmaker[Session]) -> list[tuple[str, int]]:
    """(title, reactions) of processed documents that have reactions."""
    with factory() as session:
        rows = session.execute(
            select(Document.title, func.count(Reaction.id))
            .join(Reaction, Reaction.document_id == Document.id)
            .where(Document.status == "processed")
            .group_by(Document.id, Document.title)
            .order_by(Document.id)
        )
        return [(title, count) for title, count in rows]


def test_registering_a_feed_is_enough(
    stack: Stack,  # noqa: F811
    site: Site,
    factory: sessionmaker[Session],
) -> None:
    site.routes["/articles/seawall"] = static(content.article_page("seawall"), HTML)
    site.routes["/feed.xml"] = static(
        content.rss2([("seawall", f"{site.base_url}/articles/seawall")]), "application/rss+xml"
    )
    created = httpx.post(
        f"{stack.base_url}/v1/sources",
        json={"kind": "feed", "url": f"{site.base_url}/feed.xml", "interval_s": 60},
        headers=AUTH,
        timeout=10,
    )
    assert created.status_code == 201

    done = wait_for(
        "a processed document with reactions", lambda: processed_with_reactions(factory), stack
    )
    assert done[0][0] == content.ARTICLES["seawall"]["title"]
    assert done[0][1] >= 1
    source = httpx.get(f"{stack.base_url}/v1/sources/{created.json()['id']}", timeout=5).json()
    assert (source["status"], source["documents_collected"]) == ("ok", 1)

    site.routes["/articles/ferry"] = static(content.article_page("ferry"), HTML)
    site.routes["/feed.xml"] = static(
        content.rss2([(s, f"{site.base_url}/articles/{s}") for s in content.ARTICLES]),
        "application/rss+xml",
    )
    with session_scope(factory) as session:
        session.execute(update(Source).values(next_poll_at=utcnow()))
    both = wait_for("beat's poll", lambda: len(processed_with_reactions(factory)) == 2, stack)
    assert both
    assert site.hits("/articles/seawall") == 1
