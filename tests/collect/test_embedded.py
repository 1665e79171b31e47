"""Embedded mode (no Redis, SQLite): a registered source is polled and its documents processed."""

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from reactions_cli.embedded import build_embedded_app
from schemas.tasks import SCHEDULE_SOURCES
from store.db import dispose_engines
from tests.collect import content
from tests.collect.server import Site, serve, static
from tests.factories import AUTH, make_settings


@pytest.fixture
def site() -> Iterator[Site]:
    """The local test site."""
    with serve() as running:
        yield running


def test_embedded_mode_polls_sources_without_redis(site: Site, tmp_path: Path) -> None:
    site.routes["/articles/ferry"] = static(content.article_page("ferry"), "text/html")
    site.routes["/feed.xml"] = static(
        content.rss2([("ferry", f"{site.base_url}/articles/ferry")]), "application/rss+xml"
    )
    settings = make_settings(
        database_url=f"sqlite:///{tmp_path / 'embedded.db'}",
        redis_url=None,
        allow_private_networks=True,
    )
    app, sender, _jobs = build_embedded_app(settings)
    sender.start()
    try:
        with TestClient(app) as client:
            created = client.post(
                "/v1/sources",
                json={"kind": "feed", "url": f"{site.base_url}/feed.xml"},
                headers=AUTH,
            ).json()
            sender.send(SCHEDULE_SOURCES)
            deadline = time.monotonic() + 20
            source = created
            while time.monotonic() < deadline and source["documents_collected"] < 1:
                time.sleep(0.2)
                source = client.get(f"/v1/sources/{created['id']}").json()
            assert (source["status"], source["documents_collected"]) == ("ok", 1)
            deadline = time.monotonic() + 20
            document = client.get("/v1/documents/1").json()
            while time.monotonic() < deadline and document["status"] == "queued":
                time.sleep(0.2)
                document = client.get("/v1/documents/1").json()
            assert document["status"] == "processed"
            assert document["reactions"], document
    finally:
        sender.stop()
        dispose_engines()
