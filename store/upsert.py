"""Dialect-aware `INSERT ... ON CONFLICT` so the same code runs on PostgreSQL and SQLite."""

import json
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import JSON, Row, Table, TextClause, bindparam, insert, text
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
    *,
    columns: tuple[str, ...],
    conflict: tuple[str, ...],
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
    updates = _increments(table.name, increment)
    updates += [f"{c} = excluded.{c}" for c in assign]
    updates += [_keep(table.name, c, "<") for c in earliest]
    updates += [_keep(table.name, c, ">") for c in latest]
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES {values}" + _on_conflict(
        conflict, conflict_where=conflict_where, updates=updates
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


def insert_rows(
    session: Session,
    table: Table,
    *,
    rows: Sequence[dict[str, Any]],
    conflict: tuple[str, ...] = (),
    conflict_where: str | None = None,
    increment: tuple[str, ...] = (),
    returning: tuple[str, ...] = (),
) -> list[Row[Any]]:
    """Insert many rows with the same keys, upserting as `upsert_statement` does when given a
    `conflict` target (none: a conflict is an error); the returned rows.

    On PostgreSQL this is one statement whatever the number of rows: the values travel as one
    array per column (`INSERT ... SELECT FROM unnest(...)`), so its text never changes and
    psycopg and the server keep it parsed and prepared; a multi-row VALUES list would be a new
    statement for every row count, converted anew by psycopg (past 50 parameters it caches
    nothing) and planned anew by the server. Other dialects take multi-row VALUES in batches.
    """
    if not rows:
        return []
    columns = tuple(rows[0])
    if session.get_bind().dialect.name == "postgresql":
        stmt = _unnest_statement(
            table,
            columns,
            conflict=conflict,
            conflict_where=conflict_where,
            increment=increment,
            returning=returning,
        )
        json_columns = {c for c in columns if isinstance(table.c[c].type, JSON)}
        arrays = {
            column: [
                json.dumps(row[column])
                if column in json_columns and row[column] is not None
                else row[column]
                for row in rows
            ]
            for column in columns
        }
        result = session.execute(stmt, arrays)
        return list(result.all()) if returning else []
    if not conflict:
        plain = insert(table)
        if returning:
            return list(session.execute(plain.returning(*(table.c[c] for c in returning)), rows))
        session.execute(plain, rows)
        return []
    found: list[Row[Any]] = []
    for batch in batches(list(rows)):
        stmt = upsert_statement(
            table,
            columns=columns,
            conflict=conflict,
            conflict_where=conflict_where,
            increment=increment,
            rows=len(batch),
            returning=returning,
        )
        result = session.execute(stmt, numbered(batch))
        found += result.all() if returning else []
    return found


@lru_cache(maxsize=64)
def _unnest_statement(
    table: Table,
    columns: tuple[str, ...],
    *,
    conflict: tuple[str, ...],
    conflict_where: str | None,
    increment: tuple[str, ...],
    returning: tuple[str, ...],
) -> TextClause:
    """PostgreSQL's `INSERT ... SELECT FROM unnest(:column arrays) ON CONFLICT ...` text."""
    dialect = postgresql.dialect()
    selected: list[str] = []
    arrays: list[str] = []
    for column in columns:
        kind = table.c[column].type
        if isinstance(kind, JSON):  # sent as JSON text, one array of text
            arrays.append(f"CAST(:{column} AS TEXT[])")
            selected.append(f"CAST({column} AS JSON)")
        else:
            arrays.append(f"CAST(:{column} AS {kind.compile(dialect=dialect)}[])")
            selected.append(column)
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) SELECT {', '.join(selected)} "
        f"FROM unnest({', '.join(arrays)}) AS v({', '.join(columns)})"
    )
    if conflict:
        updates = _increments(table.name, increment)
        sql += _on_conflict(conflict, conflict_where=conflict_where, updates=updates)
    if returning:
        sql += f" RETURNING {', '.join(returning)}"
    return text(sql)


def _increments(table: str, columns: tuple[str, ...]) -> list[str]:
    """`SET` items adding the new row's values to the stored ones."""
    return [f"{c} = {table}.{c} + excluded.{c}" for c in columns]


def _on_conflict(
    conflict: tuple[str, ...], *, conflict_where: str | None, updates: list[str]
) -> str:
    """The ` ON CONFLICT (...) [WHERE ...] DO UPDATE SET ... | DO NOTHING` clause."""
    action = f"DO UPDATE SET {', '.join(updates)}" if updates else "DO NOTHING"
    target = f"({', '.join(conflict)})" + (f" WHERE {conflict_where}" if conflict_where else "")
    return f" ON CONFLICT {target} {action}"


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
