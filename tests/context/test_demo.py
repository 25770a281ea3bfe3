"""The demo gauges of Luwu Utara: seeded once, queryable with the Smart Data Models context."""

from __future__ import annotations

from typing import Any

import pytest

from kotacerdas.context.demo import seed_context
from kotacerdas.context.jsonld import SDM_CONTEXT_URL

from .conftest import LINK_REL, Broker

pytestmark = pytest.mark.django_db


def test_demo_gauges(db: Any) -> None:
    assert seed_context() == 3
    assert seed_context() == 0  # idempotent
    broker = Broker(tenant="73.22")
    link = {"Link": f"<{SDM_CONTEXT_URL}>; {LINK_REL}"}
    found = broker.get(
        "/entities?type=WaterObserved&q=alertLevel>=2.5&options=keyValues", headers=link
    ).json()
    assert {e["id"].rsplit(":", 1)[1] for e in found} == {"masamba-01", "rongkong-01"}
    hours = broker.get(
        "/temporal/entities/urn:ngsi-ld:WaterObserved:73.22:radda-01?attrs=waterLevel&options=temporalValues",
        headers=link,
    ).json()
    assert len(hours["waterLevel"]["values"]) == 25
