"""The history table: monthly partitions on PostgreSQL, retention on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection

from kotacerdas.context import partitions

from .conftest import Broker

pytestmark = pytest.mark.django_db
ID = "urn:ngsi-ld:WaterObserved:73.22:old"


def _history(broker: Broker) -> list[float]:
    body = broker.get(f"/temporal/entities/{ID}?options=temporalValues").json()
    return [v[0] for v in body.get("waterLevel", {}).get("values", [])]


def test_old_months_are_pruned(broker: Broker) -> None:
    readings = [
        {"type": "Property", "value": 1.0, "observedAt": "2024-01-15T00:00:00Z"},
        {"type": "Property", "value": 2.0, "observedAt": "2026-10-15T00:00:00Z"},
        {"type": "Property", "value": 3.0, "observedAt": "2026-11-15T00:00:00Z"},
    ]
    entity = {"id": ID, "type": "WaterObserved", "waterLevel": readings}
    assert broker.post("/temporal/entities", entity).status_code == 201
    assert _history(broker) == [1.0, 2.0, 3.0]
    if connection.vendor == "postgresql":
        names = partitions.partitions()
        assert {"context_attributeinstance_y2024m01", "context_attributeinstance_y2026m11"} <= set(names)
    removed = partitions.prune(months=12, now=datetime(2026, 11, 22, tzinfo=UTC))
    assert removed >= 1
    assert _history(broker) == [2.0, 3.0]
    if connection.vendor == "postgresql":
        assert "context_attributeinstance_y2024m01" not in partitions.partitions()


def test_month_bounds() -> None:
    name, low, high = partitions.month_bounds(
        int(datetime(2026, 12, 31, 23, 59, tzinfo=UTC).timestamp() * 1000)
    )
    assert name == "context_attributeinstance_y2026m12"
    assert high == int(datetime(2027, 1, 1, tzinfo=UTC).timestamp() * 1000)
    assert low == int(datetime(2026, 12, 1, tzinfo=UTC).timestamp() * 1000)
