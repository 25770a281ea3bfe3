"""The indicator catalogue: 91 U4SSC KPIs seeded with unit, direction, level and pillar."""

from __future__ import annotations

import pytest
from django.test import Client

from kotacerdas.indicators.models import Indicator

pytestmark = pytest.mark.django_db


def test_91_kpis_with_the_reference_pillar_counts() -> None:
    assert Indicator.objects.count() == 91
    per_pillar = {
        p: Indicator.objects.filter(pillar__key=p).count()
        for p in ("governance", "branding", "economy", "society", "living", "environment")
    }
    assert per_pillar == {
        "governance": 6,
        "branding": 4,
        "economy": 10,
        "society": 16,
        "living": 30,
        "environment": 25,
    }
    internet = Indicator.objects.get(code="EC: ICT: ICT: 1C")
    assert (internet.unit, internet.direction, internet.level) == ("%", "higher", "core")
    assert Indicator.objects.get(code="SC: SH: SA: 9C").direction == "lower"  # traffic fatalities


def test_api(client: Client) -> None:
    body = client.get("/api/indicators?limit=200").json()
    assert body["count"] == 91
    assert set(body["items"][0]) >= {"code", "name", "unit", "pillar"}
    assert client.get("/api/indicators?pillar=branding").json()["count"] == 4
