"""Readiness checks of the database and the broker, each with a timeout."""

from typing import Any

import redis
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

MAX_REASON_CHARS = 200
OK = "ok"
"""The value of a check that passed; any other value says what failed."""


def readiness(state: Any) -> dict[str, str]:
    """Check each dependency; a value other than `OK` says what failed."""
    checks = {"database": _check_database(state)}
    if state.settings.redis_url:
        checks["broker"] = _check_redis(state.settings.redis_url)
    else:
        checks["worker"] = (
            OK if getattr(state.sender, "alive", False) else "in-process worker stopped"
        )
    return checks


def _check_database(state: Any) -> str:
    """`SELECT 1` through the app's pool."""
    try:
        with state.session_factory() as session:
            session.execute(text("SELECT 1"))
    except Exception as exc:
        return failure_reason(exc)
    return OK


def _check_redis(url: str) -> str:
    """PING the broker with a 2 s timeout."""
    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        return failure_reason(exc)
    finally:
        client.close()
    return OK


def failure_reason(exc: Exception) -> str:
    """Why a check failed, in one short line: the error type and the first line of its message."""
    if isinstance(exc, sa_exc.TimeoutError):
        return "pool exhausted: no database connection came free in time"
    message = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    first = message[0][:MAX_REASON_CHARS] if message else ""
    return (
        f"unreachable: {type(exc).__name__}: {first}"
        if first
        else f"unreachable: {type(exc).__name__}"
    )
