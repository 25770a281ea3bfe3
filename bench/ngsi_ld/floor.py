"""The database's share of a batch upsert: the rows real upserts wrote, written again with nothing else.

    .venv/bin/python bench/ngsi_ld/floor.py [--database-url postgresql://…] [--batches 10]

First `--batches` batches of 1,000 new gauges go through `POST /entityOperations/upsert` as in
`upsert.py` (the full view), timed. Then every row those requests added to any table is read back, deleted,
and inserted again batch by batch, each batch in one transaction, the way the store writes (`executemany`
on SQLite, `COPY` on PostgreSQL): no parsing, validation, JSON building or Python per entity, only the
statements, the indexes and the commits. Its rate is a ceiling for the batch upsert on this machine and
database: the budget of 20,000 entities/s cannot be reached where this alone falls short of it.
"""

from __future__ import annotations

import argparse
import random
import time
from typing import Any

from common import prepare, upsert_batches


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--batches", type=int, default=10)
    args = parser.parse_args()
    prepare(args.database_url)
    from django.db import connection, transaction
    from django.test import Client

    tables = connection.introspection.table_names(include_views=False)
    before = {table: _count(table) for table in tables}
    client = Client()
    upsert = args.batches * 1000 / upsert_batches(client, args.batches, random.Random(7))
    after = {table: _count(table) for table in tables}
    added = {table: after[table] - n for table, n in before.items() if after[table] > n}
    assert not [t for t in added if before[t]], f"tables with rows before the upserts: {before}"
    rows = {table: _rows(table) for table in added}
    with transaction.atomic(), connection.cursor() as cursor:  # the foreign keys are checked at commit
        for table in rows:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
    started = time.perf_counter()
    for batch in range(args.batches):
        _insert_batch(rows, batch, args.batches)
    floor = args.batches * 1000 / (time.perf_counter() - started)
    per_entity = ", ".join(f"{table} {n / (args.batches * 1000):g}" for table, n in added.items())
    print(f"rows per entity: {per_entity}")
    print(f"batch upsert through the view: {upsert:,.0f} entities/s")
    print(f"the same rows written again, nothing else: {floor:,.0f} entities/s")


def _count(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
        return int(cursor.fetchone()[0])


def _rows(table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
        columns = [c[0] for c in cursor.description]
        found = cursor.fetchall()
    if connection.vendor == "postgresql":  # json and jsonb columns come back as Python values
        from psycopg.types.json import Jsonb

        found = [tuple(Jsonb(v) if isinstance(v, dict | list) else v for v in row) for row in found]
    return columns, found


def _insert_batch(rows: dict[str, tuple[list[str], list[tuple[Any, ...]]]], batch: int, batches: int) -> None:
    """Batch `batch` of `batches`: that share of every table's rows (rounded up: a table of one row, the
    tenant, goes in the first), in one transaction."""
    from django.db import connection, transaction

    from kotacerdas.core.bulk import bulk_insert

    with transaction.atomic(), connection.cursor() as cursor:
        for table, (columns, found) in rows.items():
            share = found[-(-len(found) * batch // batches) : -(-len(found) * (batch + 1) // batches)]
            if share:
                bulk_insert(cursor, table, columns, share)


if __name__ == "__main__":
    main()
