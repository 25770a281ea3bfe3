"""The /ngsi-ld/v1 endpoints: thin handlers that parse parameters and call services, store and history."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from kotacerdas.core.permissions import can

from . import history, jsonld, selection, services, store
from . import subscriptions as subs
from .entities import is_uri
from .errors import NgsiError, bad_data
from .http import GEO_JSON, JSON, LD_JSON, MERGE_PATCH, Call, Reply, methods, ngsi
from .models import Entity, JsonLdContext, Subscription, Tenant
from .representation import RenderOptions, geojson_feature, render
from .store import EntityQuery

BODY = (JSON, LD_JSON)
PATCH_BODY = (JSON, LD_JSON, MERGE_PATCH)
QUERY = {
    "id",
    "type",
    "idPattern",
    "attrs",
    "pick",
    "omit",
    "q",
    "georel",
    "geometry",
    "coordinates",
    "geoproperty",
    "limit",
    "offset",
    "count",
    "options",
    "lang",
    "format",
}
RETRIEVE = {"type", "attrs", "pick", "omit", "options", "lang", "geoproperty", "format"}
TEMPORAL = {"timerel", "timeAt", "endTimeAt", "timeproperty", "lastN", "aggrMethods", "aggrPeriodDuration"}


# --- parameters -----------------------------------------------------------------------------------------


def _list(value: str | None) -> list[str]:
    return [v.strip() for v in re.split(r"[,|]", value or "") if v.strip()]


def _int(call: Call, name: str, default: int, low: int, high: int | None = None) -> int:
    raw = call.params.get(name)
    if raw is None:
        return default
    if not re.fullmatch(r"\d+", raw):
        raise bad_data(f"{name} must be a whole number")
    value = int(raw)
    if value < low:
        raise bad_data(f"{name} must be at least {low}")
    if high is not None and value > high:
        raise NgsiError("TooManyResults", f"{name} may be at most {high}")
    return value


def _readable_types(call: Call, tenant: Tenant) -> set[str] | None:
    """Expanded types the caller may read (None: all)."""
    public = settings.NGSI_LD_PUBLIC_TYPES
    if "*" in public or can(call.user, "context.read_private", tenant):
        return None
    return {call.terms.expand(t) for t in public}


def entity_query(call: Call, source: dict[str, Any], tenant: Tenant) -> EntityQuery:
    """An EntityQuery from GET parameters or a POST /entityOperations/query body (same names)."""
    spec = EntityQuery()
    spec.ids = _list(source.get("id"))
    if not all(is_uri(i) for i in spec.ids):
        raise bad_data("every id must be a URI")
    spec.id_pattern = source.get("idPattern")
    if spec.id_pattern:
        try:
            re.compile(spec.id_pattern)
        except re.error as exc:
            raise bad_data(f"idPattern is not a regular expression: {exc}") from exc
    spec.types = [call.terms.expand(t) for t in _list(source.get("type"))]
    spec.attrs = [call.terms.expand(a) for a in _list(source.get("attrs"))]
    geo_keys = ("georel", "geometry", "coordinates", "geoproperty")
    store.add_filters(spec, call.terms, source.get("q"), {k: source[k] for k in geo_keys if k in source})
    readable = _readable_types(call, tenant)
    if readable is not None:
        spec.types = [t for t in spec.types if t in readable] if spec.types else sorted(readable)
        if not spec.types:
            spec.types = ["urn:kotacerdas:no-readable-type"]
    if not (
        spec.ids or spec.id_pattern or spec.types or spec.attrs or spec.q or spec.geo or source.get("local")
    ):
        raise bad_data("a query needs at least one of id, idPattern, type, attrs, q or a geo-query")
    spec.limit = _int(call, "limit", 20, 0, settings.NGSI_LD_MAX_LIMIT)
    spec.offset = _int(call, "offset", 0, 0)
    spec.count = call.flag("count")
    if spec.limit == 0 and not spec.count:
        raise bad_data("limit=0 is only allowed together with count=true")
    return spec


def render_options(call: Call) -> RenderOptions:
    options = call.options()
    unknown = options - {"keyValues", "concise", "normalized", "sysAttrs", "simplified"}
    if unknown:
        raise bad_data(f"unknown options: {', '.join(sorted(unknown))}")
    key_values = bool(options & {"keyValues", "simplified"}) or call.params.get("format") in (
        "keyValues",
        "simplified",
    )
    pick = set(_list(call.params.get("pick")))
    attrs = set(_list(call.params.get("attrs"))) | (pick - {"id", "type"})
    return RenderOptions(
        key_values=key_values,
        sys_attrs="sysAttrs" in options,
        attrs=frozenset(call.terms.expand(a) for a in attrs) if attrs else None,
        omit=frozenset(call.terms.expand(a) for a in _list(call.params.get("omit"))),
        lang=call.params.get("lang"),
        keep_id=not pick or "id" in pick,
        keep_type=not pick or "type" in pick,
    )


def _entities_reply(call: Call, found: list[dict[str, Any]], total: int | None) -> Reply:
    options = render_options(call)
    headers = {"NGSILD-Results-Count": str(total)} if total is not None else {}
    if call.accept == GEO_JSON:
        geoproperty = call.terms.expand(call.params.get("geoproperty", "location"))
        features = [geojson_feature(s, call.terms, options, geoproperty) for s in found]
        return Reply(200, {"type": "FeatureCollection", "features": features}, headers, context_in_body=False)
    return Reply(200, [render(s, call.terms, options) for s in found], headers)


# --- entities -------------------------------------------------------------------------------------------


@ngsi(QUERY, geo=True)
def query_entities(call: Call) -> Reply:
    tenant = call.read_tenant()
    found, total = selection.run_query(tenant, entity_query(call, dict(call.params), tenant))
    return _entities_reply(call, found, total)


@ngsi({"local"}, body=BODY)
def create_entity(call: Call) -> Reply:
    tenant = call.write_tenant()
    entity_id = services.create(tenant, call.body, call.terms)
    return Reply(201, headers={"Location": f"/ngsi-ld/v1/entities/{entity_id}"})


@ngsi({"type", "q", "idPattern", "id"})
def purge_entities(call: Call) -> Reply:
    tenant = call.write_tenant()
    if not call.params:
        raise bad_data("DELETE /entities needs a query (type, id, idPattern or q)")
    spec = entity_query(call, dict(call.params), tenant)
    spec.limit = settings.NGSI_LD_MAX_LIMIT
    found, _ = selection.run_query(tenant, spec)
    services.batch_delete(tenant, [s["id"] for s in found])
    return Reply(204)


entities = methods(GET=query_entities, POST=create_entity, DELETE=purge_entities)


@ngsi(RETRIEVE, geo=True)
def retrieve_entity(call: Call, entity_id: str) -> Reply:
    tenant = call.read_tenant()
    stored = services.retrieve(tenant, entity_id)
    readable = _readable_types(call, tenant)
    wanted = {call.terms.expand(t) for t in _list(call.params.get("type"))}
    if (readable is not None and not readable & set(stored["type"])) or (
        wanted and not wanted & set(stored["type"])
    ):
        raise NgsiError("ResourceNotFound", f"there is no entity {entity_id} of a type you may read")
    options = render_options(call)
    if call.accept == GEO_JSON:
        geoproperty = call.terms.expand(call.params.get("geoproperty", "location"))
        return Reply(200, geojson_feature(stored, call.terms, options, geoproperty), context_in_body=False)
    return Reply(200, render(stored, call.terms, options))


@ngsi(set(), body=BODY)
def replace_entity(call: Call, entity_id: str) -> Reply:
    services.replace(call.write_tenant(), entity_id, call.body, call.terms)
    return Reply(204)


@ngsi(set(), body=PATCH_BODY)
def merge_entity(call: Call, entity_id: str) -> Reply:
    services.merge(call.write_tenant(), entity_id, call.body, call.terms)
    return Reply(204)


@ngsi({"type"})
def delete_entity(call: Call, entity_id: str) -> Reply:
    services.delete(call.write_tenant(), entity_id)
    return Reply(204)


entity = methods(GET=retrieve_entity, PUT=replace_entity, PATCH=merge_entity, DELETE=delete_entity)


def _update_reply(result: services.UpdateResult) -> Reply:
    if not result.not_updated:
        return Reply(204)
    return Reply(207, {"updated": result.updated, "notUpdated": result.not_updated}, context_in_body=False)


@ngsi({"options"}, body=BODY)
def append_attrs(call: Call, entity_id: str) -> Reply:
    overwrite = "noOverwrite" not in call.options()
    return _update_reply(
        services.append_attrs(call.write_tenant(), entity_id, call.body, call.terms, overwrite)
    )


@ngsi(set(), body=PATCH_BODY)
def update_attrs(call: Call, entity_id: str) -> Reply:
    return _update_reply(services.update_attrs(call.write_tenant(), entity_id, call.body, call.terms))


entity_attrs = methods(POST=append_attrs, PATCH=update_attrs)


@ngsi(set(), body=PATCH_BODY)
def patch_attr(call: Call, entity_id: str, attr: str) -> Reply:
    services.patch_attr(call.write_tenant(), entity_id, attr, call.body, call.terms)
    return Reply(204)


@ngsi(set(), body=BODY)
def replace_attr(call: Call, entity_id: str, attr: str) -> Reply:
    services.replace_attr(call.write_tenant(), entity_id, attr, call.body, call.terms)
    return Reply(204)


@ngsi({"datasetId", "deleteAll"})
def delete_attr(call: Call, entity_id: str, attr: str) -> Reply:
    services.delete_attr(
        call.write_tenant(), entity_id, attr, call.terms, call.params.get("datasetId"), call.flag("deleteAll")
    )
    return Reply(204)


entity_attr = methods(PATCH=patch_attr, PUT=replace_attr, DELETE=delete_attr)


# --- batch ----------------------------------------------------------------------------------------------


def _batch_reply(result: services.BatchResult, success_status: int) -> Reply:
    if not result.errors:
        if success_status == 201:
            return Reply(201, result.created, context_in_body=False) if result.created else Reply(204)
        return Reply(success_status)
    errors = [
        {"entityId": entity_id, "error": error.problem().as_dict()} for entity_id, error in result.errors
    ]
    return Reply(207, {"success": result.success, "errors": errors}, context_in_body=False)


@ngsi(set(), body=BODY)
def batch_create(call: Call) -> Reply:
    result = services.batch_write(call.write_tenant(), call.body, call.terms_for, "create")
    return _batch_reply(result, 201)


@ngsi({"options"}, body=BODY)
def batch_upsert(call: Call) -> Reply:
    options = call.options() or {"replace"}
    if not options <= {"replace", "update"} or len(options) > 1:
        raise bad_data("options must be replace or update")
    mode = "upsert-update" if "update" in options else "upsert-replace"
    return _batch_reply(services.batch_write(call.write_tenant(), call.body, call.terms_for, mode), 201)


@ngsi({"options"}, body=BODY)
def batch_update(call: Call) -> Reply:
    mode = "update-noOverwrite" if "noOverwrite" in call.options() else "update"
    return _batch_reply(services.batch_write(call.write_tenant(), call.body, call.terms_for, mode), 204)


@ngsi(set(), body=BODY)
def batch_merge(call: Call) -> Reply:
    return _batch_reply(services.batch_write(call.write_tenant(), call.body, call.terms_for, "merge"), 204)


@ngsi(set(), body=BODY)
def batch_delete(call: Call) -> Reply:
    return _batch_reply(services.batch_delete(call.write_tenant(), call.body), 204)


def _query_body(call: Call) -> dict[str, Any]:
    body = call.body
    if not isinstance(body, dict) or body.get("type", "Query") != "Query":
        raise bad_data('the body must be a Query object ({"type": "Query", ...})')
    source: dict[str, Any] = {}
    selectors = body.get("entities") or []
    if not isinstance(selectors, list) or not all(isinstance(s, dict) for s in selectors):
        raise bad_data("entities must be an array of {type, id?, idPattern?}")
    source["type"] = ",".join(str(s["type"]) for s in selectors if "type" in s) or None
    source["id"] = ",".join(str(s["id"]) for s in selectors if "id" in s) or None
    patterns = [str(s["idPattern"]) for s in selectors if "idPattern" in s]
    source["idPattern"] = "|".join(f"(?:{p})" for p in patterns) or None
    if "attrs" in body:
        source["attrs"] = ",".join(body["attrs"]) if isinstance(body["attrs"], list) else None
    source["q"] = body.get("q")
    geo = body.get("geoQ")
    if geo is not None:
        if not isinstance(geo, dict):
            raise bad_data("geoQ must be an object")
        source.update({k: geo.get(k) for k in ("georel", "geometry", "coordinates", "geoproperty")})
    return {k: v for k, v in source.items() if v is not None}


@ngsi({"limit", "offset", "count", "options", "lang", "format"}, body=BODY, geo=True)
def batch_query(call: Call) -> Reply:
    tenant = call.read_tenant()
    found, total = selection.run_query(tenant, entity_query(call, _query_body(call), tenant))
    return _entities_reply(call, found, total)


# --- discovery -------------------------------------------------------------------------------------------


@ngsi({"details"})
def list_types(call: Call) -> Reply:
    summary = services.types_summary(call.read_tenant())
    compact = call.terms.compact
    if call.flag("details"):
        return Reply(
            200,
            [
                {
                    "id": t,
                    "type": "EntityType",
                    "typeName": compact(t),
                    "attributeNames": [compact(a) for a in attrs],
                }
                for t, attrs in summary.items()
            ],
        )
    return Reply(
        200,
        {
            "id": "urn:ngsi-ld:EntityTypeList:kotacerdas",
            "type": "EntityTypeList",
            "typeList": [compact(t) for t in summary],
        },
    )


@ngsi(set())
def type_info(call: Call, type_name: str) -> Reply:
    type_iri = call.terms.expand(type_name)
    count, attributes = services.type_details(call.read_tenant(), type_iri)
    compact = call.terms.compact
    return Reply(
        200,
        {
            "id": type_iri,
            "type": "EntityTypeInfo",
            "typeName": compact(type_iri),
            "entityCount": count,
            "attributeDetails": [
                {
                    "id": name,
                    "type": "Attribute",
                    "attributeName": compact(name),
                    "attributeTypes": sorted(kinds),
                }
                for name, kinds in sorted(attributes.items())
            ],
        },
    )


@ngsi({"details"})
def list_attributes(call: Call) -> Reply:
    summary = services.attributes_summary(call.read_tenant())
    compact = call.terms.compact
    if call.flag("details"):
        return Reply(200, [_attribute(compact, name, entry) for name, entry in summary.items()])
    return Reply(
        200,
        {
            "id": "urn:ngsi-ld:AttributeList:kotacerdas",
            "type": "AttributeList",
            "attributeList": [compact(name) for name in summary],
        },
    )


def _attribute(compact: Any, name: str, entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": name,
        "type": "Attribute",
        "attributeName": compact(name),
        "attributeCount": entry["count"],
        "attributeTypes": sorted(entry["attributeTypes"]),
        "typeNames": sorted(compact(t) for t in entry["types"]),
    }


@ngsi(set())
def attribute_info(call: Call, attr: str) -> Reply:
    name = call.terms.expand(attr)
    summary = services.attributes_summary(call.read_tenant())
    if name not in summary:
        raise NgsiError("ResourceNotFound", f"no entity has an attribute {attr}")
    return Reply(200, _attribute(call.terms.compact, name, summary[name]))


# --- subscriptions --------------------------------------------------------------------------------------


@ngsi({"limit", "offset", "count", "options"})
def list_subscriptions(call: Call) -> Reply:
    tenant = call.read_tenant()
    rows = Subscription.objects.filter(tenant=tenant).order_by("pk")
    limit = _int(call, "limit", 20, 0, settings.NGSI_LD_MAX_LIMIT)
    offset = _int(call, "offset", 0, 0)
    headers = {"NGSILD-Results-Count": str(rows.count())} if call.flag("count") else {}
    sys_attrs = "sysAttrs" in call.options()
    return Reply(200, [subs.represent(s, sys_attrs) for s in rows[offset : offset + limit]], headers)


@ngsi(set(), body=BODY)
def create_subscription(call: Call) -> Reply:
    tenant = call.write_tenant()
    subscription = subs.create(tenant, call.body, call.context, call.user)
    return Reply(201, headers={"Location": f"/ngsi-ld/v1/subscriptions/{subscription.subscription_id}"})


subscriptions = methods(GET=list_subscriptions, POST=create_subscription)


@ngsi({"options"})
def get_subscription(call: Call, subscription_id: str) -> Reply:
    found = subs.get(call.read_tenant(), subscription_id)
    return Reply(200, subs.represent(found, "sysAttrs" in call.options()))


@ngsi(set(), body=PATCH_BODY)
def patch_subscription(call: Call, subscription_id: str) -> Reply:
    subs.update(call.write_tenant(), subscription_id, call.body)
    return Reply(204)


@ngsi(set())
def delete_subscription(call: Call, subscription_id: str) -> Reply:
    subs.get(call.write_tenant(), subscription_id).delete()
    return Reply(204)


subscription = methods(GET=get_subscription, PATCH=patch_subscription, DELETE=delete_subscription)


# --- temporal -------------------------------------------------------------------------------------------


def _temporal_request(
    call: Call, source: dict[str, Any]
) -> tuple[history.TemporalQuery, str, list[str], str]:
    tq = history.parse_temporal_query(
        source.get("timerel"),
        source.get("timeAt"),
        source.get("endTimeAt"),
        source.get("timeproperty"),
        source.get("lastN"),
    )
    attrs = _list(call.params.get("attrs")) or (source.get("attrs") or [])
    if attrs:
        tq = history.TemporalQuery(
            tq.timerel,
            tq.time_at,
            tq.end_time_at,
            tq.timeproperty,
            tq.last_n,
            frozenset(call.terms.expand(a) for a in attrs),
        )
    options = call.options()
    unknown = options - {"temporalValues", "aggregatedValues", "sysAttrs"}
    if unknown:
        raise bad_data(f"unknown options: {', '.join(sorted(unknown))}")
    mode = (
        "aggregatedValues"
        if "aggregatedValues" in options
        else ("temporalValues" if "temporalValues" in options else "normalized")
    )
    methods_ = _list(call.params.get("aggrMethods"))
    period = call.params.get("aggrPeriodDuration", "")
    if mode == "aggregatedValues" and not (methods_ and period):
        raise bad_data("options=aggregatedValues needs aggrMethods and aggrPeriodDuration")
    return tq, mode, methods_, period


@ngsi(TEMPORAL | {"attrs", "options", "type"})
def temporal_entity(call: Call, entity_id: str) -> Reply:
    tenant = call.read_tenant()
    tq, mode, methods_, period = _temporal_request(call, dict(call.params))
    entity = Entity.objects.filter(tenant=tenant, entity_id=entity_id).first()
    if entity is None:
        raise NgsiError("ResourceNotFound", f"there is no entity {entity_id}")
    readable = _readable_types(call, tenant)
    if readable is not None and not readable & set(entity.types):
        raise NgsiError("ResourceNotFound", f"there is no entity {entity_id} of a type you may read")
    return Reply(200, history.temporal_entity(entity, call.terms, tq, mode, methods_, period))


@ngsi(set())
def delete_temporal_entity(call: Call, entity_id: str) -> Reply:
    services.delete(call.write_tenant(), entity_id)
    return Reply(204)


temporal_one = methods(GET=temporal_entity, DELETE=delete_temporal_entity)


def _temporal_list(call: Call, source: dict[str, Any], temporal_source: dict[str, Any]) -> Reply:
    tenant = call.read_tenant()
    tq, mode, methods_, period = _temporal_request(call, temporal_source)
    spec = entity_query(call, source, tenant)
    found, total = selection.run_query(tenant, spec)
    rows = {
        e.entity_id: e for e in Entity.objects.filter(tenant=tenant, entity_id__in=[s["id"] for s in found])
    }
    body = [history.temporal_entity(rows[s["id"]], call.terms, tq, mode, methods_, period) for s in found]
    headers = {"NGSILD-Results-Count": str(total)} if total is not None else {}
    return Reply(200, body, headers)


@ngsi(TEMPORAL | QUERY)
def temporal_query(call: Call) -> Reply:
    if "timerel" not in call.params and "lastN" not in call.params:
        raise bad_data("a temporal query needs timerel (with timeAt) or lastN")
    return _temporal_list(call, dict(call.params), dict(call.params))


@ngsi(set(), body=BODY)
def temporal_create(call: Call) -> Reply:
    tenant = call.write_tenant()
    created = history.add_instances(tenant, call.body, call.terms)
    entity_id = call.body.get("id") if isinstance(call.body, dict) else ""
    if created:
        return Reply(201, headers={"Location": f"/ngsi-ld/v1/temporal/entities/{entity_id}"})
    return Reply(204)


temporal_entities = methods(GET=temporal_query, POST=temporal_create)


@ngsi(TEMPORAL | {"limit", "offset", "count", "options", "aggrMethods", "aggrPeriodDuration"}, body=BODY)
def temporal_batch_query(call: Call) -> Reply:
    source = _query_body(call)
    temporal_q = call.body.get("temporalQ") or {}
    if not isinstance(temporal_q, dict):
        raise bad_data("temporalQ must be an object")
    temporal_source = {k: str(v) for k, v in temporal_q.items() if v is not None}
    return _temporal_list(call, source, temporal_source)


@ngsi(set(), body=BODY)
def temporal_add_attrs(call: Call, entity_id: str) -> Reply:
    history.add_instances(call.write_tenant(), call.body, call.terms, entity_id)
    return Reply(204)


@ngsi({"datasetId", "deleteAll"})
def temporal_delete_attr(call: Call, entity_id: str, attr: str) -> Reply:
    history.delete_attribute_history(
        call.write_tenant(),
        entity_id,
        call.terms.expand(attr),
        call.params.get("datasetId"),
        call.flag("deleteAll"),
    )
    return Reply(204)


@ngsi(set(), body=PATCH_BODY)
def temporal_patch_instance(call: Call, entity_id: str, attr: str, instance_id: str) -> Reply:
    history.patch_instance(call.write_tenant(), entity_id, attr, instance_id, call.body, call.terms)
    return Reply(204)


@ngsi(set())
def temporal_delete_instance(call: Call, entity_id: str, attr: str, instance_id: str) -> Reply:
    history.delete_instance(call.write_tenant(), entity_id, call.terms.expand(attr), instance_id)
    return Reply(204)


temporal_attrs = methods(POST=temporal_add_attrs)
temporal_attr = methods(DELETE=temporal_delete_attr)
temporal_instance = methods(PATCH=temporal_patch_instance, DELETE=temporal_delete_instance)


# --- @contexts ------------------------------------------------------------------------------------------


@ngsi({"kind", "details"})
def list_contexts(call: Call) -> Reply:
    rows = JsonLdContext.objects.order_by("url")
    if call.params.get("kind"):
        rows = rows.filter(kind=call.params["kind"].lower())
    bundled = [{"url": u, "kind": "bundled"} for u in sorted(jsonld.BUNDLED)]
    listed = [{"url": r.url, "kind": r.kind, "createdAt": store.iso(r.created)} for r in rows]
    if call.flag("details"):
        return Reply(200, bundled + listed, context_in_body=False)
    return Reply(200, [c["url"] for c in bundled + listed], context_in_body=False)


@ngsi(set(), body=BODY, document=True)
def add_context(call: Call) -> Reply:
    if not can(call.user, "context.write", services.tenant_for_write("")):
        raise NgsiError("InvalidRequest", "storing @contexts needs a national admin's token", status=403)
    body = call.body
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:24]
    url = f"urn:kotacerdas:jsonldContext:{digest}"  # the same document gets the same id in every process
    if isinstance(body, dict) and isinstance(body.get("url"), str) and "@context" in body:
        url, body = body["url"], {"@context": body["@context"]}
    services.save_context(url, body)
    return Reply(201, headers={"Location": f"/ngsi-ld/v1/jsonldContexts/{url}"})


json_ld_contexts = methods(GET=list_contexts, POST=add_context)


@ngsi(set())
def get_context(call: Call, context_id: str) -> Reply:
    if context_id in jsonld.BUNDLED:
        return Reply(200, jsonld.bundled_document(context_id), context_in_body=False)
    document = services.cached_context(context_id)
    if document is None:
        raise NgsiError("ResourceNotFound", f"no @context is kept under {context_id}")
    return Reply(200, document, context_in_body=False)


@ngsi(set())
def delete_context(call: Call, context_id: str) -> Reply:
    if not can(call.user, "context.write", services.tenant_for_write("")):
        raise NgsiError("InvalidRequest", "deleting @contexts needs a national admin's token", status=403)
    deleted, _ = JsonLdContext.objects.filter(url=context_id).delete()
    if not deleted:
        raise NgsiError("ResourceNotFound", f"no @context is kept under {context_id}")
    jsonld.term_map.cache_clear()
    return Reply(204)


json_ld_context = methods(GET=get_context, DELETE=delete_context)


def not_supported(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """Context sources and entity maps are not implemented: say so with OperationNotSupported."""
    from .http import error_response

    return error_response(
        NgsiError(
            "OperationNotSupported", f"{request.path} is not supported by kotacerdas (see docs/ngsi-ld.md)"
        )
    )
