"""context.entities: NGSI-LD normalized entities and GeoJSON geometries (pure); fuzzed with Hypothesis."""

from __future__ import annotations

import contextlib
import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kotacerdas.context.entities import EntityError, bbox, validate_entity, validate_geometry

STATION: dict[str, Any] = {
    "id": "urn:ngsi-ld:FloodMonitoring:73.22:rongkong-01",
    "type": "FloodMonitoring",
    "currentLevel": {
        "type": "Property",
        "value": 2.7,
        "unitCode": "MTR",
        "observedAt": "2026-11-22T10:00:00Z",
        "reliability": {"type": "Property", "value": 0.9},
    },
    "alertLevel": {"type": "Property", "value": 3.0, "unitCode": "MTR"},
    "refDevice": {"type": "Relationship", "object": "urn:ngsi-ld:Device:rongkong-01"},
    "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [120.21, -2.55]}},
    "name": {"type": "LanguageProperty", "languageMap": {"id": "Sungai Rongkong", "en": "Rongkong river"}},
    "raw": {"type": "JsonProperty", "json": {"adc": [512, 513]}},
    "temperature": [
        {"type": "Property", "value": 27.5, "datasetId": "urn:ngsi-ld:Dataset:sensor-a"},
        {"type": "Property", "value": 27.9, "datasetId": "urn:ngsi-ld:Dataset:sensor-b"},
    ],
}


def test_a_valid_station() -> None:
    validate_entity(STATION)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda e: e.update(id="rongkong 01"), "$.id"),
        (lambda e: e.update(type=""), "$.type"),
        (lambda e: e.update(type=[]), "$.type"),
        (lambda e: e["currentLevel"].pop("value"), "$.currentLevel.value"),
        (lambda e: e["currentLevel"].update(value=None), "$.currentLevel.value"),
        (lambda e: e["currentLevel"].update(type="Propery"), "$.currentLevel.type"),
        (lambda e: e["currentLevel"].update(observedAt="yesterday"), "$.currentLevel.observedAt"),
        (lambda e: e["currentLevel"].update(observedAt="2026-11-22T10:00:00"), "$.currentLevel.observedAt"),
        (lambda e: e["currentLevel"].update(unitCode=""), "$.currentLevel.unitCode"),
        (lambda e: e["currentLevel"]["reliability"].pop("value"), "$.currentLevel.reliability.value"),
        (lambda e: e["refDevice"].update(object="rongkong"), "$.refDevice.object"),
        (lambda e: e["location"].update(type="Property"), "$.location.type"),
        (lambda e: e["location"]["value"].update(coordinates=[200, 0]), "$.location.value.coordinates"),
        (lambda e: e["location"]["value"].update(coordinates=["a", 1]), "$.location.value.coordinates"),
        (lambda e: e["location"]["value"].update(type="Circle"), "$.location.value"),
        (lambda e: e["name"].update(languageMap={}), "$.name.languageMap"),
        (lambda e: e["raw"].pop("json"), "$.raw.json"),
        (lambda e: e["temperature"][1].update(datasetId="urn:ngsi-ld:Dataset:sensor-a"), "$.temperature[1]"),
        (lambda e: e.update({"bad name": {"type": "Property", "value": 1}}), "$.bad name"),
        (lambda e: e.update(level=2.7), "$.level"),  # not normalized
    ],
)
def test_each_problem_names_its_path(change: Any, path: str) -> None:
    entity = copy.deepcopy(STATION)
    change(entity)
    with pytest.raises(EntityError) as err:
        validate_entity(entity)
    assert err.value.path == path


def test_polygons_must_close() -> None:
    ring = [[120.0, -2.0], [121.0, -2.0], [121.0, -3.0], [120.0, -2.0]]
    validate_geometry({"type": "Polygon", "coordinates": [ring]})
    with pytest.raises(EntityError, match="must close"):
        validate_geometry({"type": "Polygon", "coordinates": [ring[:-1] + [[120.5, -2.5]]]})
    assert bbox({"type": "Polygon", "coordinates": [ring]}) == (120.0, -3.0, 121.0, -2.0)


def test_deep_nesting_is_refused() -> None:
    attribute: dict[str, Any] = {"type": "Property", "value": 1}
    for _ in range(10):
        attribute = {"type": "Property", "value": 1, "sub": attribute}
    with pytest.raises(EntityError, match="nested deeper"):
        validate_entity({"id": "urn:x:1", "type": "T", "a": attribute})


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_is_valid_or_an_entity_error(value: Any) -> None:
    with contextlib.suppress(EntityError):
        validate_entity(value)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["type", "coordinates"]), json_values, max_size=2))
def test_any_geometry_is_valid_or_an_entity_error(value: Any) -> None:
    with contextlib.suppress(EntityError):
        validate_geometry(value)
