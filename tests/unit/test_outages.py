"""Which errors count as outages (retried, 503) and which as faults of the work (no servers)."""

import psycopg
import pytest
from kombu.exceptions import OperationalError as BrokerOperationalError
from psycopg import errors as pg_errors
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy import exc as sa_exc

from store.outages import is_infrastructure_error
from workers.outages import outage_backoff


def wrapped(orig: Exception, kind: type[sa_exc.DBAPIError] = sa_exc.OperationalError) -> Exception:
    """A DB-API error as SQLAlchemy raises it."""
    return kind.instance("SELECT 1", {}, orig, psycopg.Error)


def raised_from(outer: Exception, cause: Exception) -> Exception:
    """`outer` raised from `cause`, as `raise outer from cause` leaves it."""
    outer.__cause__ = cause
    return outer


@pytest.mark.parametrize(
    "error",
    [
        psycopg.OperationalError("connection failed: Connection refused"),
        pg_errors.AdminShutdown("terminating connection due to administrator command"),
        pg_errors.CannotConnectNow("the database system is starting up"),
        pg_errors.TooManyConnections("sorry, too many clients already"),
        psycopg.InterfaceError("the connection is closed"),
        wrapped(psycopg.OperationalError("server closed the connection unexpectedly")),
        wrapped(pg_errors.AdminShutdown("terminating connection")),
        sa_exc.TimeoutError("QueuePool limit of size 10 overflow 10 reached"),
        BrokerOperationalError("Error 111 connecting to 127.0.0.1:6379"),
        RedisConnectionError("Connection refused"),
        raised_from(RuntimeError("task failed"), RedisConnectionError("reset")),
    ],
)
def test_outages(error: Exception) -> None:
    assert is_infrastructure_error(error)


@pytest.mark.parametrize(
    "error",
    [
        ValueError("bad document"),
        pg_errors.DeadlockDetected("deadlock detected"),
        pg_errors.QueryCanceled("canceling statement due to statement timeout"),
        wrapped(pg_errors.UniqueViolation("duplicate key"), sa_exc.IntegrityError),
        wrapped(pg_errors.DataError("invalid input"), sa_exc.DataError),
    ],
)
def test_faults_of_the_work(error: Exception) -> None:
    assert not is_infrastructure_error(error)


def test_an_error_met_while_handling_an_outage_is_not_one() -> None:
    def fail_while_handling() -> None:
        try:
            raise psycopg.OperationalError("connection lost")
        except psycopg.OperationalError:
            raise ValueError("bad document")  # noqa: B904 (the implicit context is the point)

    with pytest.raises(ValueError, match="bad document") as caught:
        fail_while_handling()
    assert isinstance(caught.value.__context__, psycopg.OperationalError)
    assert not is_infrastructure_error(caught.value)


def test_outage_backoff_grows_then_stays_short() -> None:
    assert [outage_backoff(retries) for retries in range(7)] == [1, 2, 4, 8, 10, 10, 10]
    assert outage_backoff(10_000) == 10
