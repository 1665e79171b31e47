"""The subscription scenario run against both modes: a burst, failing endpoints, live streams."""

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

import httpx

from tests.deliver.helpers import Receiver, StreamClient, api, assert_spaced, wait_for

MIN_INTERVAL_S = 1
BURST = 6
FLAKY_FOR_S = 2.5
ENDPOINTS = ("ok-steady", "flaky-a", "gone-a", "hang-a", "redirect-a")


def burst_documents(run: str) -> list[dict[str, str]]:
    """Distinct articles about the Zephyr bridge, each with one attributed quote."""
    return [
        {
            "title": f"Zephyr bridge, report {run}-{i}",
            "text": f"The Zephyr bridge reopened, report {run}-{i}. "
            f"“This is a wonderful, brilliant day number {i},” said Clara Jensen.",
        }
        for i in range(BURST)
    ]


def run_scenario(*, api_urls: list[str], receiver: Receiver, timeout: float = 40) -> None:
    """Subscribe, stream from every API process, push a burst, and check what arrived."""
    base = api_urls[0]
    event = api(base, "POST", "/v1/events", json={"title": "Zephyr", "keywords": ["Zephyr"]})
    subs: dict[str, dict[str, Any]] = {}
    for name in ENDPOINTS:
        created = api(
            base,
            "POST",
            "/v1/subscriptions",
            json={"event_id": event["id"], "url": receiver.url(name), "min_interval_s": 1},
        )
        assert created["secret"].startswith("whsec_")
        receiver.secrets[name] = created["secret"]
        subs[name] = created
    assert "secret" not in api(base, "GET", f"/v1/subscriptions/{subs['flaky-a']['id']}")
    streams = [StreamClient(f"{url}/v1/events/{event['id']}/stream").start() for url in api_urls]
    try:
        final = _burst_until_delivered(
            base, receiver, subs=subs, streams=streams, event_id=event["id"], timeout=timeout
        )
    finally:
        for stream in streams:
            stream.stop()

    _check_webhooks(base, receiver, subs, final)
    _check_streams(streams, final)
    _check_reconnect(f"{base}/v1/events/{event['id']}/stream", final)
    _check_test_and_redeliver(base, receiver, subs["ok-steady"])


def _burst_until_delivered(
    base: str,
    receiver: Receiver,
    *,
    subs: dict[str, dict[str, Any]],
    streams: list[StreamClient],
    event_id: int,
    timeout: float,
) -> int:
    """Push the burst (the flaky endpoint failing), wait until endpoints and streams are final."""
    wait_for(lambda: all(s.messages for s in streams), timeout=10, what="the first summary")

    receiver.fail_for["flaky-a"] = FLAKY_FOR_S
    before = api(base, "GET", f"/v1/events/{event_id}/summary")["version"]
    ids = [api(base, "POST", "/v1/documents", json=d)["id"] for d in burst_documents(base)]
    wait_for(
        lambda: all(api(base, "GET", f"/v1/documents/{i}")["status"] == "processed" for i in ids),
        timeout=timeout,
        what="the burst to be processed",
    )
    final = api(base, "GET", f"/v1/events/{event_id}/summary")["version"]
    assert final > before  # a version per transaction: a worker's batch of documents is one

    def delivered(name: str) -> int:
        return int(api(base, "GET", f"/v1/subscriptions/{subs[name]['id']}")["delivered_version"])

    for name in ("ok-steady", "flaky-a"):
        wait_for(partial(_is, delivered, name, final), timeout=timeout, what=f"{name} at {final}")
    wait_for(
        lambda: all(final in s.versions() for s in streams), timeout=10, what="streams at final"
    )
    return int(final)


def _is(read: Callable[[str], int], name: str, expected: int) -> bool:
    """Whether `read(name)` equals `expected` (a poll condition)."""
    return read(name) == expected


def _check_webhooks(
    base: str, receiver: Receiver, subs: dict[str, dict[str, Any]], final: int
) -> None:
    """Every endpoint ends as its failure mode says; the good ones hold the final version."""
    for name in ("ok-steady", "flaky-a"):
        applied = receiver.applied_versions(name)
        assert applied == sorted(set(applied)), applied  # versions only increase
        assert applied[-1] == final
        assert all(hit.verified for hit in receiver.hits[name])
        # Coalescing: at most one delivery per min_interval_s, each carrying the latest version.
        log = api(base, "GET", f"/v1/subscriptions/{subs[name]['id']}/deliveries")["items"]
        assert_spaced([datetime.fromisoformat(d["created_at"]) for d in log], MIN_INTERVAL_S)
        assert len(log) == len(applied)
    flaky = receiver.hits["flaky-a"]
    assert flaky[0].status == 500
    assert flaky[-1].status == 200
    first_id = flaky[0].webhook_id
    assert {h.status for h in flaky if h.webhook_id == first_id} == {500, 200}  # same id retried

    gone = api(base, "GET", f"/v1/subscriptions/{subs['gone-a']['id']}")
    assert gone["status"] == "disabled"
    assert "410" in gone["disabled_reason"]
    assert len(receiver.hits["gone-a"]) == 1

    hang = api(base, "GET", f"/v1/subscriptions/{subs['hang-a']['id']}/deliveries")["items"]
    assert hang[-1]["attempts"] >= 2
    assert "timeout" in hang[-1]["error"]
    assert hang[-1]["latency_ms"] < 1400

    redirect = api(base, "GET", f"/v1/subscriptions/{subs['redirect-a']['id']}/deliveries")
    first = redirect["items"][-1]
    assert first["response_status"] == 307
    assert first["status"] in ("retrying", "failed")
    assert first["attempts"] >= 2
    assert not receiver.hits.get("ok-redirect-target")  # redirects are not followed


def _check_streams(streams: list[StreamClient], final: int) -> None:
    """Each API process's client saw increasing versions ending at the final one."""
    for stream in streams:
        versions = stream.versions()
        assert versions == sorted(set(versions)), versions
        assert versions[-1] == final


def _check_reconnect(url: str, final: int) -> None:
    """`Last-Event-ID` equal to the current version: no resend; one behind: the current at once."""
    current = StreamClient(url, last_event_id=str(final)).start()
    behind = StreamClient(url, last_event_id=str(final - 1)).start()
    wait_for(lambda: bool(behind.messages), timeout=5, what="the resend after Last-Event-ID")
    wait_for(lambda: current.heartbeats >= 2, timeout=5, what="heartbeats")
    current.stop()
    behind.stop()
    assert current.status == 200
    assert current.messages == []
    assert behind.versions() == [final]
    bad = httpx.get(url, headers={"Last-Event-ID": "abc"}, timeout=5)
    assert bad.status_code == 422
    assert "Last-Event-ID" in str(bad.json()["detail"])


def _check_test_and_redeliver(base: str, receiver: Receiver, sub: dict[str, Any]) -> None:
    """A test message is signed and typed `webhook.test`; a redelivery keeps the webhook-id."""
    before = len(receiver.hits["ok-steady"])
    test = api(base, "POST", f"/v1/subscriptions/{sub['id']}/test")
    wait_for(
        lambda: any(h.webhook_id == test["webhook_id"] for h in receiver.hits["ok-steady"]),
        timeout=10,
        what="the test message",
    )
    hit = next(h for h in receiver.hits["ok-steady"] if h.webhook_id == test["webhook_id"])
    assert hit.verified
    assert hit.body is not None
    assert hit.body["type"] == "webhook.test"

    deliveries = api(base, "GET", f"/v1/subscriptions/{sub['id']}/deliveries")["items"]
    last = next(d for d in deliveries if d["kind"] == "summary")
    applied = receiver.applied_versions("ok-steady")
    again = api(base, "POST", f"/v1/subscriptions/{sub['id']}/deliveries/{last['id']}/redeliver")
    assert again["webhook_id"] == last["webhook_id"]
    assert again["status"] == "pending"
    wait_for(
        lambda: len(receiver.hits["ok-steady"]) >= before + 2, timeout=10, what="the redelivery"
    )
    assert receiver.hits["ok-steady"][-1].webhook_id == last["webhook_id"]
    assert receiver.applied_versions("ok-steady") == applied  # applied once per webhook-id
