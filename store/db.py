"""Engine and the session boundary: commit or roll back, then run the after-commit jobs."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

AFTER_COMMIT_KEY = "after_commit"


def make_engine(database_url: str, *, pool_size: int = 10) -> Engine:
    """Create an engine with timeouts suited to the dialect."""
    if database_url.startswith("sqlite"):
        path = database_url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            database_url, connect_args={"timeout": 30, "check_same_thread": False}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    url = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        # No pre-ping round trip per checkout: after a server restart the pool is invalidated
        # on the first disconnect error, and connections are recycled every 30 minutes.
        pool_recycle=1800,
        pool_timeout=10,
        connect_args={"connect_timeout": 5, "options": "-c statement_timeout=30000"},
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    """WAL and foreign keys make the embedded SQLite file behave like the real store."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


_factories: dict[str, sessionmaker[Session]] = {}


def session_factory(database_url: str, pool_size: int = 10) -> sessionmaker[Session]:
    """One session factory (and connection pool) per database URL per process."""
    if database_url not in _factories:
        engine = make_engine(database_url, pool_size=pool_size)
        _factories[database_url] = sessionmaker(engine, expire_on_commit=False)
    return _factories[database_url]


def dispose_engines() -> None:
    """Close every pooled connection of this process (shutdown, tests)."""
    while _factories:
        _, factory = _factories.popitem()
        bind = factory.kw["bind"]
        bind.dispose()


def after_commit(session: Session, job: Callable[[], None]) -> None:
    """Queue `job` to run once this session's transaction has committed; dropped on rollback."""
    session.info.setdefault(AFTER_COMMIT_KEY, []).append(job)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """The transaction boundary for requests and tasks: commit, then send what was deferred."""
    session = factory()
    try:
        yield session
        session.commit()
        jobs: list[Callable[[], None]] = session.info.pop(AFTER_COMMIT_KEY, [])
    except BaseException:
        session.rollback()
        session.info.pop(AFTER_COMMIT_KEY, None)
        raise
    finally:
        session.close()
    for job in jobs:
        job()
