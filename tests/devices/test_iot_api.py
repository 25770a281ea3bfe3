"""The IoT Agent interfaces: provisioning in the FIWARE JSON shapes (token), southbound HTTP (API key),
bulk import, and the dead-letter API."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.test import Client

from kotacerdas.devices import services
from kotacerdas.devices.models import DeadLetter, Device, ServiceGroup

pytestmark = pytest.mark.django_db
GROUP = {
    "services": [
        {
            "apikey": "lutra-1",
            "entity_type": "FloodMonitoring",
            "resource": "/iot/d",
            "attributes": [
                {
                    "object_id": "l",
                    "name": "currentLevel",
                    "type": "Number",
                    "metadata": {"unitCode": {"type": "Text", "value": "MTR"}},
                }
            ],
        }
    ]
}
DEVICES = {
    "devices": [
        {
            "device_id": "rongkong-01",
            "entity_name": "urn:ngsi-ld:FloodMonitoring:73.22:rongkong-01",
            "entity_type": "FloodMonitoring",
            "apikey": "lutra-1",
            "latitude": -2.6158,
            "longitude": 120.1583,
        }
    ]
}


def call(
    client: Client, method: str, path: str, token: str | None, body: Any = None, service: str = "73.22"
) -> Any:
    headers = {"Fiware-Service": service}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    send = getattr(client, method)
    if body is None:
        return send(path, headers=headers)
    return send(path, json.dumps(body), content_type="application/json", headers=headers)


def test_provision_then_send_over_http(client: Client, api_token: Any) -> None:
    token = api_token("officer_a")
    assert call(client, "post", "/iot/services", token, GROUP).status_code == 201
    assert call(client, "post", "/iot/devices", token, DEVICES).status_code == 201
    listed = call(client, "get", "/iot/devices", token).json()
    assert listed["count"] == 1 and listed["devices"][0]["apikey"] == "lutra-1"
    ok = client.post("/iot/d?k=lutra-1&i=rongkong-01", "l|3.2", content_type="text/plain")
    assert ok.status_code == 200 and ok.json()["stored"] == 1
    assert client.get("/iot/d?k=lutra-1&i=rongkong-01&d=l|3.3&t=2026-11-22T00:00:00Z").status_code == 200
    posted = client.post(
        "/iot/json?k=lutra-1&i=rongkong-01", json.dumps({"l": 3.4}), content_type="application/json"
    )
    assert posted.status_code == 200
    entity = client.get(
        "/ngsi-ld/v1/entities/urn:ngsi-ld:FloodMonitoring:73.22:rongkong-01?options=keyValues",
        headers={"NGSILD-Tenant": "73.22"},
    ).json()
    level = next(v for k, v in entity.items() if k.endswith("currentLevel"))
    assert level == 3.4


def test_southbound_refusals_are_problems_and_dead_letters(client: Client, api_token: Any) -> None:
    call(client, "post", "/iot/services", api_token("officer_a"), GROUP)
    call(client, "post", "/iot/devices", api_token("officer_a"), DEVICES)
    unknown = client.post("/iot/d?k=nope&i=rongkong-01", "l|1", content_type="text/plain")
    assert unknown.status_code == 404 and unknown["Content-Type"] == "application/problem+json"
    bad = client.post("/iot/json?k=lutra-1&i=rongkong-01", "{oops", content_type="application/json")
    assert bad.status_code == 400 and "not valid JSON" in bad.json()["detail"]
    missing = client.post("/iot/d?k=lutra-1", "l|1", content_type="text/plain")
    assert missing.status_code == 400
    assert DeadLetter.objects.count() == 3
    letters = client.get(
        "/api/deadletters?region=73.22", headers={"Authorization": f"Bearer {api_token('officer_a')}"}
    ).json()
    assert letters["count"] == 2  # the unknown key has no region: only national admins see it
    assert {item["raw"] for item in letters["items"]} == {"{oops", "l|1"}
    everything = client.get(
        "/api/deadletters", headers={"Authorization": f"Bearer {api_token('national_admin')}"}
    ).json()
    assert everything["count"] == 3


@pytest.mark.parametrize(
    ("key", "service", "status"),
    [
        ("national_admin", "73.22", 201),
        ("officer_a", "73.22", 201),
        ("officer_b", "73.22", 403),
        ("partner", "73.22", 403),
        (None, "73.22", 401),
    ],
)
def test_who_may_provision(
    client: Client, api_token: Any, key: str | None, service: str, status: int
) -> None:
    assert (
        call(client, "post", "/iot/services", api_token(key) if key else None, GROUP, service).status_code
        == status
    )


def test_dead_letters_are_not_for_other_regions(client: Client, api_token: Any) -> None:
    response = client.get(
        "/api/deadletters?region=73.22", headers={"Authorization": f"Bearer {api_token('officer_b')}"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        {"services": []},
        {"services": [{"apikey": "", "entity_type": "X"}]},
        {"services": [{"apikey": "k", "protocol": "LoRa"}]},
        {"nothing": 1},
        {"services": [{"apikey": "k", "attributes": "l"}]},
    ],
)
def test_bad_groups_are_refused(client: Client, api_token: Any, body: Any) -> None:
    response = call(client, "post", "/iot/services", api_token("national_admin"), body)
    assert response.status_code == 400 and response.json()["detail"]
    assert not ServiceGroup.objects.exists()


def test_update_and_delete_a_device(client: Client, api_token: Any) -> None:
    token = api_token("officer_a")
    call(client, "post", "/iot/services", token, GROUP)
    call(client, "post", "/iot/devices", token, DEVICES)
    assert (
        call(client, "put", "/iot/devices/rongkong-01", token, {"expected_interval": 120}).status_code == 204
    )
    assert Device.objects.get().expected_interval == 120
    assert call(client, "delete", "/iot/devices/rongkong-01", token).status_code == 204
    assert call(client, "get", "/iot/devices/rongkong-01", token).status_code == 404


def test_bulk_import_is_all_or_nothing(users: Any) -> None:
    group = ServiceGroup.objects.create(region_id="73.22", apikey="k1", entity_type="FloodMonitoring")
    good = (
        "device_id,latitude,longitude,attributes\n"
        "radda-01,-2.5361,120.2953,l=currentLevel:Number:MTR\nmasamba-01,-2.55,120.33,l=currentLevel\n"
    )
    created = services.import_devices(users["officer_a"], group, io.BytesIO(good.encode()), "gauges.csv")
    assert [d.device_id for d in created] == ["radda-01", "masamba-01"]
    assert created[0].attributes == [
        {"object_id": "l", "name": "currentLevel", "type": "Number", "unit_code": "MTR"}
    ]
    bad = "device_id,latitude\nx-01,abc\n,1\n"
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        services.import_devices(users["officer_a"], group, io.BytesIO(bad.encode()), "gauges.csv")
    assert "Row 2" in str(error.value) and "Row 3" in str(error.value)
    assert Device.objects.count() == 2
