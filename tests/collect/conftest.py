"""Collector fixtures: the local test site, a recording sender and jobs on the real PostgreSQL."""

import ipaddress
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from schemas.sources import SourceCreate
from store.db import session_scope
from store.models import Source
from store.repositories import sources
from tests.collect.server import Site, serve
from tests.factories import make_settings
from workers.collect.fetch import FetchLimits, make_client
from workers.collect.jobs import CollectJobs
from workers.collect.netguard import IPAddress, is_public_address


class RecordingSender:
    """A task sender that keeps what was sent, for tests that run the jobs themselves."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, tuple[int, ...]]] = []

    def send(self, name: str, *args: int, countdown: float = 0) -> None:
        """Record the task."""
        self.sent.append((name, args))

    def take(self, name: str) -> list[tuple[int, ...]]:
        """The arguments of the `name` tasks sent so far, forgetting them."""
        found = [args for sent, args in self.sent if sent == name]
        self.sent = [(sent, args) for sent, args in self.sent if sent != name]
        return found


def site_only_rule(address: IPAddress) -> bool:
    """The address rule, except that 127.0.0.1 (the test site) stands in for the internet."""
    return address == ipaddress.ip_address("127.0.0.1") or is_public_address(address)


@pytest.fixture
def site() -> Iterator[Site]:
    """The local test site on 127.0.0.1."""
    with serve() as running:
        yield running


@pytest.fixture
def sender() -> RecordingSender:
    """A fresh recording sender."""
    return RecordingSender()


def make_jobs(
    factory: sessionmaker[Session], postgres_url: str, sender: RecordingSender, **settings: Any
) -> CollectJobs:
    """Collect jobs on the test database with tight limits; the address rule lets the site in."""

    def client(limits: FetchLimits) -> httpx.Client:
        return make_client(allowed=site_only_rule, limits=limits)

    defaults: dict[str, Any] = {"fetch_deadline_s": 2.0, "fetch_max_bytes": 1024 * 1024}
    return CollectJobs(
        factory=factory,
        sender=sender,
        settings=make_settings(database_url=postgres_url, redis_url=None, **(defaults | settings)),
        client=client,
    )


@pytest.fixture
def jobs(factory: sessionmaker[Session], postgres_url: str, sender: RecordingSender) -> CollectJobs:
    """Collect jobs with the test-site address rule."""
    return make_jobs(factory, postgres_url, sender)


def add_source(factory: sessionmaker[Session], **fields: Any) -> int:
    """Register a source directly in the store; its id."""
    with session_scope(factory) as session:
        return sources.create_source(session, SourceCreate(**fields)).id


def poll_now(jobs: CollectJobs, source_id: int) -> Source:
    """Claim the source and run its poll in this thread, then return it as stored."""
    with session_scope(jobs.factory) as session:
        source = sources.lock_source(session, source_id)
        assert source is not None
        token = sources.claim_source(session, source)
    assert token is not None
    jobs.poll_source(source_id, token)
    with session_scope(jobs.factory) as session:
        stored = sources.get_source(session, source_id)
        assert stored is not None
        return stored
