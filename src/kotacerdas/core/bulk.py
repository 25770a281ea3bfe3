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


def update_by_pk(model: Any, column: str, rows: Sequence[tuple[Any, Any]]) -> None:
    """Set one column of many rows, given (pk, value) pairs, in one executemany (psycopg pipelines it).

    Much cheaper than `QuerySet.bulk_update`, whose `CASE WHEN` expression Django builds and resolves in
    Python for every row; the value goes through the field's own preparation (JSON, dates)."""
    if not rows:
        return
    field = model._meta.get_field(column)
    table, pk = model._meta.db_table, model._meta.pk.column
    sql = f"UPDATE {table} SET {field.column} = %s WHERE {pk} = %s"  # noqa: S608 (names from the model)
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(field.get_db_prep_save(value, connection), key) for key, value in rows])
