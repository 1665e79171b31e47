"""Which errors are outages of the database or the broker rather than faults of the work itself.

An outage is retried and never recorded against a document or answered as a server bug: the
API maps it to 503, a task retries it with backoff without spending an attempt.
"""

import psycopg
from kombu.exceptions import OperationalError as BrokerOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy import exc as sa_exc

# SQLSTATE classes and codes that mean the server is unreachable, going away or full:
# 08 connection exceptions, 53 insufficient resources (too many connections, out of memory),
# 57P01-57P03 administrator / crash shutdown and "cannot connect now" (starting up).
OUTAGE_SQLSTATE_CLASSES = frozenset({"08", "53"})
OUTAGE_SQLSTATES = frozenset({"57P01", "57P02", "57P03"})
BROKER_ERRORS = (BrokerOperationalError, RedisConnectionError, RedisTimeoutError)


def is_infrastructure_error(exc: BaseException) -> bool:
    """True when `exc`, or the exception it was raised from, is a database or broker outage."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if _is_outage(current):
            return True
        current = current.__cause__
    return False


def _is_outage(exc: BaseException) -> bool:
    """One exception, without its chain."""
    if isinstance(exc, sa_exc.TimeoutError):  # no pooled connection came free in time
        return True
    if isinstance(exc, sa_exc.DBAPIError):
        if exc.connection_invalidated:
            return True
        return exc.orig is not None and _is_outage(exc.orig)
    if isinstance(exc, psycopg.OperationalError):
        state = exc.sqlstate
        # No SQLSTATE: the client itself failed to connect or lost the connection.
        return state is None or state[:2] in OUTAGE_SQLSTATE_CLASSES or state in OUTAGE_SQLSTATES
    if isinstance(exc, psycopg.InterfaceError):  # e.g. "the connection is closed"
        return True
    return isinstance(exc, BROKER_ERRORS)
