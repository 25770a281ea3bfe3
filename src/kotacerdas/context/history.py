"""The temporal API (GS CIM 009 §5.6.10–12, §5.7.3–4): reading, aggregating and editing attribute history.

Aggregation over fixed-length periods (PT…, P…D, P…W) is pushed down to SQL (one GROUP BY over the
covering index); calendar periods (months, years) and distinctCount run through the pure
`temporal.aggregate`, which defines the meaning both paths must agree on (tests compare them).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from . import rollups, store, temporal
from .errors import bad_data, not_found
from .jsonld import TermMap
from .models import Entity, Tenant
from .observations import is_newer
from .representation import expand_attribute
from .store import INSTANCE_TABLE, Change, from_ms, iso, parse_time, to_ms

TIMERELS = ("before", "after", "between")
TIME_COLUMNS = {"observedAt": "observed_ms", "modifiedAt": "modified_ms", "createdAt": "modified_ms"}
SQL_METHODS = {"totalCount", "sum", "avg", "min", "max", "stddev", "sumsq"}


@dataclass(frozen=True)
class TemporalQuery:
    """The time window and shape of a temporal request."""

    timerel: str | None = None
    time_at: int | None = None  # epoch ms
    end_time_at: int | None = None
    timeproperty: str = "observedAt"
    last_n: int | None = None
    attrs: frozenset[str] | None = None  # expanded

    def bounds(self) -> tuple[int | None, int | None]:
        """[low, high) in epoch ms (None: open)."""
        if self.timerel == "before":
            return None, self.time_at
        if self.timerel == "after":
            return self.time_at, None
        if self.timerel == "between":
            return self.time_at, self.end_time_at
        return None, None


def parse_temporal_query(
    timerel: str | None,
    time_at: str | None,
    end_time_at: str | None,
    timeproperty: str | None,
    last_n: str | None,
) -> TemporalQuery:
    """Validate temporal parameters (BadRequestData for anything wrong)."""
    if timerel is not None and timerel not in TIMERELS:
        raise bad_data(f"timerel must be one of {', '.join(TIMERELS)}")
    if timerel and not time_at:
        raise bad_data("timerel needs timeAt")
    if timerel == "between" and not end_time_at:
        raise bad_data("timerel=between needs endTimeAt")
    start = _ms(time_at, "timeAt") if time_at else None
    end = _ms(end_time_at, "endTimeAt") if end_time_at else None
    if start is not None and end is not None and timerel == "between" and end <= start:
        raise bad_data("endTimeAt must be after timeAt")
    prop = timeproperty or "observedAt"
    if prop not in TIME_COLUMNS:
        raise bad_data("timeproperty must be observedAt, createdAt or modifiedAt")
    n = None
    if last_n is not None:
        if not last_n.isdigit() or int(last_n) < 1:
            raise bad_data("lastN must be a positive integer")
        n = int(last_n)
    return TemporalQuery(timerel, start, end, prop, n)


def _ms(text: str, name: str) -> int:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise bad_data(f"{name} must be an ISO 8601 date-time; got {text!r}") from exc
    if moment.tzinfo is None:
        raise bad_data(f"{name} needs a time zone (e.g. 2026-11-01T00:00:00Z)")
    return to_ms(moment)


def _where(key: int, tq: TemporalQuery, attribute: str | None) -> tuple[str, list[Any]]:
    column = TIME_COLUMNS[tq.timeproperty]
    sql = "entity_key = %s"
    params: list[Any] = [key]
    if attribute is not None:
        sql += " AND attribute = %s"
        params.append(attribute)
    low, high = tq.bounds()
    if low is not None:
        sql += f" AND {column} >= %s"
        params.append(low)
    if high is not None:
        sql += f" AND {column} < %s"
        params.append(high)
    return sql, params


def attribute_names(key: int) -> list[str]:
    """Attributes with history (read from the hourly rollups: one row per hour, not per instance)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT attribute FROM {rollups.TABLE} WHERE entity_key = %s", [key])  # noqa: S608
        return sorted(row[0] for row in cursor.fetchall())


def rows(key: int, attribute: str, tq: TemporalQuery) -> list[tuple[int, str, str]]:
    """(time ms, instance id, body) of one attribute, oldest first (the newest lastN when asked)."""
    column = TIME_COLUMNS[tq.timeproperty]
    where, params = _where(key, tq, attribute)
    order = "DESC" if tq.last_n else "ASC"
    sql = f"SELECT {column}, instance_id, body FROM {INSTANCE_TABLE} WHERE {where} ORDER BY {column} {order}"  # noqa: S608
    if tq.last_n:
        sql += f" LIMIT {int(tq.last_n)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    return list(reversed(found)) if tq.last_n else found


def _names(key: int, tq: TemporalQuery) -> list[str]:
    if tq.attrs is not None:
        return sorted(tq.attrs)  # attributes without history are left out of the answer by the caller
    return attribute_names(key)


def temporal_entity(
    entity: Entity,
    terms: TermMap,
    tq: TemporalQuery,
    mode: str = "normalized",
    methods: Sequence[str] = (),
    period: str | None = None,
) -> dict[str, Any]:
    """The temporal representation of an entity: normalized, temporalValues or aggregatedValues."""
    types = [terms.compact(t) for t in entity.types]
    out: dict[str, Any] = {"id": entity.entity_id, "type": types[0] if len(types) == 1 else types}
    for name in _names(entity.pk, tq):
        if mode == "aggregatedValues":
            aggregated = aggregate(entity.pk, name, tq, methods, period or "")
            if aggregated is not None and any(aggregated.values()):
                out[terms.compact(name)] = {"type": "Property", **aggregated}
            continue
        found = rows(entity.pk, name, tq)
        if not found:
            continue
        bodies = [(json.loads(body), instance_id) for _, instance_id, body in found]
        if mode == "temporalValues":
            out[terms.compact(name)] = _values(bodies)
        else:
            out[terms.compact(name)] = [_instance(body, instance_id, terms) for body, instance_id in bodies]
    return out


def _instance(body: dict[str, Any], instance_id: str, terms: TermMap) -> dict[str, Any]:
    from .representation import compact_attribute

    shown = compact_attribute(body, terms, sys_attrs=False)
    shown["instanceId"] = instance_id
    return shown


def _values(bodies: Sequence[tuple[dict[str, Any], str]]) -> dict[str, Any]:
    kind = bodies[0][0].get("type", "Property")
    key = "objects" if kind == "Relationship" else "values"
    member = "object" if kind == "Relationship" else "value"
    return {
        "type": kind,
        key: [[b.get(member), b.get("observedAt") or b.get("modifiedAt")] for b, _ in bodies],
    }


def _window(key: int, name: str, tq: TemporalQuery) -> tuple[int, int] | None:
    low, high = tq.bounds()
    if low is not None and high is not None:
        return low, high
    column = TIME_COLUMNS[tq.timeproperty]
    where, params = _where(key, tq, name)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN({column}), MAX({column}) FROM {INSTANCE_TABLE} WHERE {where}", params)  # noqa: S608
        first, last = cursor.fetchone()
    if first is None:
        return None
    return (low if low is not None else first), (high if high is not None else last + 1)


def aggregate(
    key: int, name: str, tq: TemporalQuery, methods: Sequence[str], period: str
) -> dict[str, list[list[Any]]] | None:
    """{method: [[value, startAt, endAt], ...]} for one attribute, or None without instances."""
    if not methods or any(m not in temporal.METHODS for m in methods):
        raise bad_data(f"aggrMethods must be a list of {', '.join(temporal.METHODS)}")
    try:
        duration = temporal.parse_duration(period)
    except temporal.TemporalError as exc:
        raise bad_data(str(exc)) from exc
    window = _window(key, name, tq)
    if window is None:
        return None
    low, high = window
    fixed_ms = duration.delta.total_seconds() * 1000
    if duration.months == 0 and set(methods) <= SQL_METHODS and fixed_ms == int(fixed_ms):
        if (high - low) / fixed_ms > temporal.MAX_PERIODS:
            raise bad_data(f"more than {temporal.MAX_PERIODS} periods: choose a longer aggrPeriodDuration")
        size = int(fixed_ms)
        if rollups.usable(low, high, size, methods, tq.timeproperty):
            return _results(rollups.buckets(key, name, low, high, size), methods, low, high, size)
        return _aggregate_sql(key, name, tq, methods, low, high, size)
    values = [(from_ms(ms), json.loads(body).get("value")) for ms, _, body in rows(key, name, tq)]
    try:
        return temporal.aggregate(values, methods, period, from_ms(low), from_ms(high))
    except temporal.TemporalError as exc:
        raise bad_data(str(exc)) from exc


def _aggregate_sql(
    key: int, name: str, tq: TemporalQuery, methods: Sequence[str], low: int, high: int, size: int
) -> dict[str, list[list[Any]]]:
    column = TIME_COLUMNS[tq.timeproperty]
    window = TemporalQuery("between", low, high, tq.timeproperty)
    where, params = _where(key, window, name)
    sql = (
        f"SELECT ({column} - %s) / %s AS bucket, COUNT(*), COUNT(number), SUM(number), MIN(number), "  # noqa: S608
        # squares of |x| < 1e-150 underflow, which PostgreSQL reports as an error instead of 0
        f"MAX(number), SUM(CASE WHEN ABS(number) < 1e-150 THEN 0 ELSE number * number END) "
        f"FROM {INSTANCE_TABLE} WHERE {where} "
        "GROUP BY bucket ORDER BY bucket"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [low, size, *params])
        buckets = cursor.fetchall()
    return _results(buckets, methods, low, high, size)


def _results(
    buckets: Sequence[Sequence[Any]], methods: Sequence[str], low: int, high: int, size: int
) -> dict[str, list[list[Any]]]:
    """Method rows from (bucket, total, numbers, sum, min, max, sum of squares) tuples."""
    result: dict[str, list[list[Any]]] = {m: [] for m in methods}
    for bucket, total, count, total_sum, low_value, high_value, squares in buckets:
        start = low + int(bucket) * size
        span = [temporal.iso_time(from_ms(start)), temporal.iso_time(from_ms(min(start + size, high)))]
        computed = {"totalCount": total}
        if count:
            mean = total_sum / count
            computed.update(
                sum=total_sum,
                avg=mean,
                min=low_value,
                max=high_value,
                sumsq=squares,
                stddev=math.sqrt(max(squares / count - mean * mean, 0.0)),
            )
        for method in methods:
            if method in computed:
                result[method].append([computed[method], *span])
    return result


# --- writes ----------------------------------------------------------------------------------------------


def _history_entity(entity: Any, terms: TermMap) -> tuple[str, list[str], dict[str, list[dict[str, Any]]]]:
    """Validate a temporal entity body: attributes are arrays of instances, each with observedAt."""
    from .services import validated_entity

    if not isinstance(entity, dict):
        raise bad_data("a temporal entity is a JSON object")
    attrs: dict[str, list[dict[str, Any]]] = {}
    for name, value in entity.items():
        if name in ("id", "type", "@context", "scope"):
            continue
        found = value if isinstance(value, list) else [value]
        for instance in found:
            if not isinstance(instance, dict) or "observedAt" not in instance:
                raise bad_data(f"{name}: each temporal instance needs observedAt")
            probe = {"id": entity.get("id"), "type": entity.get("type"), name: instance}
            stored = validated_entity(probe, terms)
            attrs.setdefault(terms.expand(name), []).append(stored["attrs"][terms.expand(name)])
    head = validated_entity({"id": entity.get("id"), "type": entity.get("type")}, terms)
    return head["id"], head["type"], attrs


def add_instances(tenant: Tenant, body: Any, terms: TermMap, entity_id: str | None = None) -> bool:
    """POST /temporal/entities (entity_id None) or /temporal/entities/{id}/attrs. True when created."""
    if entity_id is not None:
        existing = Entity.objects.filter(tenant=tenant, entity_id=entity_id).first()
        if existing is None:
            raise not_found(f"there is no entity {entity_id}")
        body = (
            {**body, "id": entity_id, "type": terms.compact(existing.types[0])}
            if isinstance(body, dict)
            else body
        )
    new_id, types, attrs = _history_entity(body, terms)
    now = timezone.now()
    with transaction.atomic():
        existing_map = store.load(tenant, [new_id])
        entity = existing_map.get(new_id)
        old = store.stored_form(entity) if entity else None
        current = dict(old["attrs"]) if old else {}
        for name, found in attrs.items():
            newest = max(found, key=lambda i: i["observedAt"])
            if is_newer(newest, current.get(name)):
                current[name] = dict(newest)
        new = {"id": new_id, "type": sorted(set(types) | set(old["type"] if old else [])), "attrs": current}
        store.stamp(new, old, now)
        change = Change(new, old, {})
        store.save_many(tenant, [change], existing_map)
        with connection.cursor() as cursor:
            rows_ = [
                row
                for name, found in attrs.items()
                for row in store.history_rows(
                    tenant.pk, change.key or 0, {name: [_stamped(i, now) for i in found]}
                )
            ]
            store.insert_history(cursor, rows_)
    return old is None


def _stamped(instance: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    return {**instance, "modifiedAt": iso(now)}


def _entity(tenant: Tenant, entity_id: str) -> Entity:
    entity = Entity.objects.filter(tenant=tenant, entity_id=entity_id).first()
    if entity is None:
        raise not_found(f"there is no entity {entity_id}")
    return entity


def delete_attribute_history(
    tenant: Tenant, entity_id: str, name: str, dataset_id: str | None, delete_all: bool
) -> None:
    entity = _entity(tenant, entity_id)
    removed = store.delete_history(entity.pk, name, None if delete_all else (dataset_id or ""))
    if not removed:
        raise not_found("the entity has no history for that attribute")


def _instance_row(entity: Entity, name: str, instance_id: str) -> tuple[int, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT observed_ms, body FROM {INSTANCE_TABLE} WHERE entity_key = %s AND attribute = %s "  # noqa: S608
            "AND instance_id = %s",
            [entity.pk, name, instance_id],
        )
        row = cursor.fetchone()
    if row is None:
        raise not_found(f"there is no instance {instance_id} of that attribute")
    return int(row[0]), str(row[1])


def delete_instance(tenant: Tenant, entity_id: str, name: str, instance_id: str) -> None:
    entity = _entity(tenant, entity_id)
    observed, _ = _instance_row(entity, name, instance_id)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {INSTANCE_TABLE} WHERE entity_key = %s AND observed_ms = %s AND instance_id = %s",  # noqa: S608
            [entity.pk, observed, instance_id],
        )
        rollups.rebuild(cursor, tenant.pk, entity.pk, name, [observed])


def patch_instance(
    tenant: Tenant, entity_id: str, attr: str, instance_id: str, fragment: Any, terms: TermMap
) -> None:
    """PATCH one history instance: its members are merged; observedAt may move it in time."""
    name = terms.expand(attr)
    entity = _entity(tenant, entity_id)
    observed, body = _instance_row(entity, name, instance_id)
    if not isinstance(fragment, dict):
        raise bad_data("the body must be a JSON object (the instance's members)")
    members = fragment.get(attr, fragment)
    members = members[0] if isinstance(members, list) and members else members
    if not isinstance(members, dict):
        raise bad_data("the body must hold the attribute instance's members")
    patched = {
        **json.loads(body),
        **expand_attribute({k: v for k, v in members.items() if k != "instanceId"}, terms),
    }
    from .services import validated_entity

    validated_entity({"id": entity_id, "type": "Probe", attr: patched}, terms)
    new_observed = to_ms(parse_time(patched.get("observedAt") or patched["modifiedAt"]))
    number = store.number_of(patched)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {INSTANCE_TABLE} WHERE entity_key = %s AND observed_ms = %s AND instance_id = %s",  # noqa: S608
            [entity.pk, observed, instance_id],
        )
        rollups.rebuild(cursor, tenant.pk, entity.pk, name, [observed])
        store.insert_history(
            cursor,
            [
                (
                    tenant.pk,
                    entity.pk,
                    name,
                    patched.get("datasetId") or "",
                    instance_id,
                    new_observed,
                    to_ms(timezone.now()),
                    number,
                    json.dumps(patched, separators=(",", ":")),
                )
            ],
        )
