"""Fixtures of the ingestion tests: Luwu Utara's river service group and its Masamba gauge."""

from __future__ import annotations

import time
from typing import Any

import pytest

from kotacerdas.devices.ingest import RawMessage
from kotacerdas.devices.models import Device, ServiceGroup

GAUGE = "urn:ngsi-ld:FloodMonitoring:73.22:masamba-01"


@pytest.fixture
def group(db: Any) -> ServiceGroup:
    return ServiceGroup.objects.create(
        region_id="73.22",
        apikey="luwu-utara-key",
        entity_type="FloodMonitoring",
        attributes=[
            {
                "object_id": "l",
                "name": "currentLevel",
                "type": "Number",
                "unit_code": "MTR",
                "min": 0,
                "max": 30,
            }
        ],
    )


@pytest.fixture
def gauge(group: ServiceGroup) -> Device:
    return Device.objects.create(
        group=group,
        device_id="masamba-01",
        entity_name=GAUGE,
        entity_type="FloodMonitoring",
        static_attributes=[
            {"name": "alertLevel", "type": "Number", "value": 2.5},
            {"name": "dangerLevel", "type": "Number", "value": 3.5},
        ],
        latitude=-2.5539,
        longitude=120.3306,
        expected_interval=600,
    )


def mqtt(topic: str, payload: bytes | str, at_ms: int | None = None) -> RawMessage:
    """A message as the stream receives it."""
    data = payload.encode() if isinstance(payload, str) else payload
    return RawMessage("mqtt", topic, data, at_ms or int(time.time() * 1000))
