"""KPIs computed from live data: a binding's readings aggregated per region and period, stored with
provenance and published as an NGSI-LD `KeyPerformanceIndicator` entity in the region's tenant. The worker
computes the current and the previous period of every binding once an hour; `compute` runs on demand."""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from kotacerdas.context import jsonld
from kotacerdas.context import services as context
from kotacerdas.context.models import Entity, Tenant
from kotacerdas.context.store import INSTANCE_TABLE

from . import kpi
from .models import KpiBinding, KpiValue

log = logging.getLogger("kotacerdas.kpi")


def _tenant(code: str) -> Tenant | None:
    return Tenant.objects.filter(name=code).first()


def regions_of(binding: KpiBinding) -> list[str]:
    """The binding's region, or every region whose tenant has entities of the type."""
    if binding.region_id:
        return [str(binding.region_id)]
    type_iri = jsonld.term_map((jsonld.SDM_CONTEXT_URL,)).expand(binding.entity_type)
    tenants = Tenant.objects.filter(region__isnull=False, entities__type_rows__type_iri=type_iri)
    return sorted({str(code) for code in tenants.values_list("region_id", flat=True)})


def _readings(tenant: Tenant, binding: KpiBinding, low: int, high: int) -> list[tuple[int, float]]:
    terms = jsonld.term_map((jsonld.SDM_CONTEXT_URL,))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT i.observed_ms, i.number FROM {INSTANCE_TABLE} i WHERE i.tenant_id = %s "  # noqa: S608
            "AND i.attribute = %s AND i.observed_ms >= %s AND i.observed_ms < %s AND i.number IS NOT NULL "
            "AND i.entity_key IN (SELECT t.entity_id FROM context_entitytype t "
            "WHERE t.tenant_id = %s AND t.type_iri = %s)",
            [
                tenant.pk,
                terms.expand(binding.attribute),
                low,
                high,
                tenant.pk,
                terms.expand(binding.entity_type),
            ],
        )
        return [(int(ms), float(value)) for ms, value in cursor.fetchall()]


def _availability(tenant: Tenant, binding: KpiBinding, low: int, high: int) -> tuple[float | None, int]:
    from kotacerdas.devices.models import Device

    devices = list(Device.objects.filter(group__region_id=tenant.region_id, entity_type=binding.entity_type))
    keys = dict(
        Entity.objects.filter(tenant=tenant, entity_id__in=[d.entity_name for d in devices]).values_list(
            "entity_id", "pk"
        )
    )
    counts: dict[int, int] = {}
    if keys:
        marks = ", ".join(["%s"] * len(keys))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT entity_key, count(DISTINCT observed_ms) FROM {INSTANCE_TABLE} WHERE tenant_id = %s "  # noqa: S608
                f"AND observed_ms >= %s AND observed_ms < %s AND entity_key IN ({marks}) GROUP BY entity_key",
                [tenant.pk, low, high, *keys.values()],
            )
            counts = dict(cursor.fetchall())
    seconds = (high - low) / 1000
    shares = [
        kpi.availability(counts.get(keys.get(d.entity_name, -1), 0), seconds, d.expected_interval)
        for d in devices
    ]
    return (sum(shares) / len(shares) if shares else None), sum(counts.values())


def _value(tenant: Tenant, binding: KpiBinding, low: int, high: int) -> tuple[float | None, int]:
    if binding.method == "alerts_count":
        from kotacerdas.alerts.models import Alert

        alerts = Alert.objects.filter(
            region_id=tenant.region_id,
            rule__entity_type=binding.entity_type,
            raised_at__gte=datetime.fromtimestamp(low / 1000, tz=UTC),
            raised_at__lt=datetime.fromtimestamp(high / 1000, tz=UTC),
        ).count()
        return float(alerts), alerts
    if binding.method == "availability":
        return _availability(tenant, binding, low, high)
    readings = _readings(tenant, binding, low, high)
    return kpi.aggregate(binding.method, readings, binding.threshold), len(readings)


def describe(binding: KpiBinding, code: str, start: date, end: date) -> str:
    """The provenance text: what was aggregated, how, over which window."""
    what = f"{binding.entity_type}.{binding.attribute}" if binding.attribute else binding.entity_type
    threshold = f", threshold {binding.threshold}" if binding.threshold is not None else ""
    return f"{binding.method}({what}{threshold}) in tenant {code}, observedAt in [{start}, {end})"


def compute(
    binding: KpiBinding, code: str, day: date | None = None, now: datetime | None = None
) -> KpiValue | None:
    """Compute (or recompute) the binding's value for a region and the period containing `day`."""
    now = now or timezone.now()
    start, end = kpi.period_bounds(binding.period, day or now.date())
    tenant = _tenant(code)
    if tenant is None:
        return None
    low, high = kpi.epoch_ms(start), min(kpi.epoch_ms(end), int(now.timestamp() * 1000))
    value, used = _value(tenant, binding, low, max(high, low + 1))
    with transaction.atomic():
        row, _ = KpiValue.objects.update_or_create(
            binding=binding,
            region_id=code,
            period_start=start,
            defaults={
                "period_end": end,
                "value": value,
                "reading_count": used,
                "query": describe(binding, code, start, end),
                "computed_at": now,
            },
        )
        publish_entity(row, tenant)
    return row


def compute_due(now: datetime | None = None) -> int:
    """The current and the previous period of every enabled binding, for each of its regions."""
    now = now or timezone.now()
    done = 0
    for binding in KpiBinding.objects.filter(enabled=True).select_related("indicator"):
        start, _ = kpi.period_bounds(binding.period, now.date())
        for code in regions_of(binding):
            for day in (now.date(), start - timedelta(days=1)):
                done += compute(binding, code, day, now) is not None
    return done


def entity_id(row: KpiValue) -> str:
    code = re.sub(r"[^A-Za-z0-9]+", "-", row.binding.indicator.code).strip("-")
    return f"urn:ngsi-ld:KeyPerformanceIndicator:{row.region_id}:{code}:{row.period_start.isoformat()}"


def kpi_entity(row: KpiValue) -> dict[str, Any]:
    """The Smart Data Models KeyPerformanceIndicator of a value."""
    indicator = row.binding.indicator
    prop = lambda value: {"type": "Property", "value": value}  # noqa: E731
    return {
        "id": entity_id(row),
        "type": "KeyPerformanceIndicator",
        "name": prop(indicator.name),
        "kpiValue": prop(row.value),
        "calculationFrequency": prop(
            {"day": "daily", "month": "monthly", "year": "yearly"}[row.binding.period]
        ),
        "calculationPeriod": prop({"from": row.period_start.isoformat(), "to": row.period_end.isoformat()}),
        "calculationMethod": prop(row.binding.method),
        "calculationFormula": prop(row.query),
        "category": prop(["quantitative"]),
        "aggregatedData": prop({"readings": row.reading_count}),
        "organization": prop(f"kotacerdas {row.region_id}"),
        "description": prop(f"{indicator.code} ({indicator.unit})"),
    }


def publish_entity(row: KpiValue, tenant: Tenant) -> None:
    terms = jsonld.term_map((jsonld.SDM_CONTEXT_URL,))
    result = context.batch_write(tenant, [kpi_entity(row)], lambda _: terms, "upsert-replace")
    for failed, error in result.errors:
        log.error("KPI entity not written", extra={"entity": failed, "error": error.detail})


def latest(indicator_code: str, region: str, year: int) -> KpiValue | None:
    """The newest computed value of an indicator for a region within a year (what the evaluation reads)."""
    return (
        KpiValue.objects.filter(
            binding__indicator__code=indicator_code, region_id=region, period_start__year=year
        )
        .order_by("-period_start", "-computed_at")
        .first()
    )
