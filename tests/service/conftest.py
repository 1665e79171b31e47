"""Service-tier fixtures: the API in-process on the real PostgreSQL, sending to the real Redis."""

from collections.abc import Iterator

import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from service.app import create_app
from tests.factories import make_settings


@pytest.fixture
def client(
    factory: sessionmaker[Session], postgres_url: str, redis_url: str
) -> Iterator[TestClient]:
    """A client of the API whose task messages land in the test Redis database."""
    app = create_app(make_settings(database_url=postgres_url, redis_url=redis_url))
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def broker(redis_url: str) -> Iterator[redis.Redis]:
    """A client of the test Redis database, to look at the queued task messages."""
    client = redis.Redis.from_url(redis_url, socket_timeout=3)
    yield client
    client.close()
