"""The Luwu Utara early-warning scenario of the demo: FloodMonitoring stations on the Masamba, Radda and
Rongkong rivers (service group and devices), the flood rules, two days of history, and the live simulator
that feeds readings in-process (no broker needed) or publishes them to a real MQTT broker."""

from __future__ import annotations

import logging
import threading
import time

from . import simulator
from .ingest import RawMessage, ingest
from .models import Device, ServiceGroup

log = logging.getLogger("kotacerdas.simulator")
APIKEY = "luwu-utara-demo"
REGION = "73.22"
ATTRIBUTES = [
    {"object_id": "l", "name": "currentLevel", "type": "Number", "unit_code": "MTR", "min": 0, "max": 30}
]


def seed_devices() -> list[Device]:
    """The service group and the three stations (idempotent)."""
    group, _ = ServiceGroup.objects.get_or_create(
        apikey=APIKEY,
        defaults={
            "region_id": REGION,
            "entity_type": "FloodMonitoring",
            "attributes": ATTRIBUTES,
            "description": "Contoh: pos duga air banjir bandang Luwu Utara",
        },
    )
    devices = []
    for station in simulator.STATIONS:
        device, _ = Device.objects.get_or_create(
            group=group,
            device_id=station.device_id,
            defaults={
                "entity_name": f"urn:ngsi-ld:FloodMonitoring:{REGION}:{station.device_id}",
                "entity_type": "FloodMonitoring",
                "latitude": station.latitude,
                "longitude": station.longitude,
                "expected_interval": 600,
                "static_attributes": [
                    {"name": "name", "type": "Text", "value": station.river},
                    {"name": "stationID", "type": "Text", "value": station.device_id},
                    {"name": "alertLevel", "type": "Number", "value": station.alert_level},
                    {"name": "dangerLevel", "type": "Number", "value": station.danger_level},
                ],
            },
        )
        devices.append(device)
    return devices


def seed_rules() -> None:
    from kotacerdas.alerts.models import AlertRule

    AlertRule.objects.get_or_create(
        name="Peringatan dini banjir bandang (contoh)",
        defaults={
            "region_id": REGION,
            "entity_type": "FloodMonitoring",
            "attribute": "currentLevel",
            "level_attributes": {"Siaga": "alertLevel", "Awas": "dangerLevel"},
            "hysteresis": 0.1,
            "debounce_count": 2,
            "escalate_after_minutes": 10,
            "channels": [{"kind": "inapp", "min_severity": "Siaga"}],
        },
    )
    AlertRule.objects.get_or_create(
        name="Kenaikan muka air cepat (contoh)",
        defaults={
            "region_id": REGION,
            "entity_type": "FloodMonitoring",
            "attribute": "currentLevel",
            "kind": "rate",
            "thresholds": {"Waspada": 3.0},
            "window_seconds": 900,
        },
    )
    AlertRule.objects.get_or_create(
        name="Pos duga air tidak mengirim data (contoh)",
        defaults={
            "region_id": REGION,
            "entity_type": "FloodMonitoring",
            "attribute": "currentLevel",
            "kind": "stale",
            "stale_seconds": 600,
            "severity": 1,
            "sub_category": "flood",
        },
    )


def messages_at(epoch_s: float) -> list[RawMessage]:
    """One UltraLight message per station at that time."""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch_s))
    return [
        RawMessage(
            "mqtt",
            f"/{APIKEY}/{s.device_id}/attrs",
            f"{stamp}|{simulator.ultralight(s, epoch_s)}".encode(),
            int(epoch_s * 1000),
        )
        for s in simulator.STATIONS
    ]


def seed_history(hours: int = 48) -> int:
    """Readings every 10 minutes for the past two days, every 2 minutes for the last two hours (with four
    flash floods and their alerts); idempotent: the same times give the same instance ids."""
    now = int(time.time()) // 600 * 600
    times = [*range(now - hours * 3600, now - 7200, 600), *range(now - 7200, now + 1, 120)]
    messages = [m for t in times for m in messages_at(t)]
    stored = 0
    for start in range(0, len(messages), 300):
        stored += ingest(messages[start : start + 300]).stored
    return stored


def seed_flood_scenario() -> int:
    seed_devices()
    seed_rules()
    stored = seed_history()
    seed_kpis()
    return stored


def run_simulator(stop: threading.Event, interval: float = 10.0) -> None:
    """Feed live readings in-process every `interval` seconds until stopped."""
    from django.db import close_old_connections

    while not stop.wait(interval):
        try:
            ingest(messages_at(time.time()))
        except Exception:  # the demo keeps running; the failure is in the log
            log.exception("simulated readings not stored")
        finally:
            close_old_connections()


def seed_kpis() -> int:
    """Two national indicators computed from the stations' data, bound for Luwu Utara and computed now."""
    from kotacerdas.indicators.compute import compute_due
    from kotacerdas.indicators.models import Indicator, KpiBinding
    from kotacerdas.pillars.models import Pillar

    society = Pillar.objects.get(key="society")
    warnings, _ = Indicator.objects.get_or_create(
        code="NAT-EWS-01",
        defaults={
            "name": "Peringatan dini banjir yang diterbitkan",
            "unit": "peringatan per bulan",
            "direction": "lower",
            "level": "national",
            "pillar": society,
            "data_source": "kotacerdas: aturan peringatan dini (alerts)",
        },
    )
    sensors, _ = Indicator.objects.get_or_create(
        code="NAT-IOT-01",
        defaults={
            "name": "Ketersediaan sensor pos duga air",
            "unit": "%",
            "direction": "higher",
            "level": "national",
            "pillar": society,
            "goal_min": 0,
            "goal_max": 100,
            "data_source": "kotacerdas: pembacaan perangkat",
        },
    )
    KpiBinding.objects.get_or_create(
        indicator=warnings,
        region_id=REGION,
        entity_type="FloodMonitoring",
        defaults={"method": "alerts_count", "period": "month"},
    )
    KpiBinding.objects.get_or_create(
        indicator=sensors,
        region_id=REGION,
        entity_type="FloodMonitoring",
        defaults={"method": "availability", "period": "day"},
    )
    return compute_due()
