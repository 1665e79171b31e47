"""Events, people, pagination and probes through the API on the real PostgreSQL and Redis."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from service.app import create_app
from store.db import session_scope
from tests.factories import AUTH, make_settings, pipeline_docs
from workers.pipeline import process


def post_and_process(client: TestClient, factory: sessionmaker[Session]) -> list[int]:
    """Push the fixture documents through the API and process them with the pipeline function."""
    ids = []
    for doc in pipeline_docs():
        response = client.post("/v1/documents", json=doc, headers=AUTH)
        assert response.status_code == 202
        ids.append(response.json()["id"])
        with session_scope(factory) as session:
            process.process_document(
                session,
                document_id=ids[-1],
                sender=client.app.state.sender,  # type: ignore[attr-defined]
            )
    return ids


def test_event_lifecycle_summary_and_reactions(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    created = client.post(
        "/v1/events", json={"title": "Zephyr news", "keywords": ["zephyr"]}, headers=AUTH
    )
    assert created.status_code == 201
    event = created.json()
    assert (event["title"], event["keywords"], event["match"]) == ("Zephyr news", ["zephyr"], "any")
    assert client.get("/v1/events").json()["items"] == [event]
    assert client.get(f"/v1/events/{event['id']}").json() == event

    empty = client.get(f"/v1/events/{event['id']}/summary").json()
    assert (empty["version"], empty["reactions"], empty["sentiment"]["mean"]) == (0, 0, None)

    document_ids = post_and_process(client, factory)
    summary = client.get(f"/v1/events/{event['id']}/summary").json()
    assert (summary["reactions"], summary["people"], summary["documents"]) == (5, 3, 3)

    first = client.get(f"/v1/events/{event['id']}/reactions", params={"limit": 2}).json()
    assert len(first["items"]) == 2
    assert first["next_cursor"]
    seen = [r["id"] for r in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = client.get(
            f"/v1/events/{event['id']}/reactions", params={"limit": 2, "cursor": cursor}
        ).json()
        seen += [r["id"] for r in page["items"]]
        cursor = page["next_cursor"]
    assert len(seen) == len(set(seen)) == 5

    reaction = first["items"][0]
    assert reaction["document_id"] == document_ids[0]
    document = client.get(f"/v1/documents/{document_ids[0]}").json()
    text = pipeline_docs()[0]["text"]
    start, end = reaction["span"]
    assert text[start:end].strip("“”,. ") == reaction["quote"].strip("“”,. ")
    assert document["status"] == "processed"
    assert document["reactions"][0]["person"]["name"] == "Clara Jensen"


def test_people_search_and_detail(client: TestClient, factory: sessionmaker[Session]) -> None:
    event_id = client.post(
        "/v1/events", json={"title": "Zephyr", "keywords": ["Zephyr"]}, headers=AUTH
    ).json()["id"]
    post_and_process(client, factory)
    found = client.get("/v1/people", params={"q": "jensen"}).json()["items"]
    assert [p["name"] for p in found] == ["Clara Jensen"]
    person = client.get(f"/v1/people/{found[0]['id']}").json()
    assert person["reactions"] == 2
    assert person["sentiment"]["positive"] == 1
    assert person["sentiment"]["neutral"] == 1
    assert person["sentiment"]["mean"] == 0.4088
    assert person["events"] == [
        {"event_id": event_id, "title": "Zephyr", "reactions": 2, "mean_compound": 0.4088}
    ]
    alder = client.get("/v1/people", params={"q": "Alder"}).json()["items"][0]
    assert client.get(f"/v1/people/{alder['id']}").json()["roles"] == ["a council member"]


def test_invalid_event_and_cursor_name_the_field(client: TestClient) -> None:
    no_keywords = client.post("/v1/events", json={"title": "x", "keywords": []}, headers=AUTH)
    assert no_keywords.status_code == 422
    assert no_keywords.json()["detail"][0]["loc"] == ["body", "keywords"]
    bad_match = client.post(
        "/v1/events", json={"title": "x", "keywords": ["a"], "match": "some"}, headers=AUTH
    )
    assert bad_match.json()["detail"][0]["loc"] == ["body", "match"]
    bad_cursor = client.get("/v1/events", params={"cursor": "not-a-cursor"})
    assert bad_cursor.status_code == 422
    assert "cursor" in bad_cursor.json()["detail"]


def test_probes(client: TestClient, postgres_url: str) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "broker": "ok"}
    no_broker = create_app(
        make_settings(database_url=postgres_url, redis_url="redis://127.0.0.1:1/0")
    )
    with TestClient(no_broker) as down:
        response = down.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"].startswith("unreachable")


def test_private_reads_need_the_token(postgres_url: str, redis_url: str, factory: object) -> None:
    app = create_app(
        make_settings(database_url=postgres_url, redis_url=redis_url, public_reads=False)
    )
    with TestClient(app) as private:
        assert private.get("/v1/events").status_code == 401
        assert private.get("/v1/events", headers=AUTH).status_code == 200
        assert private.get("/healthz").status_code == 200
