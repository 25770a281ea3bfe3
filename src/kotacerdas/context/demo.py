"""Demo context data: river gauges on the three rivers of Luwu Utara's flash-flood early warning (Masamba,
Radda, Rongkong), with a day of readings, in the tenant of Luwu Utara (73.22). Idempotent."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

from . import history, jsonld, services, store

GAUGES = [  # (slug, river, longitude, latitude, alert level m, danger level m)
    ("masamba-01", "Sungai Masamba", 120.3306, -2.5539, 2.5, 3.5),
    ("radda-01", "Sungai Radda", 120.2953, -2.5361, 2.0, 3.0),
    ("rongkong-01", "Sungai Rongkong", 120.1583, -2.6158, 3.0, 4.5),
]
TENANT = "73.22"


def _readings(index: int, now: datetime) -> list[dict[str, Any]]:
    start = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=24)
    return [
        {
            "type": "Property",
            "value": round(1.2 + 0.4 * index + 0.5 * math.sin((hour + 3 * index) / 4), 2),
            "unitCode": "MTR",
            "observedAt": (start + timedelta(hours=hour)).isoformat().replace("+00:00", "Z"),
        }
        for hour in range(25)
    ]


def seed_context(now: datetime | None = None) -> int:
    """Create the demo gauges (with history) unless they exist; returns how many were created."""
    now = now or datetime.now(UTC)
    tenant = services.tenant_for_write(TENANT)
    terms = jsonld.term_map((jsonld.SDM_CONTEXT_URL,))
    created = 0
    for index, (slug, river, lon, lat, alert, danger) in enumerate(GAUGES):
        entity_id = f"urn:ngsi-ld:WaterObserved:{TENANT}:{slug}"
        if store.load(tenant, [entity_id]):
            continue
        body = {
            "id": entity_id,
            "type": "WaterObserved",
            "name": {
                "type": "LanguageProperty",
                "languageMap": {"id": river, "en": river.replace("Sungai", "River")},
            },
            "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [lon, lat]}},
            "alertLevel": {"type": "Property", "value": alert, "unitCode": "MTR"},
            "dangerLevel": {"type": "Property", "value": danger, "unitCode": "MTR"},
            "waterLevel": _readings(index, now),
        }
        stamp = now.isoformat().replace("+00:00", "Z")
        for name in ("name", "location", "alertLevel", "dangerLevel"):
            body[name]["observedAt"] = stamp  # the temporal API wants a time on every instance
        history.add_instances(tenant, body, terms)
        created += 1
    return created
