"""What the operations page shows: every station's live level against its thresholds, open alerts, and
each station's recent history."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.db import connection

from kotacerdas.context import jsonld
from kotacerdas.context.models import Entity
from kotacerdas.context.store import INSTANCE_TABLE
from kotacerdas.devices.models import Device

from .chart import Chart, chart
from .evaluate import numeric_values
from .models import Alert

LEVEL_ATTRIBUTE = "currentLevel"


@dataclass(frozen=True)
class StationView:
    """One row of the live table."""

    device: Device
    level: float | None
    observed: str | None
    alert_level: float | None
    danger_level: float | None
    severity: str
    chart: Chart | None


def _status(level: float | None, alert: float | None, danger: float | None) -> str:
    if level is None:
        return "Normal"
    if danger is not None and level >= danger:
        return "Awas"
    if alert is not None and level >= alert:
        return "Siaga"
    return "Normal"


def stations(region: str | None = None, hours: int = 6) -> list[StationView]:
    devices = Device.objects.select_related("group").order_by("group__region_id", "device_id")
    if region:
        devices = devices.filter(group__region_id=region)
    terms = jsonld.term_map((jsonld.SDM_CONTEXT_URL,))
    entities = {e.entity_id: e for e in Entity.objects.filter(entity_id__in=[d.entity_name for d in devices])}
    now_ms = int(time.time() * 1000)
    views = []
    for device in devices:
        entity = entities.get(device.entity_name)
        values = numeric_values({"attrs": entity.data}) if entity else {}
        level = values.get(LEVEL_ATTRIBUTE)
        observed = _observed(entity, terms)
        alert, danger = values.get("alertLevel"), values.get("dangerLevel")
        series = _series(entity, terms.expand(LEVEL_ATTRIBUTE), now_ms - hours * 3_600_000) if entity else []
        thresholds = [(name, v) for name, v in (("Siaga", alert), ("Awas", danger)) if v is not None]
        drawn = chart(series, thresholds, now_ms - hours * 3_600_000, now_ms) if series else None
        views.append(
            StationView(device, level, observed, alert, danger, _status(level, alert, danger), drawn)
        )
    return views


def _observed(entity: Entity | None, terms: Any) -> str | None:
    if entity is None:
        return None
    found = entity.data.get(terms.expand(LEVEL_ATTRIBUTE))
    return found.get("observedAt") if isinstance(found, dict) else None


def _series(entity: Entity, attribute: str, since_ms: int) -> list[tuple[int, float]]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT observed_ms, number FROM {INSTANCE_TABLE} WHERE entity_key = %s AND attribute = %s "  # noqa: S608
            "AND observed_ms >= %s AND number IS NOT NULL ORDER BY observed_ms",
            [entity.pk, attribute, since_ms],
        )
        return [(int(ms), float(value)) for ms, value in cursor.fetchall()]


def open_alerts(region: str | None = None) -> list[Alert]:
    from .services import filtered_alerts

    return list(filtered_alerts("open", region, None)[:50])
