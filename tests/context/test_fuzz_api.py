"""Property-based: random entities, fragments, query strings, geo-parameters and bytes never give a 5xx,
and every refusal is a ProblemDetails with an NGSI-LD error type, its status, and a title and detail that
are non-empty and different (the error shape the specification gives every answer of /ngsi-ld/v1)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kotacerdas.context.errors import ERROR_BASE

from ..conftest import FUZZ_SCALE
from .conftest import Broker

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=150 * FUZZ_SCALE, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
names = st.one_of(
    st.sampled_from(["waterLevel", "location", "name", "flow", "refDevice", "@context", "type"]),
    st.text(max_size=12),
)
kinds = st.sampled_from(
    ["Property", "Relationship", "GeoProperty", "LanguageProperty", "JsonProperty", "Other"]
)
attribute = st.fixed_dictionaries(
    {"type": kinds},
    optional={
        "value": values,
        "object": st.one_of(st.text(max_size=20), st.just("urn:ngsi-ld:Device:1")),
        "languageMap": values,
        "json": values,
        "observedAt": st.one_of(st.just("2026-11-20T10:00:00Z"), st.text(max_size=25)),
        "datasetId": st.one_of(st.just("urn:ngsi-ld:Dataset:a"), st.text(max_size=10)),
        "unitCode": values,
    },
)
entities = st.one_of(
    values,
    st.builds(
        lambda eid, etype, attrs: {"id": eid, "type": etype, **attrs},
        st.one_of(st.just("urn:ngsi-ld:T:1"), st.text(max_size=40)),
        st.one_of(st.just("WaterObserved"), values),
        st.dictionaries(names, st.one_of(attribute, values, st.lists(attribute, max_size=3)), max_size=4),
    ),
)


def answered(response: Any) -> int:
    """The status of an answer that kept its contract: no server error; a refusal in the NGSI-LD shape."""
    status = int(response.status_code)
    assert status < 500, response.content[:300]
    if status >= 400 and response.get("Content-Type", "").startswith(
        ("application/json", "application/problem")
    ):
        body = response.json()
        assert body["type"].startswith(ERROR_BASE), body
        assert body["title"] and body["detail"] and body["title"] != body["detail"], body
        assert body.get("status", status) == status, body
    return status


query_text = st.text(alphabet='waterLvl.[]()!=<>~;|,"0123456789 -:TZ^$*', max_size=40)


@FUZZ
@given(entity=entities)
def test_random_entities_never_5xx(broker: Broker, entity: Any) -> None:
    answered(broker.post("/entities", entity))
    answered(broker.post("/entityOperations/upsert", [entity]))
    fragment = (
        {k: v for k, v in entity.items() if k not in ("id", "type")} if isinstance(entity, dict) else entity
    )
    answered(broker.patch("/entities/urn:ngsi-ld:T:1/attrs", fragment))
    answered(broker.patch("/entities/urn:ngsi-ld:T:1", fragment, content_type="application/merge-patch+json"))


@FUZZ
@given(q=query_text)
def test_random_queries_never_5xx(broker: Broker, q: str) -> None:
    response = broker.get(f"/entities?type=WaterObserved&q={quote(q)}&count=true")
    if answered(response) == 400:
        assert response.json()["type"].endswith(("BadRequestData", "InvalidRequest"))
    answered(broker.get(f"/temporal/entities?type=WaterObserved&lastN=1&q={quote(q)}"))


@FUZZ
@given(
    georel=st.one_of(
        st.sampled_from(["near;maxDistance==10", "within", "intersects", "near;minDistance==-1"]),
        st.text(max_size=20),
    ),
    geometry=st.one_of(
        st.sampled_from(["Point", "Polygon", "LineString", "MultiPolygon"]), st.text(max_size=10)
    ),
    coordinates=st.one_of(values.map(json.dumps), st.text(max_size=30)),
)
def test_random_geo_queries_never_5xx(broker: Broker, georel: str, geometry: str, coordinates: str) -> None:
    params = f"georel={quote(georel)}&geometry={quote(geometry)}&coordinates={quote(coordinates)}"
    answered(broker.get(f"/entities?type=WaterObserved&{params}"))


@FUZZ
@given(raw=st.binary(max_size=60))
def test_random_bytes_never_5xx(broker: Broker, raw: bytes) -> None:
    answered(broker.post("/entities", raw=raw))
    answered(broker.post("/subscriptions", raw=raw))
