"""Fast inserts of many rows, shared by the context store and the evaluation."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection


def bulk_insert(cursor: Any, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert many rows: COPY on PostgreSQL (one round trip, server-side parsing), executemany elsewhere."""
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)  # noqa: S608


def unnest(types: Sequence[str], rows: Sequence[Sequence[Any]]) -> tuple[str, list[list[Any]]]:
    """PostgreSQL: many rows as one array parameter per column. Returns the FROM item
    `unnest(%s::type[], ...)` and its parameters: one statement instead of a round trip per row."""
    source = "unnest(" + ", ".join(f"%s::{kind}[]" for kind in types) + ")"
    return source, [list(column) for column in zip(*rows, strict=True)]


def update_rows(
    cursor: Any, table: str, key: str, columns: Sequence[tuple[str, str]], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Update many rows by key. `columns` are (name, PostgreSQL type); each row holds their values, then the
    key (a bigint). One statement over `unnest` on PostgreSQL, `executemany` elsewhere."""
    if not rows:
        return
    names = [name for name, _ in columns]
    if connection.vendor == "postgresql":
        source, params = unnest([kind for _, kind in columns] + ["bigint"], rows)
        sets = ", ".join(f"{name} = v.{name}" for name in names)
        cursor.execute(
            f"UPDATE {table} AS t SET {sets} FROM {source} AS v({', '.join(names)}, row_key) "  # noqa: S608
            f"WHERE t.{key} = v.row_key",
            params,
        )
        return
    sets = ", ".join(f"{name} = %s" for name in names)
    cursor.executemany(f"UPDATE {table} SET {sets} WHERE {key} = %s", rows)  # noqa: S608


def update_by_pk(model: Any, column: str, rows: Sequence[tuple[Any, Any]]) -> None:
    """Set one field of many rows, given (pk, value) pairs (`update_rows`). Much cheaper than
    `QuerySet.bulk_update`, whose `CASE WHEN` expression Django builds and resolves in Python for every row;
    the value goes through the field's own preparation (JSON, dates)."""
    field = model._meta.get_field(column)
    prepared = [(field.get_db_prep_save(value, connection), key) for key, value in rows]
    with connection.cursor() as cursor:
        update_rows(
            cursor,
            model._meta.db_table,
            model._meta.pk.column,
            [(field.column, field.db_type(connection))],
            prepared,
        )
