"""KPI arithmetic (pure) with hand-computed values, and KPIs computed from ingested readings end to end."""

from __future__ import annotations

import json
import time
from datetime import date
from typing import Any

import pytest
from django.test import Client

from kotacerdas.indicators import compute, kpi
from kotacerdas.indicators.models import Indicator, KpiBinding
from tests.devices.conftest import mqtt

H = 3_600_000


def test_periods() -> None:
    assert kpi.period_bounds("month", date(2026, 12, 5)) == (date(2026, 12, 1), date(2027, 1, 1))
    assert kpi.period_bounds("year", date(2026, 2, 1)) == (date(2026, 1, 1), date(2027, 1, 1))
    assert kpi.period_bounds("day", date(2026, 2, 28)) == (date(2026, 2, 28), date(2026, 3, 1))


def test_aggregations() -> None:
    readings = [(0, 10.0), (H // 2, 30.0), (H, 50.0), (2 * H, 70.0)]  # hourly means: 20, 50, 70
    assert kpi.aggregate("avg", readings) == 40.0
    assert kpi.aggregate("count", readings) == 4.0
    assert kpi.aggregate("max", readings) == 70.0
    assert kpi.aggregate("share_below", readings, 55.0) == pytest.approx(200 / 3)  # 2 of 3 hours
    assert kpi.aggregate("share_above", readings, 55.0) == pytest.approx(100 / 3)
    assert kpi.aggregate("avg", []) is None
    assert kpi.availability(36, 3600, 60) == 60.0 and kpi.availability(100, 3600, 60) == 100.0


@pytest.mark.django_db
def test_kpis_from_live_data_with_provenance_and_an_ngsi_ld_entity(
    gauge: Any, client: Client, api_token: Any
) -> None:
    from kotacerdas.alerts.models import AlertRule
    from kotacerdas.devices.ingest import ingest

    AlertRule.objects.create(
        name="Awas",
        region_id="73.22",
        entity_type="FloodMonitoring",
        attribute="currentLevel",
        thresholds={"Awas": 3.5},
    )
    now = int(time.time() * 1000)
    ingest(
        [
            mqtt("/luwu-utara-key/masamba-01/attrs/l", str(v), now - (5 - n) * 60_000)
            for n, v in enumerate([1.0, 3.6, 1.0, 3.8, 1.0])
        ]
    )
    token = api_token("officer_a")
    headers = {"Authorization": f"Bearer {token}"}
    Indicator.objects.create(
        code="NAT-EWS-01",
        name="Peringatan banjir",
        unit="per bulan",
        direction="lower",
        level="national",
        pillar_id=Indicator.objects.first().pillar_id,
    )
    for body in (
        {
            "indicator": "NAT-EWS-01",
            "entity_type": "FloodMonitoring",
            "method": "alerts_count",
            "region": "73.22",
        },
        {
            "indicator": "NAT-EWS-01",
            "entity_type": "FloodMonitoring",
            "attribute": "currentLevel",
            "method": "max",
            "period": "day",
            "region": "73.22",
        },
    ):
        created = client.post(
            "/api/kpis/bindings", json.dumps(body), content_type="application/json", headers=headers
        )
        assert created.status_code == 201, created.content
    for binding in KpiBinding.objects.all():
        computed = client.post(f"/api/kpis/bindings/{binding.pk}/compute", headers=headers).json()
        assert len(computed) == 1
    values = {
        v["query"].split("(")[0]: v for v in client.get("/api/kpis/values?region=73.22").json()["items"]
    }
    assert values["alerts_count"]["value"] == 2.0  # two separate crossings of Awas
    assert values["max"]["value"] == 3.8 and values["max"]["reading_count"] == 5
    entity = client.get(
        f"/ngsi-ld/v1/entities/{values['max']['entity_id']}?options=keyValues",
        headers={"NGSILD-Tenant": "73.22"},
    ).json()
    assert any(k.endswith("kpiValue") and v == 3.8 for k, v in entity.items())
    assert compute.latest("NAT-EWS-01", "73.22", date.today().year) is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"indicator": "NOPE", "entity_type": "T", "method": "avg", "attribute": "a"}, 400),
        ({"indicator": "EN: EN: AQ: 1C", "entity_type": "T", "method": "median", "attribute": "a"}, 400),
        ({"indicator": "EN: EN: AQ: 1C", "entity_type": "T", "method": "share_below", "attribute": "a"}, 400),
        (
            {
                "indicator": "EN: EN: AQ: 1C",
                "entity_type": "AirQualityObserved",
                "method": "share_below",
                "attribute": "pm25",
                "threshold": 55,
            },
            201,
        ),
    ],
)
def test_binding_validation(client: Client, api_token: Any, body: dict, status: int) -> None:
    headers = {"Authorization": f"Bearer {api_token('national_admin')}"}
    response = client.post(
        "/api/kpis/bindings", json.dumps(body), content_type="application/json", headers=headers
    )
    assert response.status_code == status
