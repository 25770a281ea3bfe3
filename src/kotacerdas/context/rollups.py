"""Hourly rollups of the attribute history, so aggregations over long windows read 720 rows, not a million.

One row per (entity, attribute, UTC hour) with count, numeric count, sum, sum of squares, min and max,
kept in step with the instance table: added to on every insert (an upsert), rebuilt from the raw instances
for the hours an instance patch or delete touches, removed with the history. `history.aggregate` uses them
when the window and the period are whole hours and every method can be derived (all but distinctCount);
otherwise it aggregates the raw instances. Tests check both paths against the pure `temporal.aggregate`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection

from kotacerdas.core.bulk import row_source

TABLE = "context_attributerollup"
HOUR = 3_600_000
COLUMNS = """
    tenant_id bigint NOT NULL,
    entity_key bigint NOT NULL,
    attribute varchar(512) NOT NULL,
    hour_ms bigint NOT NULL,
    total bigint NOT NULL,
    numbers bigint NOT NULL,
    sum_value double precision NULL,
    sum_squares double precision NULL,
    min_value double precision NULL,
    max_value double precision NULL,
    PRIMARY KEY (entity_key, attribute, hour_ms)
"""
Cell = list[Any]  # [total, numbers, sum, sum of squares, min, max]
TYPES = ("bigint", "bigint", "text", "bigint", "bigint", "bigint", "float8", "float8", "float8", "float8")


def create_table(cursor: Any) -> None:
    cursor.execute(f"CREATE TABLE {TABLE} ({COLUMNS})")


def drop_table(cursor: Any) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def _square(value: float) -> float:
    return 0.0 if abs(value) < 1e-150 else value * value


def _cells(rows: Iterable[tuple[int, float | None]]) -> dict[int, Cell]:
    """Hour → cell for (observed ms, number) pairs."""
    cells: dict[int, Cell] = {}
    for observed, number in rows:
        cell = cells.setdefault(observed - observed % HOUR, [0, 0, None, None, None, None])
        cell[0] += 1
        if number is not None:
            cell[1] += 1
            cell[2] = number if cell[2] is None else cell[2] + number
            cell[3] = _square(number) if cell[3] is None else cell[3] + _square(number)
            cell[4] = number if cell[4] is None else min(cell[4], number)
            cell[5] = number if cell[5] is None else max(cell[5], number)
    return cells


def add(cursor: Any, rows: Sequence[tuple[Any, ...]]) -> None:
    """Fold new instance rows (in the instance table's column order) into the rollups."""
    grouped: dict[tuple[int, int, str], list[tuple[int, float | None]]] = {}
    for tenant, key, attribute, _dataset, _instance, observed, _modified, number, _body in rows:
        grouped.setdefault((tenant, key, attribute), []).append((observed, number))
    params = [
        (tenant, key, attribute, hour, *cell)
        for (tenant, key, attribute), pairs in grouped.items()
        for hour, cell in _cells(pairs).items()
    ]
    if not params:
        return
    t = TABLE
    if connection.vendor == "postgresql":  # one statement over all the rows, not a round trip per row
        source, arguments = row_source(TYPES, params)
        source, run = f"SELECT * FROM {source} AS v", cursor.execute
    else:
        source, run, arguments = "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", cursor.executemany, params
    run(
        f"INSERT INTO {t} (tenant_id, entity_key, attribute, hour_ms, total, numbers, sum_value, "  # noqa: S608
        f"sum_squares, min_value, max_value) {source} "
        "ON CONFLICT (entity_key, attribute, hour_ms) DO UPDATE SET "
        f"total = {t}.total + excluded.total, numbers = {t}.numbers + excluded.numbers, "
        f"sum_value = COALESCE({t}.sum_value + excluded.sum_value, {t}.sum_value, excluded.sum_value), "
        f"sum_squares = COALESCE({t}.sum_squares + excluded.sum_squares, {t}.sum_squares, "
        "excluded.sum_squares), "
        f"min_value = CASE WHEN {t}.min_value IS NULL OR excluded.min_value < {t}.min_value "
        f"THEN excluded.min_value ELSE {t}.min_value END, "
        f"max_value = CASE WHEN {t}.max_value IS NULL OR excluded.max_value > {t}.max_value "
        f"THEN excluded.max_value ELSE {t}.max_value END",
        arguments,
    )


def rebuild(cursor: Any, tenant: int, key: int, attribute: str, hours: Iterable[int] | None = None) -> None:
    """Recompute the rollups of one attribute (of the given hours, or all) from the raw instances."""
    from .store import INSTANCE_TABLE

    sql = f"SELECT observed_ms, number FROM {INSTANCE_TABLE} WHERE entity_key = %s AND attribute = %s"  # noqa: S608
    delete = f"DELETE FROM {TABLE} WHERE entity_key = %s AND attribute = %s"  # noqa: S608
    params: list[Any] = [key, attribute]
    if hours is not None:
        spans = sorted({h - h % HOUR for h in hours})
        if not spans:
            return
        clause = " AND (" + " OR ".join(["(observed_ms >= %s AND observed_ms < %s)"] * len(spans)) + ")"
        sql += clause
        delete += " AND hour_ms IN (" + ", ".join(["%s"] * len(spans)) + ")"
        cursor.execute(delete, [*params, *spans])
        params += [bound for hour in spans for bound in (hour, hour + HOUR)]
    else:
        cursor.execute(delete, params)
    cursor.execute(sql, params)
    cells = _cells(cursor.fetchall())
    cursor.executemany(
        f"INSERT INTO {TABLE} (tenant_id, entity_key, attribute, hour_ms, total, numbers, sum_value, "  # noqa: S608
        "sum_squares, min_value, max_value) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [(tenant, key, attribute, hour, *cell) for hour, cell in cells.items()],
    )


def remove(key: int, attribute: str | None = None) -> None:
    """Drop the rollups of an entity (or one attribute of it)."""
    sql = f"DELETE FROM {TABLE} WHERE entity_key = %s"  # noqa: S608
    params: list[Any] = [key]
    if attribute is not None:
        sql += " AND attribute = %s"
        params.append(attribute)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def prune(cursor: Any, cutoff_ms: int) -> None:
    cursor.execute(f"DELETE FROM {TABLE} WHERE hour_ms < %s", [cutoff_ms - cutoff_ms % HOUR])  # noqa: S608


def buckets(key: int, attribute: str, low: int, high: int, size: int) -> list[tuple[int, int, int, Any, ...]]:
    """(bucket, total, numbers, sum, min, max, sum of squares) per period of `size` ms from `low`."""
    sql = (
        # SUM of bigint is numeric on PostgreSQL: cast back, so the counts stay integers
        f"SELECT (hour_ms - %s) / %s AS bucket, CAST(SUM(total) AS bigint), CAST(SUM(numbers) AS bigint), "  # noqa: S608
        "SUM(sum_value), "
        f"MIN(min_value), MAX(max_value), SUM(sum_squares) FROM {TABLE} "
        "WHERE entity_key = %s AND attribute = %s AND hour_ms >= %s AND hour_ms < %s "
        "GROUP BY bucket ORDER BY bucket"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [low, size, key, attribute, low, high])
        return list(cursor.fetchall())


def usable(low: int, high: int, size: int, methods: Sequence[str], timeproperty: str) -> bool:
    """Whether an aggregation can be answered from the hourly rollups."""
    return (
        timeproperty == "observedAt"
        and low % HOUR == 0
        and high % HOUR == 0
        and size % HOUR == 0
        and "distinctCount" not in methods
    )
