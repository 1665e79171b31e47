"""Dialect-aware `INSERT ... ON CONFLICT` so the same code runs on PostgreSQL and SQLite."""

from functools import lru_cache
from typing import Any

from sqlalchemy import Table, TextClause, bindparam, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

MAX_ROWS = 500


def insert_for(session: Session, table: Any) -> Any:
    """An INSERT construct with `on_conflict_*` methods for the session's dialect."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


@lru_cache(maxsize=128)
def upsert_statement(
    table: Table,
    columns: tuple[str, ...],
    conflict: tuple[str, ...],
    *,
    conflict_where: str | None = None,
    increment: tuple[str, ...] = (),
    assign: tuple[str, ...] = (),
    earliest: tuple[str, ...] = (),
    latest: tuple[str, ...] = (),
    rows: int | None = None,
    returning: tuple[str, ...] = (),
) -> TextClause:
    """`INSERT ... ON CONFLICT (...) DO NOTHING | DO UPDATE` as one cached text statement.

    PostgreSQL and SQLite share this syntax. SQLAlchemy cannot cache its dialect-specific
    `on_conflict_*` constructs, so on the hot path they would be compiled on every call; a text
    statement with typed parameters is compiled once. Without `rows` it inserts one row per
    parameter set (executemany); with `rows` it inserts that many rows in one statement, the
    parameters of row i named `<column>_<i>` (see `numbered`). `conflict_where` names the
    predicate of a partial unique index as the conflict target; `earliest` and `latest` columns
    keep the smaller or the larger of the stored and the new value.
    """
    names = (
        [list(columns)] if rows is None else [[f"{c}_{i}" for c in columns] for i in range(rows)]
    )
    values = ", ".join("(" + ", ".join(f":{n}" for n in row) + ")" for row in names)
    updates = [f"{c} = {table.name}.{c} + excluded.{c}" for c in increment]
    updates += [f"{c} = excluded.{c}" for c in assign]
    updates += [_keep(table.name, c, "<") for c in earliest]
    updates += [_keep(table.name, c, ">") for c in latest]
    action = f"DO UPDATE SET {', '.join(updates)}" if updates else "DO NOTHING"
    target = f"({', '.join(conflict)})" + (f" WHERE {conflict_where}" if conflict_where else "")
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES {values} "
        f"ON CONFLICT {target} {action}"
    )
    if returning:
        sql += f" RETURNING {', '.join(returning)}"
    params = [
        bindparam(name, type_=table.c[column].type)
        for row in names
        for name, column in zip(row, columns, strict=True)
    ]
    return text(sql).bindparams(*params)


def _keep(table: str, column: str, wins: str) -> str:
    """The new value where it compares `wins` (< or >) with the stored one, else the stored one."""
    return (
        f"{column} = CASE WHEN {table}.{column} IS NULL OR excluded.{column} {wins} "
        f"{table}.{column} THEN excluded.{column} ELSE {table}.{column} END"
    )


def numbered(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The parameters of a multi-row `upsert_statement`: `<column>_<i>` for row i."""
    return {f"{key}_{i}": value for i, row in enumerate(rows) for key, value in row.items()}


def batches(rows: list[dict[str, Any]], size: int = MAX_ROWS) -> list[list[dict[str, Any]]]:
    """Rows in slices small enough for one statement (PostgreSQL allows 65,535 parameters)."""
    return [rows[start : start + size] for start in range(0, len(rows), size)]


def table_of(model: Any) -> Table:
    """The table of a mapped class, for `upsert_statement`."""
    table: Table = model.__table__
    return table
