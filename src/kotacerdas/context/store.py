"""Persistence of entities: the current state, its query index, and the attribute history.

Writes go through `save_many`, which handles one entity or a batch of thousands with a constant number of
statements (bulk inserts with executemany), so single requests and batch operations share one path.
Queries (`selection`) are answered in two steps: SQL narrows the candidates with the index (type rows,
value rows, location bounding box), then, where the SQL translation is not exact, the pure evaluators
(`matches` here: query.matches, GeoQuery.matches) decide. They define the meaning; SQL only makes it fast.
"""

from __future__ import annotations

import dataclasses
import json
import math
import random
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import connection

from kotacerdas.core.bulk import bulk_insert, update_rows

from . import query as ql
from .entities import bbox
from .geo import GeoQuery, parse_geoquery
from .models import AttributeName, Entity, Tenant
from .representation import SYSTEM, instances

INSTANCE_TABLE = "context_attributeinstance"
NULL_URN = "urn:ngsi-ld:null"


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z, as NGSI-LD writes system times."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def to_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def from_ms(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def iso_ms(ms: int) -> str:
    """`iso(from_ms(ms))` in one step (the ingestion path formats one per reading)."""
    return from_ms(ms).isoformat(timespec="microseconds")[:-6] + "Z"


# --- index rows ------------------------------------------------------------------------------------------


def _scalar(value: Any) -> Any:
    if isinstance(value, dict) and "@value" in value:
        return value["@value"]
    return value


def instance_values(instance: Mapping[str, Any]) -> list[Any]:
    """The values of one attribute instance as `q` sees them (lists are flattened)."""
    kind = instance.get("type")
    if kind == "Relationship":
        value = instance.get("object")
    elif kind == "LanguageProperty":
        value = list((instance.get("languageMap") or {}).values())
    elif kind == "JsonProperty":
        value = instance.get("json")
    else:
        value = instance.get("value")
    values = value if isinstance(value, list) else [value]
    return [_scalar(v) for v in values]


def index_rows(stored: Mapping[str, Any]) -> list[tuple[str, float | None, str | None, bool | None]]:
    """(name, number, text, boolean) rows of the value index for an entity: every attribute has at least
    one row, so existence is "a row with this name"."""
    rows = []
    for name, attribute in stored["attrs"].items():
        before = len(rows)
        for instance in instances(attribute):
            for value in instance_values(instance):
                if isinstance(value, bool):
                    rows.append((name, None, None, value))
                elif isinstance(value, int | float):
                    rows.append((name, finite(value), str(value)[:512], None))
                elif isinstance(value, str):
                    rows.append((name, None, value[:512], None))
        if len(rows) == before:
            rows.append((name, None, None, None))  # no scalar value: a row for existence
    return rows


def finite(value: float) -> float | None:
    """The value as a double, None when it is beyond one (or not finite)."""
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def location_box(stored: Mapping[str, Any]) -> tuple[float | None, ...]:
    found = stored["attrs"].get("https://uri.etsi.org/ngsi-ld/location")
    if found is None:
        return (None, None, None, None)
    try:
        return bbox(instances(found)[0]["value"])
    except (KeyError, TypeError, ValueError):
        return (None, None, None, None)


# --- writing ---------------------------------------------------------------------------------------------


@dataclass
class Change:
    """One entity write: the new stored state (None when deleted), the old one, and changed attributes."""

    stored: dict[str, Any] | None
    old: dict[str, Any] | None = None
    changed: dict[str, Any] = field(default_factory=dict)  # name → new attribute (for history)
    deleted_attrs: list[str] = field(default_factory=list)
    key: int | None = None  # Entity.pk once saved


def stamp(stored: dict[str, Any], old: Mapping[str, Any] | None, now: datetime) -> dict[str, str]:
    """Set createdAt/modifiedAt on the entity and every attribute instance; keep earlier createdAt."""
    moment = iso(now)
    stored["createdAt"] = old["createdAt"] if old else moment
    stored["modifiedAt"] = moment
    changed = {}
    for name, attribute in stored["attrs"].items():
        previous = {i.get("datasetId"): i for i in instances(old["attrs"].get(name, []))} if old else {}
        for instance in instances(attribute):
            before = previous.get(instance.get("datasetId"))
            created = before.get("createdAt") if before else None
            instance.pop("instanceId", None)
            unchanged = before is not None and _same(before, instance)
            instance["createdAt"] = created or moment
            instance["modifiedAt"] = before["modifiedAt"] if unchanged and before else moment
            if not unchanged:
                changed[name] = attribute
    return changed


def _same(before: Mapping[str, Any], after: Mapping[str, Any]) -> bool:
    strip = ("createdAt", "modifiedAt", "instanceId")
    return {k: v for k, v in before.items() if k not in strip} == {
        k: v for k, v in after.items() if k not in strip
    }


def load(tenant: Tenant, entity_ids: Sequence[str]) -> dict[str, Entity]:
    """The stored entities with these ids (chunked to stay under the database's parameter limit)."""
    found: dict[str, Entity] = {}
    for start in range(0, len(entity_ids), 900):
        chunk = entity_ids[start : start + 900]
        for entity in Entity.objects.filter(tenant=tenant, entity_id__in=chunk):
            found[entity.entity_id] = entity
    return found


def stored_form(entity: Entity) -> dict[str, Any]:
    """The stored dictionary of an Entity row."""
    stored = {
        "id": entity.entity_id,
        "type": entity.types,
        "attrs": entity.data,
        "createdAt": iso(entity.created_at),
        "modifiedAt": iso(entity.modified_at),
    }
    if entity.scope is not None:
        stored["scope"] = entity.scope
    return stored


def save_many(tenant: Tenant, changes: Sequence[Change], existing: Mapping[str, Entity]) -> None:
    """Insert, update or delete entities with their index rows and history (caller holds a transaction)."""
    inserts = [c for c in changes if c.stored is not None and c.stored["id"] not in existing]
    updates = [c for c in changes if c.stored is not None and c.stored["id"] in existing]
    deletes = [c for c in changes if c.stored is None]
    with connection.cursor() as cursor:
        if inserts:
            _insert_entities(cursor, tenant, inserts)
        for change in updates:
            change.key = existing[change.stored["id"]].pk if change.stored else None
        if updates:
            _update_entities(cursor, updates)
        for change in deletes:
            change.key = existing[change.old["id"]].pk if change.old else None
        stale = [c.key for c in updates + deletes if c.key is not None]
        retyped = [c for c in updates if c.old is None or c.old.get("type") != (c.stored or {}).get("type")]
        _delete_index(cursor, stale, [c.key for c in retyped + deletes if c.key is not None])
        if deletes:
            Entity.objects.filter(pk__in=[c.key for c in deletes]).delete()
        _insert_index(cursor, tenant, inserts + updates, inserts + retyped)
        write_history(cursor, tenant, changes)
        _widen(tenant, inserts + updates)


def _widen(tenant: Tenant, changes: Sequence[Change]) -> None:
    """Keep Tenant.geo_extent at least as wide as every location written."""
    widths = [
        max(box[2] - box[0], box[3] - box[1])
        for change in changes
        if (box := location_box(change.stored or {}))[0] is not None
    ]
    widest = max(widths, default=0.0)
    if widest > tenant.geo_extent:
        Tenant.objects.filter(pk=tenant.pk, geo_extent__lt=widest).update(geo_extent=widest)
        tenant.geo_extent = widest


def _entity_row(stored: Mapping[str, Any]) -> dict[str, Any]:
    box = location_box(stored)
    return {
        "entity_id": stored["id"],
        "types": stored["type"],
        "data": stored["attrs"],
        "scope": stored.get("scope"),
        "created_at": parse_time(stored["createdAt"]),
        "modified_at": parse_time(stored["modifiedAt"]),
        "min_lon": box[0],
        "min_lat": box[1],
        "max_lon": box[2],
        "max_lat": box[3],
    }


def _columns(stored: Mapping[str, Any]) -> tuple[Any, ...]:
    """types, data, scope, modified_at and the bounding box as database parameters."""
    row = _entity_row(stored)
    return (
        json.dumps(row["types"]),
        json.dumps(row["data"], separators=(",", ":")),
        json.dumps(row["scope"]) if row["scope"] is not None else None,
        connection.ops.adapt_datetimefield_value(row["modified_at"]),
        row["min_lon"],
        row["min_lat"],
        row["max_lon"],
        row["max_lat"],
    )


def _insert_entities(cursor: Any, tenant: Tenant, inserts: Sequence[Change]) -> None:
    params = []
    for change in inserts:
        stored = change.stored or {}
        created = connection.ops.adapt_datetimefield_value(parse_time(stored["createdAt"]))
        params.append((tenant.pk, stored["id"], created, *_columns(stored)))
    cursor.executemany(
        "INSERT INTO context_entity (tenant_id, entity_id, created_at, types, data, scope, modified_at, "
        "min_lon, min_lat, max_lon, max_lat) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        params,
    )
    keys = {}
    ids = [p[1] for p in params]
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        marks = ", ".join(["%s"] * len(chunk))
        cursor.execute(
            f"SELECT entity_id, id FROM context_entity WHERE tenant_id = %s AND entity_id IN ({marks})",  # noqa: S608
            [tenant.pk, *chunk],
        )
        keys.update(cursor.fetchall())
    for change in inserts:
        change.key = keys[(change.stored or {})["id"]]


ENTITY_COLUMNS = (  # what an update writes (`_columns`), with the PostgreSQL types
    ("types", "jsonb"),
    ("data", "jsonb"),
    ("scope", "jsonb"),
    ("modified_at", "timestamptz"),
    ("min_lon", "float8"),
    ("min_lat", "float8"),
    ("max_lon", "float8"),
    ("max_lat", "float8"),
)


def _update_entities(cursor: Any, updates: Sequence[Change]) -> None:
    params = [(*_columns(change.stored or {}), change.key) for change in updates]
    update_rows(cursor, "context_entity", "id", ENTITY_COLUMNS, params)


def _delete_index(cursor: Any, keys: Sequence[int], type_keys: Sequence[int]) -> None:
    """Drop the value index rows of `keys` and the type rows of `type_keys` (entities whose types
    changed or that are deleted; a sensor reading leaves the types as they are)."""
    for table, found in (("context_attributevalue", keys), ("context_entitytype", type_keys)):
        for start in range(0, len(found), 900):
            chunk = list(found[start : start + 900])
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE entity_id IN ({marks})", chunk)  # noqa: S608


def _insert_index(cursor: Any, tenant: Tenant, changes: Sequence[Change], typed: Sequence[Change]) -> None:
    """Value index rows of `changes` (once for each type of the entity), type rows of `typed`."""
    types = [(tenant.pk, c.key, t) for c in typed for t in (c.stored or {})["type"]]
    rows = [(change, index_rows(change.stored or {})) for change in changes]
    numbers = name_keys({row[0] for _, found in rows for row in found}, add=True)
    values = [
        (tenant.pk, change.key, type_iri, numbers[name], *row)
        for change, found in rows
        for type_iri in (change.stored or {})["type"]
        for name, *row in found
    ]
    if types:
        bulk_insert(cursor, "context_entitytype", ("tenant_id", "entity_id", "type_iri"), types)
    if values:
        columns = ("tenant_id", "entity_id", "type_iri", "name_id", "number", "text", "boolean")
        bulk_insert(cursor, "context_attributevalue", columns, values)


def name_keys(names: Iterable[str], add: bool = False) -> dict[str, int]:
    """The numbers of attribute `names` in the value index (`AttributeName`), of those that have one; with
    `add`, the others are numbered first (in the caller's transaction: a rollback takes them back too)."""
    wanted = set(names)
    found = _numbered(wanted)
    missing = sorted(wanted - found.keys())
    if add and missing:
        # in name order, so that concurrent writers take the unique index's locks in the same order
        new = [AttributeName(iri=name) for name in missing]
        AttributeName.objects.bulk_create(new, ignore_conflicts=True)
        found.update(_numbered(missing))
    return found


def _numbered(names: Iterable[str]) -> dict[str, int]:
    names = sorted(names)
    found: dict[str, int] = {}
    for start in range(0, len(names), 500):
        chunk = names[start : start + 500]
        found.update(AttributeName.objects.filter(iri__in=chunk).values_list("iri", "id"))
    return found


# --- history ---------------------------------------------------------------------------------------------


_random = random.SystemRandom()
_fast = random.Random(_random.getrandbits(128))  # seeded from the OS: unique ids, not secrets


def new_instance_id() -> str:
    """A random (version 4 layout) UUID URN for a history instance, cheaper than uuid.uuid4()."""
    return f"urn:ngsi-ld:attribute:instance:{uuid.UUID(int=_fast.getrandbits(128), version=4)}"


def number_of(instance: Mapping[str, Any]) -> float | None:
    value = _scalar(instance.get("value"))
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return finite(value)


def history_rows(tenant_pk: int, key: int, changed: Mapping[str, Any]) -> Iterator[tuple[Any, ...]]:
    """Rows of the instance table for the changed attributes of one entity."""
    for name, attribute in changed.items():
        for instance in instances(attribute):
            observed = instance.get("observedAt") or instance.get("modifiedAt")
            modified = instance.get("modifiedAt") or observed
            yield (
                tenant_pk,
                key,
                name,
                instance.get("datasetId") or "",
                new_instance_id(),
                to_ms(parse_time(observed)),
                to_ms(parse_time(modified)),
                number_of(instance),
                json.dumps(instance, separators=(",", ":")),
            )


def write_history(cursor: Any, tenant: Tenant, changes: Iterable[Change]) -> None:
    rows = [
        row
        for change in changes
        if change.key is not None and change.changed
        for row in history_rows(tenant.pk, change.key, change.changed)
    ]
    insert_history(cursor, rows)


def insert_history(cursor: Any, rows: Sequence[tuple[Any, ...]]) -> None:
    if not rows:
        return
    from .partitions import ensure_partitions

    ensure_partitions(cursor, {row[5] for row in rows})
    columns = (
        "tenant_id",
        "entity_key",
        "attribute",
        "dataset_id",
        "instance_id",
        "observed_ms",
        "modified_ms",
        "number",
        "body",
    )
    bulk_insert(cursor, INSTANCE_TABLE, columns, rows)
    from . import rollups

    rollups.add(cursor, rows)


# --- querying --------------------------------------------------------------------------------------------


@dataclass
class EntityQuery:
    """What GET /entities and POST /entityOperations/query ask for, with names already expanded."""

    ids: list[str] = field(default_factory=list)
    id_pattern: str | None = None
    types: list[str] = field(default_factory=list)
    attrs: list[str] = field(default_factory=list)
    q: ql.Node | None = None
    geo: GeoQuery | None = None
    limit: int = 20
    offset: int = 0
    count: bool = False


def add_filters(spec: EntityQuery, terms: Any, q: str | None, geo: Mapping[str, Any] | None) -> EntityQuery:
    """Parse `q` and a geo-query (georel, geometry, coordinates, geoproperty) into the spec, with attribute
    names expanded by `terms`: the one place requests and subscriptions turn text filters into a query."""
    if q:
        spec.q = ql.rename(ql.parse(q), lambda path: _expand_path(path, terms))
    if geo:
        parsed = parse_geoquery(
            geo.get("georel"), geo.get("geometry"), geo.get("coordinates"), geo.get("geoproperty")
        )
        if parsed is not None:
            spec.geo = dataclasses.replace(parsed, geoproperty=terms.expand(parsed.geoproperty))
    return spec


def _expand_path(path: ql.Path, terms: Any) -> ql.Path:
    names = tuple(n if (i and n in SYSTEM) else terms.expand(n) for i, n in enumerate(path.names))
    return ql.Path(names, path.keys)


def lookup(stored: Mapping[str, Any]) -> ql.Lookup:
    """The `q` lookup function over a stored entity (names in paths are expanded IRIs)."""

    def find(path: ql.Path) -> list[Any]:
        found: list[Any] = []
        for instance in instances(stored["attrs"].get(path.names[0], [])):
            found.extend(_descend(instance, path.names[1:], path.keys))
        return found

    return find


def _descend(instance: Mapping[str, Any], names: Sequence[str], keys: Sequence[str]) -> list[Any]:
    if names:
        head, rest = names[0], names[1:]
        if head in SYSTEM:
            return _keys([instance[head]], keys) if head in instance and not rest else []
        return [v for sub in instances(instance.get(head, [])) for v in _descend(sub, rest, keys)]
    return _keys(instance_values(instance), keys)


def _keys(values: list[Any], keys: Sequence[str]) -> list[Any]:
    for key in keys:
        values = [v[key] for v in values if isinstance(v, dict) and key in v]
        values = [x for v in values for x in (v if isinstance(v, list) else [v])]
    return [_scalar(v) for v in values]


def matches(stored: Mapping[str, Any], spec: EntityQuery) -> bool:
    """The exact test of one entity against the `q` and geo parts of a query."""
    if spec.q is not None and not ql.matches(spec.q, lookup(stored)):
        return False
    if spec.geo is not None:
        found = stored["attrs"].get(spec.geo.geoproperty)
        return any(
            i.get("type") == "GeoProperty" and spec.geo.matches(i.get("value"))
            for i in instances(found or [])
        )
    return True


def delete_history(key: int, attribute: str | None = None, dataset_id: str | None = None) -> int:
    """Delete the history of an entity (or of one attribute of it, optionally one datasetId)."""
    sql = f"DELETE FROM {INSTANCE_TABLE} WHERE entity_key = %s"  # noqa: S608
    params: list[Any] = [key]
    if attribute is not None:
        sql += " AND attribute = %s"
        params.append(attribute)
    if dataset_id is not None:
        sql += " AND dataset_id = %s"
        params.append(dataset_id)
    from . import rollups

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        removed = int(cursor.rowcount)
        if dataset_id is None or attribute is None:
            rollups.remove(key, attribute)
        else:
            cursor.execute("SELECT tenant_id FROM context_entity WHERE id = %s", [key])
            found = cursor.fetchone()
            rollups.rebuild(cursor, found[0] if found else 0, key, attribute)
        return removed
