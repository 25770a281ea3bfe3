"""Batch operations, queries (q, geo, paging, count), discovery and @context endpoints."""

from __future__ import annotations

from typing import Any

import pytest

from kotacerdas.context.jsonld import CORE_CONTEXT_URL

from .conftest import Broker, water

pytestmark = pytest.mark.django_db


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(e["id"].rsplit("-", 1)[-1] for e in response.json())


@pytest.fixture
def gauges(broker: Broker) -> Broker:
    """Five gauges along the Rongkong river with levels 1..5 m, and one air-quality station."""
    entities = [
        water(
            n,
            level=float(n),
            lon=120.30 + n * 0.01,
            status={"type": "Property", "value": "ok" if n < 4 else "siaga"},
        )
        for n in range(1, 6)
    ]
    entities[0]["status"]["checked"] = {"type": "Property", "value": True}
    entities[1]["meta"] = {"type": "Property", "value": {"sensor": {"brand": "Hydra", "depth": 3}}}
    air = {
        "id": "urn:ngsi-ld:AirQualityObserved:73.22:aq-001",
        "type": "AirQualityObserved",
        "pm25": {"type": "Property", "value": 18},
        "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [120.5, -2.6]}},
    }
    response = broker.post("/entityOperations/create", [*entities, air])
    assert response.status_code == 201, response.content
    assert len(response.json()) == 6
    return broker


@pytest.mark.parametrize(
    "q, expected",
    [
        ("waterLevel>3", ["004", "005"]),
        ("waterLevel>=3;status==%22siaga%22", ["004", "005"]),
        ("waterLevel<2|waterLevel>4", ["001", "005"]),
        ("waterLevel==2..3", ["002", "003"]),
        ("waterLevel==1,5", ["001", "005"]),
        ("waterLevel!=1", ["002", "003", "004", "005"]),
        ("status~=^si", ["004", "005"]),
        ("status!~=^si", ["001", "002", "003"]),
        ("status.checked==true", ["001"]),
        ("meta[sensor]", ["002"]),
        ("meta", ["002"]),
        ("!meta", ["001", "003", "004", "005"]),
        ("waterLevel.unitCode==%22MTR%22;waterLevel<2", ["001"]),
        ("(waterLevel<2|waterLevel>4);status==%22ok%22", ["001"]),
    ],
)
def test_q_queries(gauges: Broker, q: str, expected: list[str]) -> None:
    response = gauges.get(f"/entities?type=WaterObserved&q={q}&count=true")
    assert ids(response) == expected
    assert response["NGSILD-Results-Count"] == str(len(expected))


def test_invalid_q_is_bad_request_data(gauges: Broker) -> None:
    response = gauges.get("/entities?type=WaterObserved&q=(waterLevel>3")
    assert response.status_code == 400
    assert response.json()["type"].endswith("BadRequestData")


def test_type_lists_ids_patterns_attrs_and_paging(gauges: Broker) -> None:
    both = gauges.get("/entities?type=WaterObserved,AirQualityObserved&count=true&limit=2")
    assert both["NGSILD-Results-Count"] == "6" and len(both.json()) == 2
    second = gauges.get("/entities?type=WaterObserved,AirQualityObserved&limit=2&offset=2").json()
    assert {e["id"] for e in second}.isdisjoint({e["id"] for e in both.json()})
    assert ids(gauges.get("/entities?id=urn:ngsi-ld:WaterObserved:73.22:gauge-002,urn:ngsi-ld:X:1")) == [
        "002"
    ]
    assert ids(gauges.get("/entities?idPattern=gauge-00[45]$")) == ["004", "005"]
    assert ids(gauges.get("/entities?attrs=pm25")) == ["001"]  # the air station (aq-001)
    only = gauges.get("/entities?type=WaterObserved&attrs=waterLevel&limit=1").json()[0]
    assert set(only) == {"id", "type", "waterLevel"}
    assert gauges.get("/entities?type=WaterObserved&limit=0&count=true").json() == []
    assert gauges.get("/entities?type=WaterObserved&limit=5000").status_code == 403
    assert gauges.get("/entities").status_code == 400  # a query needs some restriction
    assert gauges.get("/entities?id=not-a-uri").status_code == 400


@pytest.mark.parametrize(
    "params, expected",
    [
        ("georel=near;maxDistance==1200&geometry=Point&coordinates=[120.32,-2.6]", ["001", "002", "003"]),
        ("georel=near;minDistance==1200&geometry=Point&coordinates=[120.32,-2.6]", ["004", "005"]),
        (
            "georel=within&geometry=Polygon&coordinates=[[[120.305,-2.7],[120.335,-2.7],[120.335,-2.5],[120.305,-2.5],[120.305,-2.7]]]",
            ["001", "002", "003"],
        ),
        ("georel=intersects&geometry=LineString&coordinates=[[120.34,-2.7],[120.34,-2.5]]", ["004"]),
        ("georel=equals&geometry=Point&coordinates=[120.35,-2.6]", ["005"]),
        (
            "georel=disjoint&geometry=Polygon&coordinates=[[[120.315,-2.7],[120.4,-2.7],[120.4,-2.5],[120.315,-2.5],[120.315,-2.7]]]",
            ["001"],
        ),
    ],
)
def test_geo_queries(gauges: Broker, params: str, expected: list[str]) -> None:
    response = gauges.get(f"/entities?type=WaterObserved&{params}&count=true")
    assert ids(response) == expected
    assert response["NGSILD-Results-Count"] == str(len(expected))


@pytest.mark.parametrize(
    "params",
    [
        "georel=near;maxDistance==-5&geometry=Point&coordinates=[120,-2]",
        "georel=near;maxDistance==inf&geometry=Point&coordinates=[120,-2]",
        "georel=near&geometry=Point&coordinates=[120,-2]",
        "georel=touches&geometry=Point&coordinates=[120,-2]",
        "georel=within&geometry=Polygon&coordinates=[[[0,0],[1,0],[1,1]]]",
        "georel=within&geometry=Point&coordinates=[120",
        "georel=within&geometry=Point",
    ],
)
def test_bad_geo_queries_are_bad_request_data(gauges: Broker, params: str) -> None:
    response = gauges.get(f"/entities?type=WaterObserved&{params}")
    assert response.status_code == 400, response.content
    assert response.json()["type"].endswith("BadRequestData")


def test_post_query_and_geojson(gauges: Broker) -> None:
    body = {
        "type": "Query",
        "entities": [{"type": "WaterObserved", "idPattern": "gauge-00[1-3]"}],
        "q": "waterLevel>=2",
        "geoQ": {"georel": "near;maxDistance==5000", "geometry": "Point", "coordinates": [120.32, -2.6]},
    }
    assert ids(gauges.post("/entityOperations/query?count=true", body)) == ["002", "003"]
    geo = gauges.post("/entityOperations/query", body, headers={"Accept": "application/geo+json"}).json()
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 2


def test_batch_partial_success_is_207(gauges: Broker) -> None:
    response = gauges.post("/entityOperations/create", [water(1), water(9), {"id": "x y", "type": "T"}])
    assert response.status_code == 207
    body = response.json()
    assert body["success"] == ["urn:ngsi-ld:WaterObserved:73.22:gauge-009"]
    kinds = sorted(e["error"]["type"].rsplit("/", 1)[1] for e in body["errors"])
    assert kinds == ["AlreadyExists", "BadRequestData"]


def test_batch_upsert_update_merge_delete(gauges: Broker) -> None:
    replace = gauges.post("/entityOperations/upsert", [water(1, level=7.0), water(10)])
    assert replace.status_code == 201 and replace.json() == ["urn:ngsi-ld:WaterObserved:73.22:gauge-010"]
    first = gauges.get("/entities/urn:ngsi-ld:WaterObserved:73.22:gauge-001?options=keyValues").json()
    assert first["waterLevel"] == 7.0 and "status" not in first  # replaced
    update = gauges.post("/entityOperations/upsert?options=update", [water(2, level=8.0)])
    assert update.status_code == 204
    second = gauges.get("/entities/urn:ngsi-ld:WaterObserved:73.22:gauge-002?options=keyValues").json()
    assert second["waterLevel"] == 8.0 and second["status"] == "ok"  # other attributes kept

    missing = gauges.post("/entityOperations/update", [water(3, level=9.0), water(99)])
    assert missing.status_code == 207 and missing.json()["errors"][0]["error"]["status"] == 404
    assert (
        gauges.post("/entityOperations/update?options=noOverwrite", [water(3, level=1.0)]).status_code == 204
    )
    assert (
        gauges.get("/entities/urn:ngsi-ld:WaterObserved:73.22:gauge-003?options=keyValues").json()[
            "waterLevel"
        ]
        == 9.0
    )

    merge = [
        {
            "id": "urn:ngsi-ld:WaterObserved:73.22:gauge-004",
            "status": {"type": "Property", "value": "urn:ngsi-ld:null"},
        }
    ]
    assert gauges.post("/entityOperations/merge", merge).status_code == 204
    assert "status" not in gauges.get("/entities/urn:ngsi-ld:WaterObserved:73.22:gauge-004").json()

    deleted = gauges.post(
        "/entityOperations/delete", ["urn:ngsi-ld:WaterObserved:73.22:gauge-005", "urn:ngsi-ld:X:0"]
    )
    assert deleted.status_code == 207 and deleted.json()["success"] == [
        "urn:ngsi-ld:WaterObserved:73.22:gauge-005"
    ]
    assert gauges.post("/entityOperations/delete", {"id": 1}).status_code == 400
    assert gauges.delete("/entities").status_code == 400  # purge needs a query
    assert gauges.delete("/entities?type=AirQualityObserved").status_code == 204
    assert gauges.get("/entities?type=AirQualityObserved").json() == []


def test_discovery(gauges: Broker) -> None:
    types = gauges.get("/types").json()
    assert sorted(types["typeList"]) == ["AirQualityObserved", "WaterObserved"]
    detail = gauges.get("/types/WaterObserved").json()
    assert detail["entityCount"] == 5
    names = {a["attributeName"]: a["attributeTypes"] for a in detail["attributeDetails"]}
    assert names["location"] == ["GeoProperty"] and names["waterLevel"] == ["Property"]
    assert gauges.get("/types/Nothing").status_code == 404
    attributes = gauges.get("/attributes").json()["attributeList"]
    assert {"waterLevel", "pm25", "location"} <= set(attributes)
    level = gauges.get("/attributes/waterLevel").json()
    assert level["attributeCount"] == 5 and level["typeNames"] == ["WaterObserved"]
    assert gauges.get("/types?details=true").json()[0]["type"] == "EntityType"


def test_context_endpoints_and_preload(broker: Broker, broker_as: Any, settings: Any) -> None:
    listed = broker.get("/jsonldContexts").json()
    assert (
        CORE_CONTEXT_URL in listed
        and "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.6.jsonld" in listed
    )
    core = broker.get(f"/jsonldContexts/{CORE_CONTEXT_URL}").json()
    assert core["@context"]["ngsi-ld"] == "https://uri.etsi.org/ngsi-ld/"
    offline_url = "https://data.luwuutarakab.go.id/context.jsonld"
    document = {"@context": {"tinggiMukaAir": "https://data.luwuutarakab.go.id/vocab#tinggiMukaAir"}}
    admin = broker_as("national_admin")
    settings.NGSI_LD_OPEN = False
    assert broker_as("officer_a").post("/jsonldContexts", {"url": offline_url, **document}).status_code == 403
    assert admin.post("/jsonldContexts", {"url": offline_url, **document}).status_code == 201
    settings.NGSI_LD_OPEN = True
    entity = {
        "id": "urn:ngsi-ld:WaterObserved:1",
        "type": "WaterObserved",
        "tinggiMukaAir": {"type": "Property", "value": 1},
    }
    link = {"Link": f'<{offline_url}>; rel="http://www.w3.org/ns/json-ld#context"'}
    assert broker.post("/entities", entity, headers=link).status_code == 201
    stored = broker.get("/entities/urn:ngsi-ld:WaterObserved:1").json()
    assert "https://data.luwuutarakab.go.id/vocab#tinggiMukaAir" in stored
    assert admin.post("/jsonldContexts", {"url": offline_url, "@context": 5}).status_code == 400


def test_load_jsonld_context_command(db: Any, tmp_path: Any) -> None:
    from django.core.management import CommandError, call_command

    from kotacerdas.context import jsonld

    path = tmp_path / "ctx.jsonld"
    path.write_text('{"@context": {"debit": "https://example.org/debit"}}')
    call_command("load_jsonld_context", "https://example.org/ctx.jsonld", str(path))
    terms = jsonld.term_map(("https://example.org/ctx.jsonld",))
    assert terms.expand("debit") == "https://example.org/debit"
    path.write_text("{broken")
    with pytest.raises(CommandError):
        call_command("load_jsonld_context", "https://example.org/ctx.jsonld", str(path))
