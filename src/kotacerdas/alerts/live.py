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
from .conditions import SEVERITIES, Spec, SpecError, raw_level
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
    """The level the station's own thresholds give, by the same rule the alerts use."""
    levels = tuple((lvl, t) for lvl, t in ((2, alert), (3, danger)) if t is not None)
    if level is None or not levels:
        return SEVERITIES[0]
    try:
        return SEVERITIES[raw_level(Spec("threshold", LEVEL_ATTRIBUTE, levels), level, 0)]
    except SpecError:  # thresholds out of order on the station: say nothing rather than guess
        return SEVERITIES[0]


def stations(region: str | None = None, hours: int = 6) -> list[StationView]:
    devices = list(Device.objects.select_related("group").order_by("group__region_id", "device_id"))
    if region:
        devices = [d for d in devices if d.group.region_id == region]
    terms = jsonld.term_map((jsonld.SDM_CONTEXT_URL,))
    found = Entity.objects.filter(
        tenant__name__in={str(d.group.region_id) for d in devices},
        entity_id__in=[d.entity_name for d in devices],
    ).select_related("tenant")
    entities = {(e.tenant.name, e.entity_id): e for e in found}
    now_ms = int(time.time() * 1000)
    since = now_ms - hours * 3_600_000
    series = _series([e.pk for e in entities.values()], terms.expand(LEVEL_ATTRIBUTE), since)
    views = []
    for device in devices:
        entity = entities.get((str(device.group.region_id), device.entity_name))
        values = numeric_values({"attrs": entity.data}) if entity else {}
        level, alert, danger = (values.get(n) for n in (LEVEL_ATTRIBUTE, "alertLevel", "dangerLevel"))
        points = series.get(entity.pk, []) if entity else []
        thresholds = [(name, v) for name, v in (("Siaga", alert), ("Awas", danger)) if v is not None]
        drawn = chart(points, thresholds, since, now_ms) if points else None
        observed = _observed(entity, terms)
        views.append(
            StationView(device, level, observed, alert, danger, _status(level, alert, danger), drawn)
        )
    return views


def _observed(entity: Entity | None, terms: Any) -> str | None:
    if entity is None:
        return None
    found = entity.data.get(terms.expand(LEVEL_ATTRIBUTE))
    return found.get("observedAt") if isinstance(found, dict) else None


def _series(keys: list[int], attribute: str, since_ms: int) -> dict[int, list[tuple[int, float]]]:
    """Every station's recent numbers in one query: entity key → [(observed ms, value)]."""
    series: dict[int, list[tuple[int, float]]] = {}
    if not keys:
        return series
    marks = ", ".join(["%s"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT entity_key, observed_ms, number FROM {INSTANCE_TABLE} WHERE entity_key IN ({marks}) "  # noqa: S608
            "AND attribute = %s AND observed_ms >= %s AND number IS NOT NULL "
            "ORDER BY entity_key, observed_ms",
            [*keys, attribute, since_ms],
        )
        for key, ms, value in cursor.fetchall():
            series.setdefault(int(key), []).append((int(ms), float(value)))
    return series


def open_alerts(region: str | None = None) -> list[Alert]:
    from .services import filtered_alerts

    return list(filtered_alerts("open", region, None)[:50])
