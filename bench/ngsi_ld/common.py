"""Shared parts of the NGSI-LD benchmarks: a fresh database, generated gauges, percentiles."""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def prepare(database_url: str | None) -> None:
    """A fresh, migrated database (SQLite file under a temporary data dir, or the given PostgreSQL)."""
    os.environ["KOTACERDAS_DATA_DIR"] = tempfile.mkdtemp(prefix="kc-bench-ngsi-")
    os.environ["KOTACERDAS_NGSI_LD_OPEN"] = "1"
    os.environ["KOTACERDAS_NGSI_LD_MAX_LIMIT"] = "1000"
    if database_url:
        os.environ["KOTACERDAS_DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":  # start from an empty schema: runs must not see each other
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        from kotacerdas.context import partitions

        partitions._known.clear()
    call_command("migrate", verbosity=0)


def gauge(number: int, rng: random.Random) -> dict[str, Any]:
    """A WaterObserved entity with 4 attributes (one of them a location)."""
    return {
        "id": f"urn:ngsi-ld:WaterObserved:bench:{number:07d}",
        "type": "WaterObserved",
        "waterLevel": {
            "type": "Property",
            "value": round(rng.uniform(0, 10), 2),
            "unitCode": "MTR",
            "observedAt": "2026-11-20T10:00:00Z",
        },
        "flow": {"type": "Property", "value": round(rng.uniform(0, 500), 1)},
        "status": {"type": "Property", "value": rng.choice(["normal", "waspada", "siaga", "awas"])},
        "location": {
            "type": "GeoProperty",
            "value": {
                "type": "Point",
                "coordinates": [round(rng.uniform(95, 141), 4), round(rng.uniform(-11, 6), 4)],
            },
        },
    }


def upsert_batches(client: Any, batches: int, rng: random.Random, size: int = 1000) -> float:
    """`batches` batches of `size` gauges (numbered from 0) through `POST /entityOperations/upsert`, in
    process; returns the seconds they took."""
    started = time.perf_counter()
    for batch in range(batches):
        body = [gauge(batch * size + n, rng) for n in range(size)]
        response = client.post(
            "/ngsi-ld/v1/entityOperations/upsert", json.dumps(body), content_type="application/json"
        )
        assert response.status_code in (201, 204), response.content[:300]
    return time.perf_counter() - started


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def summary(samples: list[float]) -> str:
    return f"p50 {statistics.median(samples):.1f} ms, p95 {percentile(samples, 95):.1f} ms"
