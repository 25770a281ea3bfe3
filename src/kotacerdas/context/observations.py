"""Sensor readings into the context store: the fast write path of device ingestion (issue #6).

A batch of `Observation`s (one measured value of one attribute of one entity at one time) becomes, in the
caller's transaction: the entity's current value of each attribute (the newest observation wins; an older
one never overwrites a newer one), its query index, and one temporal instance per observation. Instances
have a deterministic id derived from (entity, attribute, observedAt), so a redelivered message writes
nothing twice: ingestion is idempotent on entity/attribute/observedAt. Subscriptions fire as for any update.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection
from django.utils import timezone

from . import store
from .models import Tenant
from .representation import instances
from .store import INSTANCE_TABLE, Change, iso

_NAMESPACE = uuid.UUID("6f1f3a52-1f5e-4c1b-9f55-5a0c3e1d7b10")


@dataclass(frozen=True)
class Observation:
    """One value of one attribute of one entity at one time (names are expanded IRIs)."""

    entity_id: str
    entity_type: str
    attribute: str
    value: Any
    observed_ms: int
    unit_code: str | None = None
    kind: str = "Property"  # or "GeoProperty", "Relationship"


@dataclass
class Written:
    """What a batch changed: per entity, its stored state after the write, and the instances kept."""

    entities: dict[str, dict[str, Any]]
    new_instances: int
    duplicates: int


def instance_id(entity_id: str, attribute: str, observed_ms: int) -> str:
    """The stable id of the instance of this attribute at this time: the name-based UUID (version 5) that
    uuid.uuid5 gives, formatted straight from the SHA-1 digest (several times cheaper)."""
    name = f"{entity_id}|{attribute}|{observed_ms}".encode()
    h = hashlib.sha1(_NAMESPACE.bytes + name).hexdigest()  # noqa: S324 (an id, not a secret)
    variant = "89ab"[int(h[16], 16) & 3]
    return f"urn:ngsi-ld:attribute:instance:{h[:8]}-{h[8:12]}-5{h[13:16]}-{variant}{h[17:20]}-{h[20:32]}"


def attribute_instance(observation: Observation) -> dict[str, Any]:
    """The stored (expanded) attribute instance of an observation."""
    member = {"Relationship": "object", "GeoProperty": "value"}.get(observation.kind, "value")
    instance: dict[str, Any] = {"type": observation.kind, member: observation.value}
    if observation.unit_code:
        instance["unitCode"] = observation.unit_code
    instance["observedAt"] = store.iso_ms(observation.observed_ms)
    return instance


def is_newer(instance: Mapping[str, Any], current: Any) -> bool:
    """Whether an instance may become the current value: it is not older than the current one."""
    if current is None:
        return True
    before = instances(current)[0]
    return str(before.get("observedAt", "")) <= str(instance["observedAt"])


def _merged(
    old: Mapping[str, Any] | None,
    seed: Mapping[str, Any] | None,
    found: Sequence[tuple[Observation, dict[str, Any]]],
) -> dict[str, Any]:
    """The entity after these observations: seed attributes for a new entity, then the newest values."""
    first = found[0][0]
    if old is None:
        attrs = dict((seed or {}).get("attrs", {}))
        types = sorted({first.entity_type, *((seed or {}).get("type", []))})
    else:
        attrs = dict(old["attrs"])
        types = sorted({*old["type"], first.entity_type})
    for observation, instance in sorted(found, key=lambda pair: pair[0].observed_ms):
        if is_newer(instance, attrs.get(observation.attribute)):
            attrs[observation.attribute] = instance
    return {"id": first.entity_id, "type": types, "attrs": attrs}


def write(
    tenant: Tenant,
    observations: Sequence[Observation],
    seeds: Mapping[str, Mapping[str, Any]] | None = None,
    now: datetime | None = None,
) -> Written:
    """Store a batch of observations (the caller holds the transaction). `seeds` gives, per entity id, the
    stored form ({"type", "attrs"}) a new entity starts from: static attributes, location."""
    now = now or timezone.now()
    built = [(o, attribute_instance(o)) for o in observations]  # each instance is built once
    by_entity: dict[str, list[tuple[Observation, dict[str, Any]]]] = defaultdict(list)
    for pair in built:
        by_entity[pair[0].entity_id].append(pair)
    existing = store.load(tenant, list(by_entity))
    changes = []
    for entity_id, found in by_entity.items():
        entity = existing.get(entity_id)
        old = store.stored_form(entity) if entity is not None else None
        new = _merged(old, (seeds or {}).get(entity_id), found)
        changed = store.stamp(new, old, now)
        changes.append((Change(new, old, {}), changed))
    store.save_many(tenant, [c for c, _ in changes], existing)
    kept, duplicates = _write_instances(tenant, [c for c, _ in changes], built, now)
    from .subscriptions import enqueue_for

    for change, changed in changes:
        change.changed = changed
    enqueue_for(tenant, [c for c, _ in changes if c.old is None], "entityCreated")
    enqueue_for(tenant, [c for c, _ in changes if c.old is not None], "entityUpdated")
    return Written({c.stored["id"]: c.stored for c, _ in changes if c.stored}, kept, duplicates)


def _write_instances(
    tenant: Tenant,
    changes: Sequence[Change],
    built: Iterable[tuple[Observation, dict[str, Any]]],
    now: datetime,
) -> tuple[int, int]:
    keys = {c.stored["id"]: c.key for c in changes if c.stored is not None and c.key is not None}
    modified_ms, modified = store.to_ms(now), iso(now)
    rows = {}
    for observation, instance in built:
        ident = instance_id(observation.entity_id, observation.attribute, observation.observed_ms)
        body = {**instance, "modifiedAt": modified}
        rows[ident] = (
            tenant.pk,
            keys[observation.entity_id],
            observation.attribute,
            "",
            ident,
            observation.observed_ms,
            modified_ms,
            store.number_of(body),
            json.dumps(body, separators=(",", ":")),
        )
    with connection.cursor() as cursor:
        times = [row[5] for row in rows.values()]  # observed_ms, part of every instance id
        seen = _stored_ids(cursor, list(rows), min(times, default=0), max(times, default=0))
        fresh = [row for ident, row in rows.items() if ident not in seen]
        store.insert_history(cursor, fresh)
    return len(fresh), len(rows) - len(fresh)


def _stored_ids(cursor: Any, idents: Sequence[str], low_ms: int, high_ms: int) -> set[str]:
    """Which of these instances are stored already. The observed times bound the search, so PostgreSQL
    looks in the months of the batch, not in every partition's index."""
    seen: set[str] = set()
    for start in range(0, len(idents), 900):
        chunk = idents[start : start + 900]
        marks = ", ".join(["%s"] * len(chunk))
        cursor.execute(
            f"SELECT instance_id FROM {INSTANCE_TABLE} WHERE observed_ms BETWEEN %s AND %s"  # noqa: S608
            f" AND instance_id IN ({marks})",
            [low_ms, high_ms, *chunk],
        )
        seen.update(row[0] for row in cursor.fetchall())
    return seen


def current(tenant: Tenant, entity_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The stored form of these entities (for rules that compare against other attributes)."""
    return {entity_id: store.stored_form(e) for entity_id, e in store.load(tenant, entity_ids).items()}
