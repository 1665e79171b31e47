"""Delivery decisions on the real PostgreSQL: several concurrent workers, dead endpoints, sweeps."""

import logging
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from functools import partial
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from notify import StreamHub
from notify.webhooks import new_secret, new_webhook_id
from schemas.documents import DocumentCreate
from schemas.events import EventCreate
from schemas.tasks import ATTEMPT_DELIVERY, DISPATCH_WEBHOOK, PROCESS_DOCUMENT
from service.app import create_app
from store.db import after_commit, session_scope
from store.models import Subscription, WebhookDelivery, utcnow
from store.repositories import documents, events, summaries
from store.repositories import subscriptions as repo
from taskqueue.senders import Handler
from tests.deliver.conftest import FAST
from tests.deliver.helpers import Receiver, assert_spaced, wait_for
from tests.factories import AUTH, make_settings
from workers.deliver.jobs import DeliverJobs
from workers.pipeline.jobs import PipelineJobs

pytestmark = pytest.mark.postgres
log = logging.getLogger(__name__)


class PoolSender:
    """Several in-process workers: each task runs on a pool of threads, countdowns on timers."""

    def __init__(self, workers: int) -> None:
        self.handlers: dict[str, Handler] = {}
        self._pool = ThreadPoolExecutor(workers)
        self._timers: list[threading.Timer] = []

    def send(self, name: str, *args: int, countdown: float = 0) -> None:
        """Run the task on the pool now or after `countdown` seconds."""
        if countdown > 0:
            timer = threading.Timer(countdown, self.send, args=(name, *args))
            self._timers.append(timer)
            timer.start()
            return
        self._pool.submit(self._run, name, args)

    def _run(self, name: str, args: tuple[int, ...]) -> None:
        """Run one task; a retry it asks for is sent again."""
        try:
            retry_in = self.handlers[name](*args)
        except Exception:
            log.exception("task %s%s failed", name, args)
            return
        if retry_in is not None:
            self.send(name, *args, countdown=retry_in)

    def stop(self) -> None:
        """Cancel the timers and wait for running tasks."""
        for timer in self._timers:
            timer.cancel()
        self._pool.shutdown(wait=True, cancel_futures=True)


class RecordingSender:
    """Records what would be sent, for decisions checked without running them."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, tuple[int, ...], float]] = []

    def send(self, name: str, *args: int, countdown: float = 0) -> None:
        """Record the task."""
        self.sent.append((name, args, countdown))


class NoPublisher:
    """Stream publishing is not under test here."""

    def publish(self, event_id: int, version: int, *, body: bytes) -> None:
        """Drop the summary."""


def resent(kind: str) -> float:
    """The sweeper re-send counter of this process for one kind of message."""
    return REGISTRY.get_sample_value("reactions_sweeper_resent_total", {"kind": kind}) or 0.0


def deliveries_counted(outcome: str) -> float:
    """The webhook delivery counter of this process for one outcome."""
    labels = {"outcome": outcome}
    return REGISTRY.get_sample_value("reactions_webhook_deliveries_total", labels) or 0.0


def settings_for(postgres_url: str, **overrides: Any) -> Settings:
    """Fast test settings on the test database."""
    return make_settings(database_url=postgres_url, redis_url=None, **{**FAST, **overrides})


def new_event(factory: sessionmaker[Session]) -> int:
    """A Zephyr event."""
    with session_scope(factory) as session:
        return events.create_event(session, EventCreate(title="Zephyr", keywords=["Zephyr"])).id


def subscribe(factory: sessionmaker[Session], *, event_id: int, url: str) -> Subscription:
    """A subscription at the event's current version, with a 1 s minimum interval."""
    with session_scope(factory) as session:
        return repo.create_subscription(
            session,
            event_id=event_id,
            url=url,
            secret=new_secret(),
            min_interval_s=1,
            current_version=0,
        )


@pytest.fixture
def pool() -> Iterator[PoolSender]:
    """Four concurrent in-process workers."""
    sender = PoolSender(workers=4)
    yield sender
    sender.stop()


def test_concurrent_workers_coalesce_and_lose_no_version(
    factory: sessionmaker[Session], postgres_url: str, receiver: Receiver, pool: PoolSender
) -> None:
    settings = settings_for(postgres_url, process_batch=1)  # each document is one version
    pool.handlers.update(PipelineJobs(factory=factory, sender=pool, settings=settings).handlers())
    deliver = DeliverJobs(factory=factory, sender=pool, publisher=NoPublisher(), settings=settings)
    pool.handlers.update(deliver.handlers())
    event_id = new_event(factory)
    sub = subscribe(factory, event_id=event_id, url=receiver.url("ok-pool"))
    receiver.secrets["ok-pool"] = sub.secret
    for wave in range(3):
        with session_scope(factory) as session:
            for i in range(6):
                text = f"Zephyr news {wave}-{i}. “What a wonderful day,” said Clara Jensen."
                document, _ = documents.create_document(session, DocumentCreate(text=text))
                after_commit(session, partial(pool.send, PROCESS_DOCUMENT, document.id))
        threading.Event().wait(0.4)

    def settled() -> bool:
        with session_scope(factory) as session:
            summary = summaries.read_summary(session, event_id) or {}
            row = repo.get_subscription(session, sub.id)
            assert row is not None
            seen.append((summary.get("version"), row.delivered_version, row.queued_version))
            return summary.get("version") == row.delivered_version == 18

    seen: list[tuple[Any, int, int]] = []

    try:
        wait_for(settled, timeout=30, what="version 18 delivered")
    except AssertionError as exc:
        raise AssertionError(f"(summary, delivered, queued) stayed at {seen[-1]}") from exc
    applied = receiver.applied_versions("ok-pool")
    assert applied == sorted(set(applied))
    assert applied[-1] == 18
    assert len(applied) < 18  # a burst gives fewer messages than versions
    with session_scope(factory) as session:
        log_rows = repo.list_deliveries(session, subscription_id=sub.id, before_id=None, limit=50)
    assert_spaced([row.created_at for row in log_rows], min_interval_s=1)


def test_five_failing_days_disable_the_subscription(
    factory: sessionmaker[Session], postgres_url: str, receiver: Receiver
) -> None:
    sender = RecordingSender()
    settings = settings_for(postgres_url)
    deliver = DeliverJobs(
        factory=factory, sender=sender, publisher=NoPublisher(), settings=settings
    )
    sub = subscribe(factory, event_id=new_event(factory), url=receiver.url("flaky-dead"))
    receiver.fail_for["flaky-dead"] = 60
    with session_scope(factory) as session:
        row = repo.lock_subscription(session, sub.id)
        assert row is not None
        row.failing_since = utcnow() - timedelta(days=4, hours=23)
        first = repo.add_delivery(
            session,
            subscription_id=sub.id,
            webhook_id=new_webhook_id(),
            kind="summary",
            version=1,
            body="{}",
        ).id
    deliver.attempt(first)
    assert [name for name, _, _ in sender.sent] == [ATTEMPT_DELIVERY]  # still retried
    with session_scope(factory) as session:
        row = repo.lock_subscription(session, sub.id)
        assert row is not None
        row.failing_since = utcnow() - timedelta(days=5, seconds=1)
    with session_scope(factory) as session:
        session.get(WebhookDelivery, first).next_attempt_at = utcnow()  # type: ignore[union-attr]
    deliver.attempt(first)
    with session_scope(factory) as session:
        row = repo.get_subscription(session, sub.id)
        assert row is not None
        assert row.status == "disabled"
        assert row.disabled_reason == "every attempt failed for 5 days"
        delivery = session.get(WebhookDelivery, first)
        assert delivery is not None
        assert (delivery.status, delivery.response_status) == (
            "failed",
            500,
        )


def test_a_private_address_is_refused_when_private_networks_are_not_allowed(
    factory: sessionmaker[Session], postgres_url: str, receiver: Receiver
) -> None:
    settings = settings_for(postgres_url, allow_private_networks=False)
    deliver = DeliverJobs(
        factory=factory, sender=RecordingSender(), publisher=NoPublisher(), settings=settings
    )
    sub = subscribe(factory, event_id=new_event(factory), url=receiver.url("ok-private"))
    with session_scope(factory) as session:
        delivery_id = repo.add_delivery(
            session,
            subscription_id=sub.id,
            webhook_id=new_webhook_id(),
            kind="summary",
            version=1,
            body="{}",
        ).id
    refused_before = deliveries_counted("failed")
    deliver.attempt(delivery_id)
    assert deliveries_counted("failed") == refused_before + 1
    assert not receiver.hits.get("ok-private")
    with session_scope(factory) as session:
        row = repo.get_subscription(session, sub.id)
        assert row is not None
        assert row.status == "disabled"
        assert "address rule" in (row.disabled_reason or "")


def test_the_sweeper_resends_lost_attempts_and_dispatches(
    factory: sessionmaker[Session], postgres_url: str
) -> None:
    sender = RecordingSender()
    deliver = DeliverJobs(
        factory=factory, sender=sender, publisher=NoPublisher(), settings=settings_for(postgres_url)
    )
    sub = subscribe(factory, event_id=new_event(factory), url="http://127.0.0.1:9/x")
    with session_scope(factory) as session:
        lost = repo.add_delivery(
            session,
            subscription_id=sub.id,
            webhook_id=new_webhook_id(),
            kind="summary",
            version=1,
            body="{}",
        )
        lost.next_attempt_at = utcnow() - timedelta(minutes=10)
        row = repo.lock_subscription(session, sub.id)
        assert row is not None
        row.dispatch_due_at = utcnow() - timedelta(minutes=10)
    before = {kind: resent(kind) for kind in ("deliveries", "dispatches")}
    deliver.sweep()
    deliver.sweep()  # re-stamped: the second sweep finds nothing overdue
    assert {kind: resent(kind) - before[kind] for kind in before} == {
        "deliveries": 1,
        "dispatches": 1,
    }
    assert sorted(sender.sent) == [
        (ATTEMPT_DELIVERY, (lost.id,), 0),
        (DISPATCH_WEBHOOK, (sub.id,), 0),
    ]


def test_subscription_api_validates_and_names_fields(
    factory: sessionmaker[Session], postgres_url: str
) -> None:
    sender = RecordingSender()
    app = create_app(settings_for(postgres_url), sender=sender, hub=StreamHub())
    event_id = new_event(factory)
    with TestClient(app) as client:
        url = "/v1/subscriptions"
        assert (
            client.post(url, json={"event_id": event_id, "url": "http://a.example/"}).status_code
            == 401
        )
        cases = {
            "url": {"event_id": event_id, "url": "ftp://a.example/"},
            "event_id": {"event_id": 999, "url": "https://a.example/"},
            "min_interval_s": {
                "event_id": event_id,
                "url": "https://a.example/",
                "min_interval_s": 0,
            },
        }
        for field, body in cases.items():
            response = client.post(url, json=body, headers=AUTH)
            assert response.status_code == 422, field
            assert field in str(response.json()["detail"])
        created = client.post(
            url, json={"event_id": event_id, "url": "https://a.example/"}, headers=AUTH
        )
        assert created.status_code == 201
        sub = created.json()
        assert sub["min_interval_s"] == 10
        assert sub["secret"].startswith("whsec_")
        listed = client.get(url, headers=AUTH, params={"event_id": event_id}).json()
        assert [s["id"] for s in listed["items"]] == [sub["id"]]
        assert "secret" not in listed["items"][0]
        test = client.post(f"{url}/{sub['id']}/test", headers=AUTH)
        assert test.status_code == 202
        assert test.json()["kind"] == "test"
        assert sender.sent == [(ATTEMPT_DELIVERY, (test.json()["id"],), 0)]
        again = client.post(
            f"{url}/{sub['id']}/deliveries/{test.json()['id']}/redeliver", headers=AUTH
        )
        assert again.status_code == 409
        assert "pending" in again.json()["detail"]
        log_page = client.get(f"{url}/{sub['id']}/deliveries", headers=AUTH).json()
        assert [d["id"] for d in log_page["items"]] == [test.json()["id"]]
        assert client.delete(f"{url}/{sub['id']}", headers=AUTH).status_code == 204
        assert client.get(f"{url}/{sub['id']}", headers=AUTH).status_code == 404
