"""Ingestion end to end on the real database: readings land as NGSI-LD attributes and temporal
instances, redeliveries write nothing twice, bad messages become dead letters and the rest flows."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from django.test import Client

from kotacerdas.context import jsonld
from kotacerdas.context import services as context
from kotacerdas.devices.ingest import ingest, mark_silent
from kotacerdas.devices.models import DeadLetter, Device

from .conftest import GAUGE, mqtt

NOW = int(time.time() * 1000) // 1000 * 1000


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat().replace("+00:00", "Z")


HEADERS = {"NGSILD-Tenant": "73.22", "Link": jsonld.link_header(jsonld.SDM_CONTEXT_URL)}


def _entity(client: Client) -> Any:
    return client.get(f"/ngsi-ld/v1/entities/{GAUGE}", headers=HEADERS)


def test_readings_become_attributes_and_history(gauge: Device, client: Client) -> None:
    outcome = ingest([mqtt("/luwu-utara-key/masamba-01/attrs", f"{_iso(NOW - 60_000)}|l|2.1#l|2.3", NOW)])
    assert (outcome.readings, outcome.stored, outcome.dead) == (2, 2, [])
    body = _entity(client).json()
    assert body["type"] == "FloodMonitoring"
    assert body["currentLevel"]["value"] == 2.3
    assert body["currentLevel"]["unitCode"] == "MTR"
    assert body["alertLevel"]["value"] == 2.5  # static attribute of the device
    assert body["location"]["value"]["coordinates"] == [120.3306, -2.5539]
    history = client.get(f"/ngsi-ld/v1/temporal/entities/{GAUGE}?attrs=currentLevel", headers=HEADERS).json()
    assert [i["value"] for i in history["currentLevel"]] == [2.1, 2.3]
    gauge.refresh_from_db()
    assert gauge.last_seen is not None and gauge.available


def test_a_redelivered_message_is_stored_once(gauge: Device) -> None:
    message = mqtt("/luwu-utara-key/masamba-01/attrs/l", "2.2", NOW)
    assert ingest([message]).stored == 1
    again = ingest([message, message])
    assert (again.stored, again.duplicates) == (0, 1)


def test_an_older_reading_does_not_overwrite_a_newer_value(gauge: Device, client: Client) -> None:
    ingest([mqtt("/luwu-utara-key/masamba-01/attrs/l", "2.9", NOW)])
    ingest([mqtt("/luwu-utara-key/masamba-01/attrs", f"{_iso(NOW - 600_000)}|l|1.0", NOW)])
    assert _entity(client).json()["currentLevel"]["value"] == 2.9


def test_bad_messages_are_dead_lettered_and_the_batch_flows(gauge: Device) -> None:
    messages = [
        mqtt("/unknown-key/masamba-01/attrs", "l|1"),
        mqtt("/luwu-utara-key/nobody/attrs", "l|1"),
        mqtt("/luwu-utara-key/masamba-01/attrs", "l|deep"),
        mqtt("/luwu-utara-key/masamba-01/attrs", "l|99"),
        mqtt("/luwu-utara-key/masamba-01/attrs", "2001-01-01T00:00:00Z|l|1"),
        mqtt("/luwu-utara-key/masamba-01/attrs", f"{_iso(NOW + 3_600_000)}|l|1"),
        mqtt("/luwu-utara-key/masamba-01/attrs", b"\xff\x00"),
        mqtt("/luwu-utara-key/masamba-01", "l|1"),
        mqtt("/luwu-utara-key/masamba-01/attrs", "l|2.0"),
    ]
    outcome = ingest(messages)
    assert outcome.stored == 1
    reasons = list(DeadLetter.objects.order_by("id").values_list("reason", flat=True))
    assert len(reasons) == 8
    for expected, reason in zip(
        [
            "unknown API key",
            "unknown device",
            "expected a number",
            "plausible range",
            "out of range",
            "out of range",
            "not UTF-8",
            "is not /<apikey>",
        ],
        reasons,
        strict=True,
    ):
        assert expected in reason
    letter = DeadLetter.objects.get(reason__contains="UTF-8")
    assert bytes(letter.raw) == b"\xff\x00" and letter.region_id == "73.22"


def test_autoprovisioning(group: Any, client: Client) -> None:
    group.autoprovision = True
    group.save()
    ingest([mqtt("/luwu-utara-key/radda-01/attrs", "l|1.7")])
    device = Device.objects.get(device_id="radda-01")
    assert device.entity_name == "urn:ngsi-ld:FloodMonitoring:73.22:radda-01"
    tenant = context.tenant_for_read("73.22")
    assert context.retrieve(tenant, device.entity_name)["attrs"]


def test_a_silent_device_becomes_unavailable_once_and_returns(gauge: Device, caplog: Any) -> None:
    ingest([mqtt("/luwu-utara-key/masamba-01/attrs/l", "2.0")])
    later = datetime.now(UTC).replace(microsecond=0)
    from datetime import timedelta

    assert mark_silent(later + timedelta(seconds=601)) == ["masamba-01"]
    assert mark_silent(later + timedelta(seconds=1200)) == []  # logged once
    gauge.refresh_from_db()
    assert not gauge.available
    ingest([mqtt("/luwu-utara-key/masamba-01/attrs/l", "2.0")])
    gauge.refresh_from_db()
    assert gauge.available
    assert "available again" in caplog.text


def test_readings_fire_ngsi_ld_subscriptions(gauge: Device, receiver: Any) -> None:
    """A subscription on currentLevel > 3 (with the Smart Data Models context) is notified by ingestion."""
    from kotacerdas.context import subscriptions
    from kotacerdas.context.models import Notification

    tenant = context.tenant_for_write("73.22")
    body = {
        "type": "Subscription",
        "entities": [{"type": "FloodMonitoring"}],
        "watchedAttributes": ["currentLevel"],
        "q": "currentLevel>3",
        "notification": {"endpoint": {"uri": receiver.url}, "attributes": ["currentLevel"]},
    }
    subscriptions.create(tenant, body, (jsonld.SDM_CONTEXT_URL,), None)
    ingest([mqtt("/luwu-utara-key/masamba-01/attrs/l", "2.0", NOW - 60_000)])
    assert not Notification.objects.exists()  # below the q
    ingest([mqtt("/luwu-utara-key/masamba-01/attrs/l", "3.4", NOW)])
    assert Notification.objects.count() == 1
    assert subscriptions.deliver_due() == 1
    assert receiver.received[0]["data"][0]["currentLevel"]["value"] == 3.4
