"""Expansion of incoming entities and rendering of stored ones (normalized, keyValues, GeoJSON): pure.

Stored form: {"id", "type": [type IRIs], "scope"?, "createdAt", "modifiedAt", "attrs": {attribute IRI:
instance or list of instances}} with sub-attribute names expanded too. `render` compacts it with the
requester's TermMap and applies the options of GS CIM 009 §4.5 (keyValues/concise, sysAttrs, attrs, pick,
omit, lang).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .entities import ATTRIBUTE_MEMBERS
from .jsonld import TermMap

SYSTEM = frozenset(ATTRIBUTE_MEMBERS) | {
    "previousValue",
    "previousObject",
    "previousLanguageMap",
    "previousJson",
}
SYS_ATTRS = ("createdAt", "modifiedAt")
ENTITY_KEYS = ("id", "type", "scope", "createdAt", "modifiedAt")


def instances(attribute: Any) -> list[dict[str, Any]]:
    """The instances of an attribute (one per datasetId)."""
    return list(attribute) if isinstance(attribute, list) else [attribute]


def expand_attribute(instance: Mapping[str, Any], terms: TermMap) -> dict[str, Any]:
    """An attribute instance with its sub-attribute names expanded."""
    return {
        name if name in SYSTEM else terms.expand(name): (
            value if name in SYSTEM else _map_instances(value, lambda i: expand_attribute(i, terms))
        )
        for name, value in instance.items()
    }


def compact_attribute(instance: Mapping[str, Any], terms: TermMap, sys_attrs: bool = True) -> dict[str, Any]:
    """An attribute instance with sub-attribute names compacted (system times only when asked)."""
    out: dict[str, Any] = {}
    for name, value in instance.items():
        if name in SYSTEM:
            if sys_attrs or name not in SYS_ATTRS:
                out[name] = value
        else:
            out[terms.compact(name)] = _map_instances(value, lambda i: compact_attribute(i, terms, sys_attrs))
    return out


def _map_instances(value: Any, fn: Any) -> Any:
    if isinstance(value, list):
        return [fn(v) for v in value]
    return fn(value)


def expand_entity(entity: Mapping[str, Any], terms: TermMap) -> dict[str, Any]:
    """A validated (compact) entity in stored form, without system times."""
    types = entity["type"] if isinstance(entity["type"], list) else [entity["type"]]
    stored: dict[str, Any] = {
        "id": entity["id"],
        "type": sorted({terms.expand(t) for t in types}),
        "attrs": {},
    }
    if "scope" in entity:
        stored["scope"] = entity["scope"]
    for name, attribute in entity.items():
        if name in ("id", "type", "scope", "@context", "createdAt", "modifiedAt"):
            continue
        expanded = [expand_attribute(i, terms) for i in instances(attribute)]
        stored["attrs"][terms.expand(name)] = expanded if isinstance(attribute, list) else expanded[0]
    return stored


@dataclass(frozen=True)
class RenderOptions:
    """How to render entities: the representation and which attributes."""

    key_values: bool = False
    sys_attrs: bool = False
    attrs: frozenset[str] | None = None  # expanded names to keep (None: all)
    omit: frozenset[str] = frozenset()
    lang: str | None = None
    keep_id: bool = True
    keep_type: bool = True


def simplified_value(instance: Mapping[str, Any], lang: str | None) -> Any:
    """The keyValues value of one attribute instance."""
    kind = instance.get("type")
    if kind == "Relationship":
        return instance.get("object")
    if kind == "LanguageProperty":
        languages = instance.get("languageMap") or {}
        if lang:
            return languages.get(lang) or languages.get("@none") or next(iter(languages.values()), None)
        return {"languageMap": languages}
    if kind == "JsonProperty":
        return {"json": instance.get("json")}
    return instance.get("value")


def render(stored: Mapping[str, Any], terms: TermMap, options: RenderOptions) -> dict[str, Any]:
    """A stored entity in the requested (compact) representation."""
    out: dict[str, Any] = {}
    if options.keep_id:
        out["id"] = stored["id"]
    if options.keep_type:
        types = [terms.compact(t) for t in stored["type"]]
        out["type"] = types[0] if len(types) == 1 else types
    if "scope" in stored:
        out["scope"] = stored["scope"]
    if options.sys_attrs and not options.key_values:
        out["createdAt"] = stored.get("createdAt")
        out["modifiedAt"] = stored.get("modifiedAt")
    for name, attribute in stored["attrs"].items():
        if (options.attrs is not None and name not in options.attrs) or name in options.omit:
            continue
        out[terms.compact(name)] = _render_attribute(attribute, terms, options)
    return out


def _render_attribute(attribute: Any, terms: TermMap, options: RenderOptions) -> Any:
    rendered = []
    for instance in instances(attribute):
        if options.key_values:
            rendered.append(simplified_value(instance, options.lang))
            continue
        compacted = compact_attribute(instance, terms, options.sys_attrs)
        if options.lang and instance.get("type") == "LanguageProperty":
            languages = instance.get("languageMap") or {}
            value = (
                languages.get(options.lang) or languages.get("@none") or next(iter(languages.values()), "")
            )
            compacted = {"type": "Property", "value": value, "lang": options.lang} | {
                k: v for k, v in compacted.items() if k not in ("type", "languageMap")
            }
        rendered.append(compacted)
    return rendered if isinstance(attribute, list) else rendered[0]


def geojson_feature(
    stored: Mapping[str, Any], terms: TermMap, options: RenderOptions, geoproperty: str
) -> dict[str, Any]:
    """A stored entity as a GeoJSON Feature (GS CIM 009 §4.5.16)."""
    body = render(stored, terms, options)
    geometry = None
    found = stored["attrs"].get(geoproperty)
    if found is not None:
        geometry = instances(found)[0].get("value")
    properties = {k: v for k, v in body.items() if k != "id"}
    return {"id": stored["id"], "type": "Feature", "geometry": geometry, "properties": properties}


def merge_attributes(
    current: Mapping[str, Any], incoming: Mapping[str, Any], overwrite: bool = True
) -> tuple[dict[str, Any], list[str], list[str]]:
    """Append/update attributes: instances match on datasetId. Returns (attrs, updated names, not updated)."""
    merged = {name: instances(value) for name, value in current.items()}
    updated, skipped = [], []
    for name, attribute in incoming.items():
        existing = merged.setdefault(name, [])
        for instance in instances(attribute):
            dataset = instance.get("datasetId")
            same = [i for i, old in enumerate(existing) if old.get("datasetId") == dataset]
            if same and not overwrite:
                skipped.append(name)
                continue
            if same:
                existing[same[0]] = instance
            else:
                existing.append(instance)
            updated.append(name)
    return {n: v[0] if len(v) == 1 else v for n, v in merged.items() if v}, updated, skipped


def drop_nulls(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """Merge-patch semantics: an attribute whose value is the NGSI-LD null ("urn:ngsi-ld:null") is removed."""
    return {n: a for n, a in attrs.items() if not any(_is_null(i) for i in instances(a))}


def _is_null(instance: Mapping[str, Any]) -> bool:
    return instance.get("value") == "urn:ngsi-ld:null" or instance.get("object") == "urn:ngsi-ld:null"
