"""Validation of NGSI-LD entities in normalized form (ETSI GS CIM 009 §4.5): a pure module (no Django).

`validate_entity` returns nothing or raises EntityError with the JSON path of the first problem (the API
turns it into a 400 BadRequestData). `bbox` gives the bounding box of a GeoJSON geometry for the location
index.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

ATTRIBUTE_TYPES = ("Property", "Relationship", "GeoProperty", "LanguageProperty", "JsonProperty")
GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon")
ENTITY_MEMBERS = ("id", "type", "@context", "scope", "createdAt", "modifiedAt")
ATTRIBUTE_MEMBERS = (
    "type",
    "value",
    "object",
    "languageMap",
    "json",
    "observedAt",
    "unitCode",
    "datasetId",
    "createdAt",
    "modifiedAt",
    "instanceId",
)
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+$")
_NAME = re.compile(r"^[^\s<>\"'=;()\[\]]+$")
MAX_DEPTH = 8


class EntityError(ValueError):
    """An entity that is not valid NGSI-LD; `path` points at the offending member."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


def is_uri(value: object) -> bool:
    return isinstance(value, str) and bool(_URI.match(value))


def is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return parsed.tzinfo is not None


def validate_entity(entity: object) -> None:
    """Raise EntityError unless `entity` is a valid normalized NGSI-LD entity."""
    if not isinstance(entity, dict):
        raise EntityError("$", "an entity must be a JSON object")
    if not is_uri(entity.get("id")):
        raise EntityError("$.id", "id must be a URI, e.g. urn:ngsi-ld:WaterObserved:73.22:rongkong-01")
    _validate_type(entity.get("type"))
    for name, attribute in entity.items():
        if name in ENTITY_MEMBERS:
            continue
        _validate_name(name, f"$.{name}")
        _validate_attribute(
            attribute, f"$.{name}", depth=1, geo=name in ("location", "observationSpace", "operationSpace")
        )


def _validate_type(value: object) -> None:
    types = value if isinstance(value, list) else [value]
    if not types or not all(isinstance(t, str) and t and _NAME.match(t) for t in types):
        raise EntityError("$.type", "type must be a name or a non-empty list of names")


def _validate_name(name: str, path: str) -> None:
    if not _NAME.match(name):
        raise EntityError(path, "an attribute name may not contain spaces or any of < > \" ' = ; ( ) [ ]")


def _validate_attribute(attribute: object, path: str, depth: int, geo: bool = False) -> None:
    if depth > MAX_DEPTH:
        raise EntityError(path, f"sub-attributes are nested deeper than {MAX_DEPTH}")
    instances = attribute if isinstance(attribute, list) else [attribute]
    if not instances:
        raise EntityError(path, "an attribute needs at least one instance")
    dataset_ids: set[object] = set()
    for n, instance in enumerate(instances):
        where = f"{path}[{n}]" if isinstance(attribute, list) else path
        _validate_instance(instance, where, depth, geo)
        dataset_id = instance.get("datasetId")
        if dataset_id in dataset_ids:
            raise EntityError(where, "two instances of an attribute share the same datasetId")
        dataset_ids.add(dataset_id)


def _validate_instance(instance: object, path: str, depth: int, geo: bool) -> None:
    if not isinstance(instance, dict):
        raise EntityError(path, "an attribute must be an object with a type (normalized form)")
    kind = instance.get("type")
    if kind not in ATTRIBUTE_TYPES:
        raise EntityError(f"{path}.type", f"type must be one of {', '.join(ATTRIBUTE_TYPES)}")
    if geo and kind != "GeoProperty":
        raise EntityError(f"{path}.type", "this attribute must be a GeoProperty")
    _validate_value(kind, instance, path)
    _validate_meta(instance, path)
    for name, sub in instance.items():
        if name not in ATTRIBUTE_MEMBERS:
            _validate_name(name, f"{path}.{name}")
            _validate_attribute(sub, f"{path}.{name}", depth + 1)


def _validate_value(kind: str, instance: Mapping[str, Any], path: str) -> None:
    if kind == "Property":
        if "value" not in instance or instance["value"] is None:
            raise EntityError(f"{path}.value", "a Property needs a value")
    elif kind == "Relationship":
        targets = instance.get("object")
        targets = targets if isinstance(targets, list) and targets else [targets]
        if not all(is_uri(t) for t in targets):
            raise EntityError(
                f"{path}.object", "a Relationship needs an object that is a URI (or a list of URIs)"
            )
    elif kind == "GeoProperty":
        validate_geometry(instance.get("value"), f"{path}.value")
    elif kind == "LanguageProperty":
        languages = instance.get("languageMap")
        if (
            not isinstance(languages, dict)
            or not languages
            or not all(isinstance(k, str) and isinstance(v, str | list) for k, v in languages.items())
        ):
            raise EntityError(
                f"{path}.languageMap", "a LanguageProperty needs a languageMap of language → text"
            )
    elif "json" not in instance:
        raise EntityError(f"{path}.json", "a JsonProperty needs a json member")


def _validate_meta(instance: Mapping[str, Any], path: str) -> None:
    if "observedAt" in instance and not is_datetime(instance["observedAt"]):
        raise EntityError(f"{path}.observedAt", "observedAt must be an ISO 8601 date-time with a time zone")
    if "unitCode" in instance and not (isinstance(instance["unitCode"], str) and instance["unitCode"]):
        raise EntityError(f"{path}.unitCode", "unitCode must be a UN/CEFACT code such as MTR")
    if "datasetId" in instance and not is_uri(instance["datasetId"]):
        raise EntityError(f"{path}.datasetId", "datasetId must be a URI")


def _positions(coordinates: object, depth: int) -> Iterator[list[float]]:
    """Every [lon, lat] position of a coordinates array nested `depth` levels deep."""
    if not isinstance(coordinates, list):
        raise ValueError("coordinates must be arrays")
    if depth == 0:
        yield coordinates
        return
    if not coordinates:
        raise ValueError("an empty coordinates array")
    for item in coordinates:
        yield from _positions(item, depth - 1)


DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}


def validate_geometry(geometry: object, path: str = "$") -> None:
    """Raise EntityError unless `geometry` is a GeoJSON geometry with valid WGS84 positions."""
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        raise EntityError(path, f"a GeoJSON geometry of type {', '.join(GEOMETRY_TYPES)} is needed")
    try:
        positions = list(_positions(geometry.get("coordinates"), DEPTH[geometry["type"]]))
    except ValueError as exc:
        raise EntityError(f"{path}.coordinates", str(exc)) from exc
    for position in positions:
        _check_position(position, f"{path}.coordinates")
    if geometry["type"] in ("Polygon", "MultiPolygon"):
        rings = (
            geometry["coordinates"]
            if geometry["type"] == "Polygon"
            else [r for polygon in geometry["coordinates"] for r in polygon]
        )
        for ring in rings:
            if len(ring) < 4 or ring[0] != ring[-1]:
                raise EntityError(
                    f"{path}.coordinates", "a polygon ring needs at least 4 positions and must close"
                )


def _check_position(position: Any, path: str) -> None:
    if (
        not isinstance(position, list)
        or len(position) not in (2, 3)
        or not all(
            isinstance(c, int | float) and not isinstance(c, bool) and math.isfinite(c) for c in position
        )
    ):
        raise EntityError(path, "a position is [longitude, latitude] (optionally with altitude)")
    lon, lat = position[0], position[1]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise EntityError(path, f"[{lon}, {lat}] is outside longitude −180…180 / latitude −90…90")


def bbox(geometry: Mapping[str, Any]) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) of a valid geometry."""
    positions = list(_positions(geometry["coordinates"], DEPTH[geometry["type"]]))
    lons = [p[0] for p in positions]
    lats = [p[1] for p in positions]
    return min(lons), min(lats), max(lons), max(lats)
