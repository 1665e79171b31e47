"""The sources API on the real PostgreSQL: register, list, read, delete, poll now, bad input."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from schemas.tasks import POLL_SOURCE
from service.app import create_app
from store.db import session_scope
from store.models import Source
from tests.collect.conftest import RecordingSender
from tests.factories import AUTH, make_settings


@pytest.fixture
def api(
    factory: sessionmaker[Session], postgres_url: str, sender: RecordingSender
) -> Iterator[TestClient]:
    """A client of the API whose task sends are recorded."""
    app = create_app(make_settings(database_url=postgres_url, redis_url=None), sender=sender)
    with TestClient(app) as client:
        yield client


FEED = {"kind": "feed", "url": "https://news.example/feed.xml"}


def test_register_read_list_poll_and_delete(
    api: TestClient, sender: RecordingSender, factory: sessionmaker[Session]
) -> None:
    created = api.post("/v1/sources", json=FEED, headers=AUTH)
    assert created.status_code == 201
    body = created.json()
    assert body["interval_s"] == 300
    assert body["status"] == "pending"
    assert (body["consecutive_errors"], body["documents_collected"], body["last_error"]) == (
        0,
        0,
        None,
    )
    assert sender.take(POLL_SOURCE) == [(body["id"], 1)]

    assert api.get(f"/v1/sources/{body['id']}").json()["id"] == body["id"]
    listed = api.get("/v1/sources", params={"limit": 1}).json()
    assert [s["id"] for s in listed["items"]] == [body["id"]]

    busy = api.post(f"/v1/sources/{body['id']}/poll", headers=AUTH)
    assert busy.status_code == 202
    assert busy.json() == {"id": body["id"], "queued": False}
    assert sender.take(POLL_SOURCE) == []
    with session_scope(factory) as session:
        session.execute(update(Source).values(lease_until=None))
    free = api.post(f"/v1/sources/{body['id']}/poll", headers=AUTH)
    assert free.json() == {"id": body["id"], "queued": True}
    assert sender.take(POLL_SOURCE) == [(body["id"], 2)]

    assert api.delete(f"/v1/sources/{body['id']}", headers=AUTH).status_code == 204
    assert api.get(f"/v1/sources/{body['id']}").status_code == 404
    assert api.delete(f"/v1/sources/{body['id']}", headers=AUTH).status_code == 404
    assert api.post(f"/v1/sources/{body['id']}/poll", headers=AUTH).status_code == 404


def test_social_sources_take_a_query(api: TestClient) -> None:
    mastodon = {"kind": "mastodon", "url": "https://social.example", "query": "#harbour"}
    bluesky = {"kind": "bluesky", "url": "https://public.api.bsky.app", "query": "ferry"}
    for data in (mastodon, bluesky):
        assert api.post("/v1/sources", json=data, headers=AUTH).status_code == 201


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**FEED, "interval_s": 59}, "interval_s"),
        ({**FEED, "kind": "gopher"}, "kind"),
        ({**FEED, "url": "ftp://news.example/feed"}, "url"),
        ({**FEED, "url": "http://user:pw@news.example/"}, "url"),
        ({**FEED, "url": "not a url"}, "url"),
        ({**FEED, "query": "#x"}, "query"),
        ({"kind": "mastodon", "url": "https://social.example"}, "query"),
        ({"kind": "mastodon", "url": "https://social.example", "query": "harbour"}, "query"),
        ({**FEED, "extra": 1}, "extra"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(
    api: TestClient, data: dict[str, Any], field: str
) -> None:
    response = api.post("/v1/sources", json=data, headers=AUTH)
    assert response.status_code == 422
    assert field in str(response.json()["detail"])


def test_writes_need_the_token(api: TestClient) -> None:
    assert api.post("/v1/sources", json=FEED).status_code == 401
    assert api.delete("/v1/sources/1").status_code == 401
    assert api.post("/v1/sources/1/poll").status_code == 401
