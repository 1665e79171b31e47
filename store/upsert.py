"""Dialect-aware `INSERT ... ON CONFLICT` so the same code runs on PostgreSQL and SQLite."""

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_for(session: Session, table: Any) -> Any:
    """An INSERT construct with `on_conflict_*` methods for the session's dialect."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
