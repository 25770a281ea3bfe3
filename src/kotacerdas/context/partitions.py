"""The attribute instance table (temporal history): creation, monthly partitions and retention.

SQLite: one table. PostgreSQL: a table partitioned by RANGE (observed_ms) with one partition per calendar
month (UTC), created on demand before the first insert into that month, and a DEFAULT partition that catches
anything else, so an insert never fails. Retention (KOTACERDAS_NGSI_LD_RETENTION_MONTHS) drops whole
month partitions on PostgreSQL and deletes rows on SQLite.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.db import DatabaseError, connection, transaction

log = logging.getLogger(__name__)
TABLE = "context_attributeinstance"
COLUMNS = """
    tenant_id bigint NOT NULL,
    entity_key bigint NOT NULL,
    attribute varchar(512) NOT NULL,
    dataset_id varchar(512) NOT NULL DEFAULT '',
    instance_id varchar(128) NOT NULL,
    observed_ms bigint NOT NULL,
    modified_ms bigint NOT NULL,
    number double precision NULL,
    body text NOT NULL,
    PRIMARY KEY (entity_key, observed_ms, instance_id)
"""
_known: set[str] = set()


def create_table(cursor: Any, vendor: str) -> None:
    if vendor == "postgresql":
        cursor.execute(f"CREATE TABLE {TABLE} ({COLUMNS}) PARTITION BY RANGE (observed_ms)")
        cursor.execute(f"CREATE TABLE {TABLE}_default PARTITION OF {TABLE} DEFAULT")
    else:
        cursor.execute(f"CREATE TABLE {TABLE} ({COLUMNS})")
    cursor.execute(
        f"CREATE INDEX context_instance_lookup ON {TABLE} (entity_key, attribute, observed_ms, number)"
    )
    cursor.execute(f"CREATE INDEX context_instance_id ON {TABLE} (instance_id)")
    from . import rollups

    rollups.create_table(cursor)


def drop_table(cursor: Any, vendor: str) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
    from . import rollups

    rollups.drop_table(cursor)
    _known.clear()


def forget() -> None:
    """Forget which partitions this process created (after a rolled-back transaction, or a flushed test
    database)."""
    _known.clear()


def month_bounds(ms: int) -> tuple[str, int, int]:
    moment = datetime.fromtimestamp(ms / 1000, tz=UTC)
    start = datetime(moment.year, moment.month, 1, tzinfo=UTC)
    end = datetime(moment.year + (moment.month == 12), moment.month % 12 + 1, 1, tzinfo=UTC)
    return (
        f"{TABLE}_y{start.year}m{start.month:02d}",
        int(start.timestamp() * 1000),
        int(end.timestamp() * 1000),
    )


def ensure_partitions(cursor: Any, observed: Iterable[int]) -> None:
    """Create the month partitions these times fall in (PostgreSQL only; cached per process)."""
    if connection.vendor != "postgresql":
        return
    times = list(observed)
    if not times:
        return
    first = month_bounds(min(times))
    one_month = first[1] <= max(times) < first[2]  # the usual case: a batch within one month
    for name, low, high in {first} if one_month else {month_bounds(ms) for ms in times}:
        if name in _known:
            continue
        try:
            with transaction.atomic():  # a savepoint inside the caller's transaction
                cursor.execute(
                    f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF {TABLE} "
                    f"FOR VALUES FROM ({low}) TO ({high})"
                )
        except DatabaseError:  # e.g. rows of that month already in the default partition: they stay there
            log.warning("partition %s not created; rows of that month go to the default partition", name)
        _known.add(name)


def partitions() -> list[str]:
    """Names of the month partitions (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s ORDER BY c.relname",
            [TABLE],
        )
        return [row[0] for row in cursor.fetchall()]


def prune(months: int, now: datetime | None = None) -> int:
    """Remove history older than `months` whole months; returns partitions dropped or rows deleted."""
    now = now or datetime.now(UTC)
    index = now.year * 12 + now.month - 1 - months
    cutoff = int(datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC).timestamp() * 1000)
    removed = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for name in partitions():
                if name.endswith("_default"):
                    continue
                year, month = int(name[-7:-3]), int(name[-2:])
                if int(datetime(year, month, 1, tzinfo=UTC).timestamp() * 1000) < cutoff:
                    cursor.execute(f"DROP TABLE {name}")
                    _known.discard(name)
                    removed += 1
        cursor.execute(f"DELETE FROM {TABLE} WHERE observed_ms < %s", [cutoff])  # noqa: S608
        removed += max(cursor.rowcount, 0)
        from . import rollups

        rollups.prune(cursor, cutoff)
    return removed
