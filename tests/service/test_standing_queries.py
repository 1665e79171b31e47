"""Defined events as independent standing queries, on the real PostgreSQL: membership depends on
the reaction and the event alone, whatever other events exist, are added or are deleted."""

from collections import Counter

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from store.db import session_scope
from tests.conftest import shared_path
from tests.factories import AUTH
from tests.service.test_events_and_people import define, push, reactions_of, summary
from workers.pipeline import process

LAUNCH = ("Qwen 3.5 small models launch", ["Qwen 3.5", "Small Model"])
DEPARTURE = ("Junyang Lin steps down from Qwen", ["stepping down", "Junyang Lin"])
UNRELATED = ("LinkedIn outage", ["LinkedIn"])
DEPARTED = Counter(
    {
        "Junyang Lin": 1,
        "Wenting Zhao": 1,
        "Yuchen Jin": 1,
        "Tiezhen Wang": 1,
        "Chen Cheng": 2,
        "Binyuan Hui": 1,
    }
)


def seed(client: TestClient, factory: sessionmaker[Session]) -> int:
    """Post and process the seed article; its document id."""
    text = shared_path("corpora", "seed", "qwen-lead-steps-down.txt").read_text("utf-8")
    return push(client, factory, text=text, title="Leadership change at Qwen", source="Mainstream")


def backfill(client: TestClient, factory: sessionmaker[Session], event_id: int) -> None:
    """Run an event's backfill to the end, batch after batch, as the worker would."""
    cursor: int | None = 0
    while cursor is not None:
        with session_scope(factory) as session:
            cursor = process.backfill_event(
                session,
                event_id=event_id,
                after_id=cursor,
                sender=client.app.state.sender,  # type: ignore[attr-defined]
            )


def members(client: TestClient, event_id: int) -> Counter[str]:
    """Who said each counted reaction of an event (person or description as written)."""
    response = client.get(f"/v1/events/{event_id}/reactions", params={"limit": 200})
    assert response.status_code == 200, response.text
    return Counter(item["speaker"] for item in response.json()["items"])


@pytest.mark.parametrize(
    "order", [("launch", "departure"), ("departure", "launch"), ("launch", "other", "departure")]
)
def test_seed_memberships_do_not_depend_on_the_other_events_defined(
    client: TestClient, factory: sessionmaker[Session], order: tuple[str, ...]
) -> None:
    definitions = {"launch": LAUNCH, "departure": DEPARTURE, "other": UNRELATED}
    ids = {name: define(client, *definitions[name]) for name in order}
    seed(client, factory)

    launched, departed = members(client, ids["launch"]), members(client, ids["departure"])
    assert departed == DEPARTED
    assert launched["Elon Musk"] == 1
    assert not set(launched) & set(DEPARTED)
    if "other" in ids:
        assert sum(members(client, ids["other"]).values()) == 0


def test_each_membership_shows_its_relevance_and_evidence(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    departure = define(client, *DEPARTURE)
    seed(client, factory)
    tiezhen = next(r for r in reactions_of(client, departure) if r["speaker"] == "Tiezhen Wang")
    assert 0.5 <= tiezhen["relevance"] <= 1.0
    assert any("departure" in note for note in tiezhen["evidence"])


def test_a_new_broad_event_backfills_what_a_narrow_one_holds_and_leaves_it_unchanged(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    departure = define(client, *DEPARTURE)
    seed(client, factory)
    before = summary(client, departure)
    broad = define(client, "Qwen", ["Qwen"])
    backfill(client, factory, broad)

    held = members(client, broad)
    assert held >= DEPARTED
    assert held["Elon Musk"] == 1
    after = summary(client, departure)
    assert (after["reactions"], after["version"]) == (before["reactions"], before["version"])


def test_deleting_an_event_leaves_the_others_and_rehomes_documents_no_event_holds(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    launch, departure = define(client, *LAUNCH), define(client, *DEPARTURE)
    seed(client, factory)
    kept = summary(client, departure)

    assert client.delete(f"/v1/events/{launch}", headers=AUTH).status_code == 204
    backfill(client, factory, launch)
    assert members(client, departure) == DEPARTED
    assert summary(client, departure)["version"] == kept["version"]
    assert client.get("/v1/events", params={"kind": "auto"}).json()["items"] == []

    assert client.delete(f"/v1/events/{departure}", headers=AUTH).status_code == 204
    backfill(client, factory, departure)
    (story,) = client.get("/v1/events", params={"kind": "auto"}).json()["items"]
    assert summary(client, story["id"])["documents"] == 1


def test_an_absorbed_story_answers_404_at_once(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    push(client, factory, text="The ferry strike began. “A sad, bad week,” said Ola Berg.")
    (story,) = client.get("/v1/events", params={"kind": "auto"}).json()["items"]
    assert summary(client, story["id"])["reactions"] == 1  # now cached by the API process
    event = define(client, "Ferry strike", ["ferry strike"])
    backfill(client, factory, event)

    assert client.get(f"/v1/events/{story['id']}/summary").status_code == 404
    assert members(client, event) == Counter({"Ola Berg": 1})
