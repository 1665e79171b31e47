"""Readiness checks of the database and the broker, each with a timeout."""

from typing import Any

import redis
from sqlalchemy import text


def readiness(state: Any) -> dict[str, str]:
    """Check each dependency; a value other than "ok" says what failed."""
    checks = {"database": _check_database(state)}
    if state.settings.redis_url:
        checks["broker"] = _check_redis(state.settings.redis_url)
    else:
        checks["worker"] = (
            "ok" if getattr(state.sender, "alive", False) else "in-process worker stopped"
        )
    return checks


def _check_database(state: Any) -> str:
    """`SELECT 1` through the app's pool."""
    try:
        with state.session_factory() as session:
            session.execute(text("SELECT 1"))
    except Exception as exc:
        return f"unreachable: {type(exc).__name__}"
    return "ok"


def _check_redis(url: str) -> str:
    """PING the broker with a 2 s timeout."""
    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        return f"unreachable: {type(exc).__name__}"
    finally:
        client.close()
    return "ok"
