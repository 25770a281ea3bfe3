"""The NGSI-LD entity endpoints: create, retrieve, update, delete, attributes, errors, negotiation."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kotacerdas.context.jsonld import CORE_CONTEXT_URL, SDM_CONTEXT_URL

from .conftest import LINK_REL, Broker, water

pytestmark = pytest.mark.django_db
ID = "urn:ngsi-ld:WaterObserved:73.22:gauge-001"
ERR = "https://uri.etsi.org/ngsi-ld/errors/"


def assert_problem(response: Any, status: int, kind: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body["type"] == ERR + kind
    assert body["title"] and body["detail"] and body["title"] != body["detail"]
    return body


def test_create_then_retrieve_in_every_representation(broker: Broker) -> None:
    entity = water(
        name={"type": "LanguageProperty", "languageMap": {"id": "Sungai Rongkong", "en": "Rongkong river"}},
        refDevice={"type": "Relationship", "object": "urn:ngsi-ld:Device:73.22:1"},
        calibration={"type": "JsonProperty", "json": {"offset": 0.02, "by": ["BBWS"]}},
    )
    entity["waterLevel"]["accuracy"] = {"type": "Property", "value": 0.01}
    created = broker.post("/entities", entity)
    assert created.status_code == 201
    assert created["Location"] == f"/ngsi-ld/v1/entities/{ID}"

    normalized = broker.get(f"/entities/{ID}")
    assert normalized.status_code == 200
    assert normalized["Content-Type"] == "application/json"
    assert CORE_CONTEXT_URL in normalized["Link"]
    body = normalized.json()
    assert body["waterLevel"] == entity["waterLevel"]
    assert body["calibration"] == entity["calibration"]
    assert "createdAt" not in body

    simple = broker.get(f"/entities/{ID}?options=keyValues").json()
    assert simple["waterLevel"] == 2.5
    assert simple["refDevice"] == "urn:ngsi-ld:Device:73.22:1"
    assert simple["location"] == {"type": "Point", "coordinates": [120.3, -2.6]}

    with_times = broker.get(f"/entities/{ID}?options=sysAttrs").json()
    assert with_times["createdAt"].endswith("Z") and "modifiedAt" in with_times["waterLevel"]

    picked = broker.get(f"/entities/{ID}?pick=id,waterLevel").json()
    assert set(picked) == {"id", "waterLevel"}
    omitted = broker.get(f"/entities/{ID}?omit=location,name").json()
    assert "location" not in omitted and "waterLevel" in omitted

    english = broker.get(f"/entities/{ID}?lang=en").json()
    assert english["name"]["value"] == "Rongkong river" and english["name"]["lang"] == "en"


def test_duplicate_create_is_409_already_exists(broker: Broker) -> None:
    assert broker.post("/entities", water()).status_code == 201
    assert_problem(broker.post("/entities", water()), 409, "AlreadyExists")


@pytest.mark.parametrize(
    "entity, fragment",
    [
        ({"id": "not a uri", "type": "WaterObserved"}, "id must be a URI"),
        ({"id": ID}, "type"),
        ({"id": ID, "type": "T", "a": {"type": "Property"}}, "needs a value"),
        ({"id": ID, "type": "T", "a": {"type": "Relationship", "object": "no uri"}}, "object"),
        (
            {"id": ID, "type": "T", "location": {"type": "GeoProperty", "value": {"type": "Point"}}},
            "coordinates",
        ),
        (
            {
                "id": ID,
                "type": "T",
                "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [500, 1]}},
            },
            "outside",
        ),
        (
            {"id": ID, "type": "T", "a": {"type": "Property", "value": 1, "observedAt": "yesterday"}},
            "observedAt",
        ),
        (["not", "an", "object"], "JSON object"),
    ],
)
def test_bad_entities_are_400_bad_request_data_and_write_nothing(
    broker: Broker, entity: Any, fragment: str
) -> None:
    body = assert_problem(broker.post("/entities", entity), 400, "BadRequestData")
    assert fragment in body["detail"]
    assert broker.get("/entities?type=WaterObserved,T&count=true")["NGSILD-Results-Count"] == "0"


def test_malformed_json_is_invalid_request(broker: Broker) -> None:
    assert_problem(broker.post("/entities", raw="{not json"), 400, "InvalidRequest")


def test_content_negotiation(broker: Broker) -> None:
    broker.post("/entities", water())
    assert_problem(broker.get(f"/entities/{ID}", headers={"Accept": "text/html"}), 406, "InvalidRequest")
    assert broker.get(f"/entities/{ID}", headers={"Accept": "text/html, */*;q=0.1"}).status_code == 200
    ld = broker.get(f"/entities/{ID}", headers={"Accept": "application/ld+json"})
    assert ld["Content-Type"] == "application/ld+json"
    assert ld.json()["@context"] == CORE_CONTEXT_URL and "Link" not in ld
    geo = broker.get(f"/entities/{ID}", headers={"Accept": "application/geo+json"}).json()
    assert geo["type"] == "Feature" and geo["geometry"]["coordinates"] == [120.3, -2.6]
    assert geo["properties"]["waterLevel"]["value"] == 2.5
    assert_problem(
        broker.post("/entities", raw="<x/>", content_type="application/xml"), 415, "InvalidRequest"
    )


def test_missing_content_length_is_411(broker: Broker) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from kotacerdas.context.views import entities

    request = RequestFactory().post("/ngsi-ld/v1/entities", b"{}", content_type="application/json")
    del request.META["CONTENT_LENGTH"]  # the test client always sends one; a raw HTTP client may not
    request.user = AnonymousUser()
    assert_problem(entities(request), 411, "InvalidRequest")


def test_ld_json_body_needs_context_and_link_header_is_used(broker: Broker) -> None:
    entity = water()
    assert_problem(
        broker.post("/entities", entity, content_type="application/ld+json"), 400, "BadRequestData"
    )
    entity["@context"] = [SDM_CONTEXT_URL]
    assert broker.post("/entities", entity, content_type="application/ld+json").status_code == 201
    # the term was expanded with the Smart Data Models context: without it, the name is the full IRI
    plain = broker.get(f"/entities/{ID}").json()
    assert "https://smartdatamodels.org/dataModel.Environment/waterLevel" in plain
    link = {"Link": f"<{SDM_CONTEXT_URL}>; {LINK_REL}"}
    compact = broker.get(f"/entities/{ID}", headers=link)
    assert "waterLevel" in compact.json() and SDM_CONTEXT_URL in compact["Link"]
    assert broker.get("/entities?type=WaterObserved&q=waterLevel==2.5", headers=link).json()[0]["id"] == ID
    assert broker.get("/entities?type=WaterObserved").json() == []  # a different type IRI without the context
    inline = {**water(2), "@context": {"gauge": "https://example.org/gauge#"}}
    assert_problem(
        broker.post("/entities", inline), 400, "BadRequestData"
    )  # @context in an application/json body


def test_unreachable_context_is_504_and_nothing_is_written(broker: Broker, settings: Any) -> None:
    from kotacerdas.context import jsonld

    jsonld.configure(jsonld._sources[0] if jsonld._sources else None, 0.5)
    link = {"Link": f"<http://127.0.0.1:9/missing.jsonld>; {LINK_REL}"}
    assert_problem(broker.post("/entities", water(), headers=link), 504, "LdContextNotAvailable")
    assert broker.get("/entities?type=WaterObserved&count=true")["NGSILD-Results-Count"] == "0"


def test_unknown_parameter_is_invalid_request(broker: Broker) -> None:
    assert_problem(broker.get("/entities?type=X&colour=red"), 400, "InvalidRequest")


def test_replace_merge_and_delete(broker: Broker) -> None:
    broker.post("/entities", water(flow={"type": "Property", "value": 11}))
    replaced = water(level=3.0)
    del replaced["id"]
    assert broker.put(f"/entities/{ID}", replaced).status_code == 204
    body = broker.get(f"/entities/{ID}").json()
    assert body["waterLevel"]["value"] == 3.0 and "flow" not in body

    patch = {
        "waterLevel": {"type": "Property", "value": 3.5},
        "location": {"type": "Property", "value": "urn:ngsi-ld:null"},
    }
    response = broker.patch(f"/entities/{ID}", patch, content_type="application/merge-patch+json")
    assert response.status_code == 400  # location must stay a GeoProperty
    patch["location"] = {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [120.4, -2.5]}}
    assert (
        broker.patch(f"/entities/{ID}", patch, content_type="application/merge-patch+json").status_code == 204
    )
    assert broker.get(f"/entities/{ID}?options=keyValues").json()["waterLevel"] == 3.5

    assert broker.delete(f"/entities/{ID}").status_code == 204
    assert_problem(broker.get(f"/entities/{ID}"), 404, "ResourceNotFound")
    assert_problem(broker.delete(f"/entities/{ID}"), 404, "ResourceNotFound")


def test_attribute_operations_with_datasets(broker: Broker) -> None:
    broker.post("/entities", water())
    extra = {"waterLevel": {"type": "Property", "value": 9.9}, "flow": {"type": "Property", "value": 4}}
    kept = broker.post(f"/entities/{ID}/attrs?options=noOverwrite", extra)
    assert kept.status_code == 207
    assert kept.json()["notUpdated"][0]["attributeName"] == "waterLevel"
    body = broker.get(f"/entities/{ID}?options=keyValues").json()
    assert body["waterLevel"] == 2.5 and body["flow"] == 4

    second = {"waterLevel": {"type": "Property", "value": 2.7, "datasetId": "urn:ngsi-ld:Dataset:radar"}}
    assert broker.post(f"/entities/{ID}/attrs", second).status_code == 204
    assert len(broker.get(f"/entities/{ID}").json()["waterLevel"]) == 2

    update = broker.patch(
        f"/entities/{ID}/attrs",
        {"flow": {"type": "Property", "value": 5}, "rain": {"type": "Property", "value": 1}},
    )
    assert update.status_code == 207 and update.json()["updated"] == ["flow"]

    assert broker.patch(f"/entities/{ID}/attrs/flow", {"value": 6, "unitCode": "MQS"}).status_code == 204
    flow = broker.get(f"/entities/{ID}").json()["flow"]
    assert flow["value"] == 6 and flow["unitCode"] == "MQS"
    assert broker.put(f"/entities/{ID}/attrs/flow", {"type": "Property", "value": 7}).status_code == 204
    assert "unitCode" not in broker.get(f"/entities/{ID}").json()["flow"]

    assert (
        broker.delete(f"/entities/{ID}/attrs/waterLevel?datasetId=urn:ngsi-ld:Dataset:radar").status_code
        == 204
    )
    assert isinstance(broker.get(f"/entities/{ID}").json()["waterLevel"], dict)
    assert broker.delete(f"/entities/{ID}/attrs/flow").status_code == 204
    assert_problem(broker.delete(f"/entities/{ID}/attrs/flow"), 404, "ResourceNotFound")


def test_writes_need_a_token_unless_open(broker_as: Any, settings: Any) -> None:
    settings.NGSI_LD_OPEN = False
    anonymous = broker_as(None)
    response = anonymous.post("/entities", water())
    assert response.status_code == 401
    assert anonymous.get("/entities?type=WaterObserved").status_code == 200  # reads are public by default

    officer = broker_as("officer_a", tenant="73.22")
    assert officer.post("/entities", water()).status_code == 201
    assert broker_as("officer_b", tenant="73.22").post("/entities", water(2)).status_code == 403
    assert broker_as("officer_a").post("/entities", water(3)).status_code == 403  # default tenant
    assert broker_as("national_admin", tenant="32.76").post("/entities", water(4)).status_code == 201


def test_private_types_need_a_reader(broker_as: Any, settings: Any) -> None:
    settings.NGSI_LD_PUBLIC_TYPES = ["AirQualityObserved"]
    broker_as("officer_a", tenant="73.22").post("/entities", water())
    public = broker_as(None, tenant="73.22")
    assert public.get("/entities?type=WaterObserved").json() == []
    assert public.get(f"/entities/{ID}").status_code == 404
    assert broker_as("national_reviewer", tenant="73.22").get(f"/entities/{ID}").status_code == 200


def test_tenants_are_separate_and_unknown_tenants_are_404(broker_as: Any) -> None:
    admin_a = broker_as("national_admin", tenant="73.22")
    admin_a.post("/entities", water())
    assert broker_as("national_admin").get(f"/entities/{ID}").status_code == 404
    assert admin_a.get(f"/entities/{ID}").status_code == 200
    assert_problem(
        broker_as(None, tenant="99.99").get("/entities?type=WaterObserved"), 404, "NonexistentTenant"
    )
    assert_problem(
        broker_as("national_admin", tenant="bad tenant!").post("/entities", water()), 400, "BadRequestData"
    )


def test_a_browser_session_cannot_write(client_as: Any, settings: Any) -> None:
    settings.NGSI_LD_OPEN = False
    admin = client_as("national_admin")  # signed in with a session cookie, no token
    response = admin.post("/ngsi-ld/v1/entities", json.dumps(water()), content_type="application/json")
    assert response.status_code == 401


def test_a_relative_context_url_is_a_bad_request_not_a_crash(broker: Broker) -> None:
    """Found by the Hypothesis fuzz: `"@context": ""` in a batch reached PyLD, which raised a ValueError."""
    entity = {**water(), "@context": ""}
    assert_problem(
        broker.post("/entities", entity, content_type="application/ld+json"), 400, "BadRequestData"
    )
    response = broker.post("/entityOperations/upsert", [entity], content_type="application/ld+json")
    assert response.status_code in (207, 400) and response.status_code < 500


def test_the_type_index_follows_a_type_change_and_not_an_update(broker: Broker) -> None:
    """An update that keeps the types leaves the type rows alone (the ingestion path); a replace with
    another type rewrites them."""
    from kotacerdas.context.models import EntityType

    broker.post("/entities", water())
    patch = {"waterLevel": {"type": "Property", "value": 3.5}}
    assert broker.patch(f"/entities/{ID}/attrs", patch).status_code == 204
    assert EntityType.objects.filter(entity__entity_id=ID).count() == 1
    assert broker.get("/entities?type=WaterObserved&count=true")["NGSILD-Results-Count"] == "1"

    replaced = water(type="FloodMonitoring")
    del replaced["id"]
    assert broker.put(f"/entities/{ID}", replaced).status_code == 204
    assert broker.get("/entities?type=FloodMonitoring&count=true")["NGSILD-Results-Count"] == "1"
    assert broker.get("/entities?type=WaterObserved&count=true")["NGSILD-Results-Count"] == "0"
    assert EntityType.objects.filter(entity__entity_id=ID).count() == 1
