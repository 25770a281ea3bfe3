"""The rule and device pages: lists, forms with field errors, permissions, the import upload."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.alerts.models import AlertRule
from kotacerdas.devices.models import Device, ServiceGroup

pytestmark = pytest.mark.django_db
RULE = {
    "name": "Siaga Masamba",
    "region": "73.22",
    "entity_type": "FloodMonitoring",
    "attribute": "currentLevel",
    "kind": "threshold",
    "siaga_attribute": "alertLevel",
    "awas_attribute": "dangerLevel",
    "waspada": "1.5",
    "hysteresis": "0.1",
    "debounce_count": "2",
    "inapp": "on",
}


def test_an_officer_creates_a_rule_on_the_page(client_as: Any) -> None:
    client = client_as("officer_a")
    response = client.post("/operations/rules/", RULE)
    assert response.status_code == 302
    rule = AlertRule.objects.get()
    assert rule.thresholds == {"Waspada": 1.5} and rule.level_attributes == {
        "Siaga": "alertLevel",
        "Awas": "dangerLevel",
    }
    assert rule.channels == [{"kind": "inapp"}] and rule.debounce_count == 2
    assert "Siaga Masamba" in client.get("/operations/rules/").content.decode()


def test_rule_form_errors_are_shown_and_nothing_is_saved(client_as: Any) -> None:
    client = client_as("officer_a")
    bad = {**RULE, "waspada": "tinggi", "siaga_attribute": "", "awas_attribute": ""}
    page = client.post("/operations/rules/", bad).content.decode()
    assert 'role="alert"' in page
    other_region = client.post("/operations/rules/", {**RULE, "region": "32.76"}).content.decode()
    assert 'role="alert"' in other_region
    no_levels = client.post(
        "/operations/rules/", {**RULE, "waspada": "", "siaga_attribute": "", "awas_attribute": ""}
    )
    assert 'role="alert"' in no_levels.content.decode()
    assert not AlertRule.objects.exists()


def test_devices_page_group_and_import(client_as: Any) -> None:
    client = client_as("officer_a")
    created = client.post(
        "/devices/",
        {"entity_type": "FloodMonitoring", "protocol": "IoTA-UL", "attributes": "l=currentLevel:Number:MTR"},
    )
    assert created.status_code == 302
    group = ServiceGroup.objects.get()
    assert group.region_id == "73.22" and group.attributes[0]["name"] == "currentLevel"
    upload = SimpleUploadedFile("gauges.csv", b"device_id,latitude,longitude\nradda-01,-2.5361,120.2953\n")
    client.post(f"/devices/groups/{group.pk}/import/", {"file": upload})
    assert Device.objects.get().device_id == "radda-01"
    assert "radda-01" in client.get("/devices/").content.decode()
    bad = client.post(
        "/devices/", {"entity_type": "FloodMonitoring", "protocol": "IoTA-UL", "attributes": "=x"}
    )
    assert 'role="alert"' in bad.content.decode()
    upload = SimpleUploadedFile("gauges.csv", b"device_id,latitude,longitude\nradda-02,-2.5,120.3\n")
    client_as("officer_b").post(f"/devices/groups/{group.pk}/import/", {"file": upload})
    assert Device.objects.count() == 1  # another region's officer may not


def test_pages_are_not_for_the_public_or_partners(client_as: Any) -> None:
    for path in ("/devices/", "/operations/rules/", "/operations/deadletters/"):
        assert client_as(None).get(path).status_code in (302, 403)
        assert client_as("partner").get(path).status_code == 403
