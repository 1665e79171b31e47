"""Shared fixtures: a fresh PostgreSQL database per run, a Redis database, clean tables per test."""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import redis
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from store.db import dispose_engines, session_factory
from store.migrate import upgrade
from store.models import Base

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
ADMIN_URL = os.environ.get("REACTIONS_TEST_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_TEST_URL = os.environ.get("REACTIONS_TEST_REDIS_URL", "redis://127.0.0.1:6379/11")
IN_CI = os.environ.get("CI", "").lower() == "true"


def unavailable(what: str) -> None:
    """Skip locally, but fail under CI=true: a missing server must never pass silently."""
    if IN_CI:
        pytest.fail(f"{what} is required under CI=true but is not available")
    pytest.skip(f"{what} is not available")


def shared_path(*parts: str) -> Path:
    """A path under ../shared; skipped (failed under CI) with a clear message when missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        unavailable(f"the shared corpus {path} (../shared beside the repo)")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A new, migrated PostgreSQL database for this test run, dropped at the end."""
    name = f"reactions_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        unavailable(f"PostgreSQL at {ADMIN_URL} ({exc})")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = ADMIN_URL.rpartition("/")
    url = f"{base}/{name}"
    upgrade(url)
    yield url
    dispose_engines()
    with psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def factory(postgres_url: str) -> sessionmaker[Session]:
    """Session factory on the test database, with every table emptied first."""
    made = session_factory(postgres_url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with made() as session:
        session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        session.commit()
    return made


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A Redis database of its own, flushed before and after the test."""
    client = redis.Redis.from_url(REDIS_TEST_URL, socket_timeout=3, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        unavailable(f"Redis at {REDIS_TEST_URL} ({exc})")
    client.flushdb()
    yield REDIS_TEST_URL
    client.flushdb()
    client.close()
