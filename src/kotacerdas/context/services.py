"""NGSI-LD broker operations: the business rules behind /ngsi-ld/v1 (and behind the CLI, the worker and,
later, device ingestion). Every function takes already-parsed input (TermMap, JSON) and raises NgsiError.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from kotacerdas.regions.models import Region

from . import jsonld, store
from .entities import EntityError, is_uri, validate_entity
from .errors import NgsiError, bad_data, not_found
from .jsonld import TermMap
from .models import Entity, EntityType, JsonLdContext, Tenant
from .representation import (
    drop_nulls,
    expand_attribute,
    expand_entity,
    instances,
    merge_attributes,
)
from .store import Change

DEFAULT_TENANT = ""
_TENANT_NAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


# --- tenants and contexts --------------------------------------------------------------------------------


def _known_tenant(name: str) -> Tenant | None:
    """The tenant of that name; found ones are remembered per process (tenants are never deleted)."""
    tenant = _tenants.get(name)
    if tenant is None:
        tenant = Tenant.objects.filter(name=name).order_by().first()
        if tenant is not None:
            _tenants[name] = tenant
    return tenant


_tenants: dict[str, Tenant] = {}


def forget_tenants() -> None:
    """Empty the per-process tenant cache (tests that flush the database call it)."""
    _tenants.clear()


def tenant_for_read(name: str) -> Tenant:
    """The tenant of a read; NonexistentTenant unless it exists (the default tenant always does)."""
    tenant = _known_tenant(name)
    if tenant is not None:
        return tenant
    if name == DEFAULT_TENANT:
        return tenant_for_write(name)
    raise NgsiError("NonexistentTenant", f"there is no tenant {name!r}; it is created by its first write")


def planned_tenant(name: str) -> Tenant:
    """The tenant a write would go to: the existing one, or an unsaved one (a tenant named by a region code
    belongs to it), so that the permission is checked before anything is created."""
    if name and not _TENANT_NAME.match(name):
        raise bad_data("NGSILD-Tenant may hold letters, digits, '.', '_' and '-' (at most 64)")
    tenant = _known_tenant(name)
    if tenant is None:
        tenant = Tenant(name=name, region=Region.objects.filter(code=name).first() if name else None)
    return tenant


def tenant_for_write(name: str) -> Tenant:
    """The tenant of a write, created on first use."""
    tenant = planned_tenant(name)
    if tenant.pk is None:
        tenant, _ = Tenant.objects.get_or_create(name=name, defaults={"region": tenant.region})
        _tenants[name] = tenant
    return tenant


def cached_context(url: str) -> dict[str, Any] | None:
    """The jsonld ContextSource: contexts kept in the database (preloaded, hosted or fetched earlier)."""
    try:
        row = JsonLdContext.objects.filter(url=url).values_list("body", flat=True).first()
    except Exception:  # the table may not exist yet (before migrate)
        return None
    return dict(row) if row is not None else None


def store_fetched_contexts() -> None:
    """Keep contexts fetched from the network during this request, so the next use is offline."""
    for url, document in jsonld.take_fetched():
        JsonLdContext.objects.update_or_create(
            url=url, defaults={"body": document, "kind": JsonLdContext.Kind.CACHED}
        )


def save_context(url: str, document: Any, kind: str = JsonLdContext.Kind.HOSTED) -> JsonLdContext:
    """Validate and keep a context document under a URL (offline preload, or POST /jsonldContexts)."""
    try:
        jsonld.validate_context_document(document)
    except jsonld.InvalidContext as exc:
        raise bad_data(f"not a usable JSON-LD context: {exc}") from exc
    row, _ = JsonLdContext.objects.update_or_create(url=url, defaults={"body": document, "kind": kind})
    jsonld.term_map.cache_clear()
    return row


# --- single entities ------------------------------------------------------------------------------------


MAX_IRI = 512


def validated_entity(entity: Any, terms: TermMap) -> dict[str, Any]:
    """A compact entity validated (400 BadRequestData) and expanded to the stored form."""
    try:
        validate_entity(entity)
    except EntityError as exc:
        raise bad_data(str(exc)) from exc
    stored = expand_entity(entity, terms)
    too_long = [n for n in [stored["id"], *stored["type"], *stored["attrs"]] if len(n) > MAX_IRI]
    if too_long:
        raise bad_data(
            f"ids, types and attribute names may expand to at most {MAX_IRI} characters: {too_long[0][:80]}…"
        )
    return stored


def _fragment(attrs: Any, terms: TermMap) -> dict[str, Any]:
    """Attributes of a PATCH/POST attrs body, validated and expanded (entity members are ignored)."""
    if not isinstance(attrs, dict):
        raise bad_data("the body must be a JSON object of attributes")
    probe = {k: v for k, v in attrs.items() if k not in ("id", "type", "@context")}
    probe.update({"id": "urn:ngsi-ld:probe:1", "type": "Probe"})
    return validated_entity(probe, terms)["attrs"]


def _get(tenant: Tenant, entity_id: str) -> Entity:
    if not is_uri(entity_id):
        raise bad_data(f"{entity_id!r} is not a URI")
    entity = Entity.objects.filter(tenant=tenant, entity_id=entity_id).first()
    if entity is None:
        raise not_found(f"there is no entity {entity_id}")
    return entity


def retrieve(tenant: Tenant, entity_id: str) -> dict[str, Any]:
    return store.stored_form(_get(tenant, entity_id))


def _commit(tenant: Tenant, changes: list[Change], existing: Mapping[str, Entity], trigger: str) -> None:
    from .subscriptions import enqueue_for

    store.save_many(tenant, changes, existing)
    enqueue_for(tenant, changes, trigger)


def create(tenant: Tenant, entity: Any, terms: TermMap) -> str:
    """Create one entity (AlreadyExists when the id is taken); returns its id."""
    stored = validated_entity(entity, terms)
    changed = store.stamp(stored, None, timezone.now())
    try:
        with transaction.atomic():
            _commit(tenant, [Change(stored, None, changed)], {}, "entityCreated")
    except IntegrityError as exc:  # the unique (tenant, entity id) constraint: no check-then-insert race
        raise NgsiError("AlreadyExists", f"the entity {stored['id']} already exists") from exc
    return str(stored["id"])


def _rewrite(
    tenant: Tenant, entity_id: str, build: Callable[[dict[str, Any]], dict[str, Any]], trigger: str
) -> dict[str, Any]:
    """Load an entity, let `build` make the new stored form, stamp and save it. Returns the old form."""
    with transaction.atomic():
        entity = _get(tenant, entity_id)
        old = store.stored_form(entity)
        new = build(old)
        changed = store.stamp(new, old, timezone.now())
        deleted = [n for n in old["attrs"] if n not in new["attrs"]]
        _commit(tenant, [Change(new, old, changed, deleted)], {entity_id: entity}, trigger)
    return old


def replace(tenant: Tenant, entity_id: str, entity: Any, terms: TermMap) -> None:
    """PUT /entities/{id}: the body replaces the entity (its id, if given, must match)."""
    if isinstance(entity, dict):
        if entity.get("id", entity_id) != entity_id:
            raise bad_data("the id in the body differs from the id in the URL")
        entity = {**entity, "id": entity_id}
    stored = validated_entity(entity, terms)
    _rewrite(tenant, entity_id, lambda old: stored, "entityUpdated")


def merge(tenant: Tenant, entity_id: str, fragment: Any, terms: TermMap) -> None:
    """PATCH /entities/{id} (merge-patch): attributes are replaced or added; urn:ngsi-ld:null removes."""
    if isinstance(fragment, dict) and fragment.get("id", entity_id) != entity_id:
        raise bad_data("the id in the body differs from the id in the URL")
    attrs = _fragment(fragment, terms)

    def build(old: dict[str, Any]) -> dict[str, Any]:
        merged, _, _ = merge_attributes(old["attrs"], attrs)
        return {**old, "attrs": drop_nulls(merged)}

    _rewrite(tenant, entity_id, build, "entityUpdated")


@dataclass
class UpdateResult:
    updated: list[str] = field(default_factory=list)
    not_updated: list[dict[str, str]] = field(default_factory=list)


def append_attrs(
    tenant: Tenant, entity_id: str, fragment: Any, terms: TermMap, overwrite: bool = True
) -> UpdateResult:
    """POST /entities/{id}/attrs: add attributes (noOverwrite keeps existing ones)."""
    attrs = _fragment(fragment, terms)
    result = UpdateResult()

    def build(old: dict[str, Any]) -> dict[str, Any]:
        merged, updated, skipped = merge_attributes(old["attrs"], attrs, overwrite)
        result.updated = [terms.compact(n) for n in dict.fromkeys(updated)]
        result.not_updated = [
            {"attributeName": terms.compact(n), "reason": "attribute exists and options=noOverwrite"}
            for n in dict.fromkeys(skipped)
        ]
        return {**old, "attrs": merged}

    _rewrite(tenant, entity_id, build, "entityUpdated")
    return result


def update_attrs(tenant: Tenant, entity_id: str, fragment: Any, terms: TermMap) -> UpdateResult:
    """PATCH /entities/{id}/attrs: update existing attributes only; others are reported as not updated."""
    attrs = _fragment(fragment, terms)
    result = UpdateResult()

    def build(old: dict[str, Any]) -> dict[str, Any]:
        present = {n: a for n, a in attrs.items() if n in old["attrs"]}
        result.not_updated = [
            {"attributeName": terms.compact(n), "reason": "the entity has no such attribute"}
            for n in attrs
            if n not in present
        ]
        merged, updated, _ = merge_attributes(old["attrs"], present)
        result.updated = [terms.compact(n) for n in dict.fromkeys(updated)]
        return {**old, "attrs": merged}

    _rewrite(tenant, entity_id, build, "entityUpdated")
    return result


def _require_attribute(old: Mapping[str, Any], name: str, dataset_id: str | None, label: str) -> list[Any]:
    found = instances(old["attrs"].get(name, []))
    if not found or (dataset_id is not None and all(i.get("datasetId") != dataset_id for i in found)):
        raise not_found(
            f"the entity has no attribute {label}" + (f" with datasetId {dataset_id}" if dataset_id else "")
        )
    return found


def patch_attr(tenant: Tenant, entity_id: str, attr: str, fragment: Any, terms: TermMap) -> None:
    """PATCH /entities/{id}/attrs/{attrId}: partial update of one attribute (members merged)."""
    name = terms.expand(attr)
    if not isinstance(fragment, dict):
        raise bad_data("the body must be a JSON object (the attribute's members)")

    def build(old: dict[str, Any]) -> dict[str, Any]:
        dataset_id = fragment.get("datasetId")
        found = _require_attribute(old, name, dataset_id, attr)
        target = next(i for i in found if i.get("datasetId") == dataset_id)
        patched = {**target, **expand_attribute({k: v for k, v in fragment.items()}, terms)}
        validated_entity({"id": "urn:ngsi-ld:probe:1", "type": "Probe", attr: patched}, terms)
        merged, _, _ = merge_attributes(old["attrs"], {name: patched})
        return {**old, "attrs": merged}

    _rewrite(tenant, entity_id, build, "entityUpdated")


def replace_attr(tenant: Tenant, entity_id: str, attr: str, fragment: Any, terms: TermMap) -> None:
    """PUT /entities/{id}/attrs/{attrId}: replace one attribute (it must exist)."""
    name = terms.expand(attr)
    attrs = _fragment({attr: fragment}, terms)

    def build(old: dict[str, Any]) -> dict[str, Any]:
        _require_attribute(old, name, None, attr)
        return {**old, "attrs": {**old["attrs"], name: attrs[name]}}

    _rewrite(tenant, entity_id, build, "entityUpdated")


def delete_attr(
    tenant: Tenant, entity_id: str, attr: str, terms: TermMap, dataset_id: str | None, delete_all: bool
) -> None:
    """DELETE /entities/{id}/attrs/{attrId} (one datasetId, the default instance, or all)."""
    name = terms.expand(attr)

    def build(old: dict[str, Any]) -> dict[str, Any]:
        found = _require_attribute(old, name, dataset_id, attr)
        if delete_all:
            kept = []
        else:
            if dataset_id is None and all(i.get("datasetId") for i in found):
                raise not_found(f"the attribute {attr} has no default instance (give datasetId or deleteAll)")
            kept = [i for i in found if i.get("datasetId") != dataset_id]
        attrs = dict(old["attrs"])
        if kept:
            attrs[name] = kept if len(kept) > 1 else kept[0]
        else:
            attrs.pop(name)
        return {**old, "attrs": attrs}

    _rewrite(tenant, entity_id, build, "attributeDeleted")


def delete(tenant: Tenant, entity_id: str) -> None:
    """DELETE /entities/{id}: the entity and its history go."""
    with transaction.atomic():
        entity = _get(tenant, entity_id)
        old = store.stored_form(entity)
        _commit(tenant, [Change(None, old)], {entity_id: entity}, "entityDeleted")
        store.delete_history(entity.pk)


# --- batch operations -----------------------------------------------------------------------------------


@dataclass
class BatchResult:
    """Outcome of a batch operation: ids that succeeded, created ids, and per-entity errors."""

    success: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    errors: list[tuple[str, NgsiError]] = field(default_factory=list)


BatchMode = str  # "create", "upsert-replace", "upsert-update", "update", "update-noOverwrite", "merge"


def batch_write(
    tenant: Tenant, entities: Any, terms_for: Callable[[Any], TermMap], mode: BatchMode
) -> BatchResult:
    """Batch create/upsert/update/merge of entities in one transaction; invalid entities are reported."""
    if not isinstance(entities, list):
        raise bad_data("the body of a batch operation must be a JSON array")
    result = BatchResult()
    valid: dict[str, dict[str, Any]] = {}
    for position, entity in enumerate(entities):
        label = (
            entity.get("id")
            if isinstance(entity, dict) and isinstance(entity.get("id"), str)
            else f"#{position}"
        )
        try:
            stored = (
                validated_entity(entity, terms_for(entity))
                if mode != "merge"
                else _partial(entity, terms_for)
            )
        except (NgsiError, jsonld.ContextNotAvailable, jsonld.InvalidContext) as exc:
            result.errors.append((label, _as_ngsi(exc)))
            continue
        if stored["id"] in valid:
            result.errors.append((label, bad_data("the same id appears twice in the batch")))
            continue
        valid[stored["id"]] = stored
    now = timezone.now()
    with transaction.atomic():
        existing = store.load(tenant, list(valid))
        changes: list[Change] = []
        for entity_id, stored in valid.items():
            change = _batch_change(stored, existing.get(entity_id), mode, now, result)
            if change is not None:
                changes.append(change)
        created = [c for c in changes if c.old is None]
        updated = [c for c in changes if c.old is not None]
        if created:
            _commit(tenant, created, existing, "entityCreated")
        if updated:
            _commit(tenant, updated, existing, "entityUpdated")
    return result


def _partial(entity: Any, terms_for: Callable[[Any], TermMap]) -> dict[str, Any]:
    if not isinstance(entity, dict) or not is_uri(entity.get("id")):
        raise bad_data("each entity needs an id that is a URI")
    terms = terms_for(entity)
    stored = {"id": entity["id"], "attrs": _fragment(entity, terms)}
    if "type" in entity:
        stored["type"] = validated_entity({"id": entity["id"], "type": entity["type"]}, terms)["type"]
    return stored


def _batch_change(
    stored: dict[str, Any], entity: Entity | None, mode: BatchMode, now: datetime, result: BatchResult
) -> Change | None:
    entity_id = stored["id"]
    if entity is None and mode in ("update", "update-noOverwrite", "merge"):
        result.errors.append((entity_id, not_found(f"there is no entity {entity_id}")))
        return None
    if entity is not None and mode == "create":
        result.errors.append(
            (entity_id, NgsiError("AlreadyExists", f"the entity {entity_id} already exists"))
        )
        return None
    old = store.stored_form(entity) if entity is not None else None
    if old is not None and mode != "upsert-replace":
        overwrite = mode != "update-noOverwrite"
        merged, _, _ = merge_attributes(old["attrs"], stored["attrs"], overwrite)
        types = sorted(set(old["type"]) | set(stored.get("type", [])))
        stored = {**old, "type": types, "attrs": drop_nulls(merged) if mode == "merge" else merged}
    changed = store.stamp(stored, old, now)
    result.success.append(entity_id)
    if old is None:
        result.created.append(entity_id)
    deleted = [n for n in old["attrs"] if n not in stored["attrs"]] if old else []
    return Change(stored, old, changed, deleted)


def batch_delete(tenant: Tenant, ids: Any) -> BatchResult:
    """Batch delete by id; unknown ids are reported as ResourceNotFound."""
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise bad_data("the body of a batch delete must be a JSON array of entity ids")
    result = BatchResult()
    with transaction.atomic():
        existing = store.load(tenant, ids)
        changes = []
        for entity_id in dict.fromkeys(ids):
            entity = existing.get(entity_id)
            if entity is None:
                result.errors.append((entity_id, not_found(f"there is no entity {entity_id}")))
                continue
            changes.append(Change(None, store.stored_form(entity)))
            result.success.append(entity_id)
        if changes:
            _commit(tenant, changes, existing, "entityDeleted")
            for change in changes:
                if change.key is not None:
                    store.delete_history(change.key)
    return result


def _as_ngsi(exc: Exception) -> NgsiError:
    if isinstance(exc, NgsiError):
        return exc
    if isinstance(exc, jsonld.ContextNotAvailable):
        return NgsiError("LdContextNotAvailable", str(exc))
    return bad_data(str(exc))


# --- discovery ------------------------------------------------------------------------------------------


def types_summary(tenant: Tenant) -> dict[str, list[str]]:
    """Each entity type with the attribute names its entities have (expanded)."""
    summary: dict[str, set[str]] = {}
    for types, data in Entity.objects.filter(tenant=tenant).values_list("types", "data").iterator(2000):
        for type_iri in types:
            summary.setdefault(type_iri, set()).update(data)
    return {t: sorted(a) for t, a in sorted(summary.items())}


def type_details(tenant: Tenant, type_iri: str) -> tuple[int, dict[str, set[str]]]:
    """(entity count, attribute name → attribute types) for one entity type."""
    keys = EntityType.objects.filter(tenant=tenant, type_iri=type_iri).values("entity_id")
    count = 0
    attributes: dict[str, set[str]] = {}
    for data in Entity.objects.filter(pk__in=keys).values_list("data", flat=True).iterator(2000):
        count += 1
        for name, attribute in data.items():
            attributes.setdefault(name, set()).update(str(i.get("type")) for i in instances(attribute))
    if not count:
        raise not_found(f"there are no entities of type {type_iri}")
    return count, attributes


def attributes_summary(tenant: Tenant) -> dict[str, dict[str, Any]]:
    """Each attribute name with its entity types, attribute types and number of entities."""
    summary: dict[str, dict[str, Any]] = {}
    for types, data in Entity.objects.filter(tenant=tenant).values_list("types", "data").iterator(2000):
        for name, attribute in data.items():
            entry = summary.setdefault(name, {"types": set(), "attributeTypes": set(), "count": 0})
            entry["types"].update(types)
            entry["attributeTypes"].update(str(i.get("type")) for i in instances(attribute))
            entry["count"] += 1
    return dict(sorted(summary.items()))
