"""The migrations build exactly the schema the models describe, on PostgreSQL and on SQLite."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from store.migrate import upgrade
from store.models import Base


def schema_drift(url: str) -> list[object]:
    """What autogenerate would change to make the database match the models."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))
    finally:
        engine.dispose()


def test_postgres_schema_matches_the_models(postgres_url: str) -> None:
    assert schema_drift(postgres_url) == []


def test_sqlite_schema_matches_the_models(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    upgrade(url)
    assert schema_drift(url) == []


def test_upgrade_to_0004_adds_each_events_overall_tally(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0003")
    engine = create_engine(url)
    columns = (
        "event_id, dimension, key, reactions, sum_units, square_units, positive, neutral, negative"
    )
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO events (id, title, title_fixed, kind, keywords, match, people, "
            "created_at, last_activity_at) VALUES (7, 'Launch', 0, 'defined', '[]', 'any', '[]', "
            "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"
        )
        connection.exec_driver_sql(
            f"INSERT INTO event_tallies ({columns}) VALUES "
            "(7, 'person', '1', 2, 5000, 12500000, 1, 1, 0), "
            "(7, 'person', '2', 1, -3000, 9000000, 0, 0, 1), "
            "(7, 'role', 'analyst', 3, 2000, 21500000, 1, 1, 1)"
        )
    upgrade(url)
    with engine.connect() as connection:
        total = connection.exec_driver_sql(
            f"SELECT {columns} FROM event_tallies WHERE dimension = 'total'"
        ).all()
    engine.dispose()
    assert [tuple(row) for row in total] == [(7, "total", "", 3, 2000, 21500000, 1, 1, 1)]


def test_upgrade_to_0005_drops_pronoun_aliases_only(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0004")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO people (id, name, name_key, kind, reactions, sum_units, positive, "
            "neutral, negative, created_at) VALUES (3, 'Ada Lin', 'ada lin', 'person', 0, 0, 0, "
            "0, 0, '2026-01-01 00:00:00')"
        )
        for alias in ("He", "Lin", "she", "Hee"):
            connection.exec_driver_sql(
                "INSERT INTO person_aliases (person_id, alias, first_seen, last_seen) "
                f"VALUES (3, '{alias}', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            )
    upgrade(url)
    with engine.connect() as connection:
        aliases = connection.exec_driver_sql(
            "SELECT alias FROM person_aliases ORDER BY alias"
        ).scalars()
        assert list(aliases) == ["Hee", "Lin"]
    engine.dispose()
