"""Events and people on the real PostgreSQL: targeting, repeated quotes, stories, corrections,
filters, exports and time ranges, through the API and the pipeline function."""

import csv
import io
import json
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from store.db import session_scope
from tests.conftest import shared_path
from tests.factories import AUTH
from workers.pipeline import process


def push(client: TestClient, factory: sessionmaker[Session], **document: Any) -> int:
    """POST a document and process it with the pipeline function; its id."""
    response = client.post("/v1/documents", json=document, headers=AUTH)
    assert response.status_code == 202, response.text
    document_id: int = response.json()["id"]
    with session_scope(factory) as session:
        outcome = process.process_document(
            session,
            document_id=document_id,
            sender=client.app.state.sender,  # type: ignore[attr-defined]
        )
    assert outcome == "processed"
    return document_id


def define(client: TestClient, title: str, keywords: list[str], **extra: Any) -> int:
    """Create an event; its id."""
    response = client.post(
        "/v1/events", json={"title": title, "keywords": keywords, **extra}, headers=AUTH
    )
    assert response.status_code == 201, response.text
    event_id: int = response.json()["id"]
    return event_id


def summary(client: TestClient, event_id: int, **params: str) -> dict[str, Any]:
    """An event's summary."""
    response = client.get(f"/v1/events/{event_id}/summary", params=params)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def speakers(client: TestClient, event_id: int) -> list[str]:
    """Names of everyone counted in an event, sorted."""
    items = client.get(f"/v1/events/{event_id}/reactions", params={"limit": 200}).json()["items"]
    return sorted(item["speaker"] for item in items)


def test_seed_article_reactions_go_to_the_event_they_react_to(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    text = shared_path("corpora", "seed", "qwen-lead-steps-down.txt").read_text("utf-8")
    launch = define(client, "Qwen 3.5 small models launch", ["Qwen 3.5", "small model"])
    departure = define(
        client, "Qwen lead steps down", ["stepping down", "departure", "leadership change"]
    )
    push(client, factory, text=text, title="Leadership change at Qwen", source="The Mainstream")

    assert "Elon Musk" in speakers(client, launch)
    assert "Chen Cheng" not in speakers(client, launch)
    departed = speakers(client, departure)
    for name in ("Junyang Lin", "Wenting Zhao", "Yuchen Jin", "Tiezhen Wang", "Binyuan Hui"):
        assert name in departed
    assert departed.count("Chen Cheng") == 2
    assert "Elon Musk" not in departed
    chen = client.get("/v1/people", params={"q": "Chen Cheng"}).json()["items"]
    assert len(chen) == 1
    person = client.get(f"/v1/people/{chen[0]['id']}").json()
    assert person["reactions"] == 2
    assert person["roles"] == ["a contributor to Qwen"]
    assert [e["event_id"] for e in person["events"]] == [departure]


SHARED_QUOTE = "“This is a brilliant and generous gift to the city,” said Mara Quist."


def test_a_quote_repeated_by_several_outlets_counts_once(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    event = define(client, "Library gift", ["library"])
    push(
        client,
        factory,
        text=f"The library received a large gift on Monday. {SHARED_QUOTE}",
        url="https://first.example/library",
        source="First Daily",
        published_at="2026-03-02T10:00:00Z",
    )
    push(
        client,
        factory,
        text=f"A gift reached the city library. {SHARED_QUOTE} Staff were delighted.",
        url="https://second.example/news/gift",
        source="Second Herald",
        published_at="2026-03-02T15:00:00Z",
    )
    data = summary(client, event)
    assert (data["reactions"], data["people"], data["documents"], data["sources"]) == (1, 1, 2, 2)
    top = data["top_positive"][0]
    assert (top["outlets"], top["first_url"]) == (2, "https://first.example/library")
    assert data["first_reaction_at"].startswith("2026-03-02T10:00:00")
    assert data["timeline"]["points"][0]["reactions"] == 1


def test_unmatched_articles_form_stories_that_can_be_renamed_merged_and_deleted(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    bridge = (
        "The old Quay Street bridge over the Tarn river closed for repairs after inspectors "
        "found cracks in its steel beams. Engineers expect the Quay Street bridge repairs to "
        "last six weeks."
    )
    push(client, factory, title="Quay Street bridge closes for repairs", text=bridge)
    push(
        client,
        factory,
        title="Cracks close the Quay Street bridge",
        text=bridge.replace("six weeks", "two months") + " “It is a painful delay,” said Ivo Marr.",
    )
    push(
        client,
        factory,
        title="Choir wins regional contest",
        text="The Linden youth choir won the regional singing contest with a folk program.",
    )
    stories = client.get("/v1/events", params={"kind": "auto"}).json()["items"]
    assert len(stories) == 2
    bridge_story = next(s for s in stories if "Quay Street" in s["title"])
    choir_story = next(s for s in stories if s["id"] != bridge_story["id"])
    assert summary(client, bridge_story["id"])["documents"] == 2

    renamed = client.patch(
        f"/v1/events/{bridge_story['id']}", json={"title": "Bridge closure"}, headers=AUTH
    )
    assert renamed.json()["title"] == "Bridge closure"
    refused = client.patch(
        f"/v1/events/{bridge_story['id']}", json={"keywords": ["x"]}, headers=AUTH
    )
    assert refused.status_code == 422
    merged = client.post(
        f"/v1/events/{bridge_story['id']}/merge",
        json={"event_ids": [choir_story["id"]]},
        headers=AUTH,
    )
    assert merged.status_code == 200
    assert client.get(f"/v1/events/{choir_story['id']}").status_code == 404
    after = summary(client, bridge_story["id"])
    assert (after["documents"], after["reactions"]) == (3, 1)
    assert client.delete(f"/v1/events/{bridge_story['id']}", headers=AUTH).status_code == 204
    assert client.get("/v1/events", params={"kind": "auto"}).json()["items"] == []


def test_people_merge_and_split_and_summaries_follow(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    event = define(client, "Harbor plan", ["harbor"])
    push(
        client,
        factory,
        text="The harbor plan passed. “A wonderful day for the harbor,” said Lena Ortiz.",
    )
    push(
        client,
        factory,
        text="Critics attacked the harbor plan. “A terrible waste,” said Lena Ortiz-Vale.",
    )
    found = {p["name"]: p["id"] for p in client.get("/v1/people").json()["items"]}
    target, source = found["Lena Ortiz"], found["Lena Ortiz-Vale"]
    assert summary(client, event)["people"] == 2

    merged = client.post(
        f"/v1/people/{target}/merge", json={"person_ids": [source]}, headers=AUTH
    ).json()
    assert merged["reactions"] == 2
    assert "Lena Ortiz-Vale" in merged["aliases"]
    after_merge = summary(client, event)
    assert (after_merge["people"], after_merge["reactions"]) == (1, 2)
    assert client.get(f"/v1/people/{source}").status_code == 404

    split = client.post(
        f"/v1/people/{target}/split", json={"alias": "Lena Ortiz-Vale"}, headers=AUTH
    )
    assert split.status_code == 201
    assert summary(client, event)["people"] == 2
    assert client.get(f"/v1/people/{target}").json()["reactions"] == 1
    missing = client.post(f"/v1/people/{target}/split", json={"alias": "Nobody"}, headers=AUTH)
    assert missing.status_code == 422
    assert "alias" in missing.json()["detail"]


def test_reaction_filters_exports_and_time_ranges(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    event = define(client, "Stadium vote", ["stadium"])
    push(
        client,
        factory,
        text="The stadium vote passed. “A wonderful, joyful result,” said Pia Holm.",
        source="Morning Post",
        published_at="2026-04-01T09:00:00Z",
    )
    push(
        client,
        factory,
        text="The stadium vote drew anger. “A terrible, shameful decision,” said Rui Sato.",
        source="Evening Star",
        published_at="2026-04-03T09:00:00Z",
    )
    base = f"/v1/events/{event}/reactions"
    negative = client.get(base, params={"label": "negative"}).json()["items"]
    assert [r["person"]["name"] for r in negative] == ["Rui Sato"]
    assert (
        client.get(base, params={"min_compound": 0.5}).json()["items"][0]["person"]["name"]
        == "Pia Holm"
    )
    assert (
        client.get(base, params={"outlet": "Evening Star"}).json()["items"][0]["person"]["name"]
        == "Rui Sato"
    )
    bad = client.get(base, params={"min_compound": 0.5, "max_compound": 0.1})
    assert bad.status_code == 422

    exported = client.get(f"{base}/export", params={"format": "csv"})
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0][:4] == ["id", "document_id", "person_id", "person"]
    assert sorted(row[3] for row in rows[1:]) == ["Pia Holm", "Rui Sato"]
    lines = client.get(f"{base}/export", params={"format": "jsonl", "label": "positive"})
    assert [json.loads(x)["person"]["name"] for x in lines.text.splitlines()] == ["Pia Holm"]

    early = summary(client, event, until="2026-04-02T00:00:00Z")
    assert (early["reactions"], early["documents"], early["sentiment"]["positive"]) == (1, 1, 1)
    assert early["until"].startswith("2026-04-02")
    late = summary(client, event, since="2026-04-02T00:00:00Z")
    assert (late["reactions"], late["sentiment"]["negative"]) == (1, 1)
    assert summary(client, event)["timeline"]["bucket"] == "hour"
    reversed_range = client.get(
        f"/v1/events/{event}/summary",
        params={"since": "2026-04-03T00:00:00Z", "until": "2026-04-01T00:00:00Z"},
    )
    assert reversed_range.status_code == 422

    pia = client.get("/v1/people", params={"q": "Pia"}).json()["items"][0]["id"]
    said = client.get(f"/v1/people/{pia}/reactions").json()["items"]
    assert [r["quote"] for r in said] == ["A wonderful, joyful result"]
    assert client.get(f"/v1/people/{pia}").json()["timeline"][0]["reactions"] == 1


def test_a_new_event_takes_documents_out_of_their_story(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    push(client, factory, text="The ferry strike began. “A sad, bad week,” said Ola Berg.")
    story = client.get("/v1/events", params={"kind": "auto"}).json()["items"]
    assert len(story) == 1
    event = define(client, "Ferry strike", ["ferry strike"])
    with session_scope(factory) as session:
        cursor = process.backfill_event(
            session,
            event_id=event,
            after_id=0,
            sender=client.app.state.sender,  # type: ignore[attr-defined]
        )
    assert cursor is not None
    assert speakers(client, event) == ["Ola Berg"]
    assert client.get("/v1/events", params={"kind": "auto"}).json()["items"] == []


def test_a_pronoun_that_named_a_speaker_is_not_an_alias(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    push(
        client,
        factory,
        text="Ann Lee spoke at the rally on Monday.\n\n"
        'She said the plan was "a fine start for the whole city."\n\n'
        '"We will finish it," Lee said.',
    )
    (person,) = client.get("/v1/people", params={"q": "Ann Lee"}).json()["items"]
    aliases = client.get(f"/v1/people/{person['id']}").json()["aliases"]
    assert aliases == ["Lee"]


def test_a_speaker_that_only_describes_someone_creates_no_person(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    event = define(client, "Pier closure", ["pier"])
    push(
        client,
        factory,
        text="The town closed the old pier on Friday. “It is a sad day for the pier,” said "
        "Nora Vance. “We had no choice,” a spokesperson said. Two people briefed on the plan "
        "said it was “a long time coming.”",
    )
    said = {item["speaker"]: item["person"] for item in reactions_of(client, event)}
    assert said["Nora Vance"] is not None
    assert said["a spokesperson"] is None
    names = [p["name"] for p in client.get("/v1/people", params={"limit": 100}).json()["items"]]
    assert names == ["Nora Vance"]
    data = summary(client, event)
    assert (data["reactions"], data["people"]) == (len(said), 1)


def test_first_and_last_seen_follow_publication_not_arrival(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    for day, text in (
        ("2026-02-10", "The canal reopened. “A joyful day,” said Iris Kalm."),
        ("2026-01-05", "The canal closed for works. “A needed pause,” said Iris Kalm."),
    ):
        push(client, factory, text=text, published_at=f"{day}T09:00:00Z")
    (person,) = client.get("/v1/people", params={"q": "Iris Kalm"}).json()["items"]
    read = client.get(f"/v1/people/{person['id']}").json()
    assert read["first_seen"].startswith("2026-01-05")
    assert read["last_seen"].startswith("2026-02-10")
    assert [day["day"] for day in read["timeline"]] == ["2026-01-05", "2026-02-10"]


def reactions_of(client: TestClient, event_id: int) -> list[dict[str, Any]]:
    """An event's counted reactions as the API gives them."""
    items: list[dict[str, Any]] = client.get(
        f"/v1/events/{event_id}/reactions", params={"limit": 200}
    ).json()["items"]
    return items
