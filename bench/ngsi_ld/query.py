"""`type + q` query latency over 100,000 entities, and temporal hourly averages over 1,000,000 instances.

    .venv/bin/python bench/ngsi_ld/query.py [--database-url postgresql://…] [--entities 100000]
        [--instances 1000000]

Entities are loaded through the batch upsert service (1,000 per batch); the history of the one entity
is written straight into the instance table (one reading every 2.6 s for 30 days). Queries go through
the full view in-process (Django's test client): server time without the network.
"""

from __future__ import annotations

import argparse
import calendar
import json
import random
import time
from typing import Any

from common import gauge, prepare, summary, timed


def load_entities(count: int) -> float:
    from kotacerdas.context import jsonld, services

    tenant = services.tenant_for_write("")
    terms = jsonld.core_term_map()
    rng = random.Random(11)
    started = time.perf_counter()
    for start in range(0, count, 1000):
        batch = [gauge(n, rng) for n in range(start, min(start + 1000, count))]
        services.batch_write(tenant, batch, lambda e: terms, "upsert-replace")
    return time.perf_counter() - started


def load_history(instances: int) -> tuple[str, float]:
    from django.db import connection

    from kotacerdas.context import jsonld, services, store

    tenant = services.tenant_for_write("")
    entity_id = "urn:ngsi-ld:WaterObserved:bench:history"
    services.create(tenant, gauge(0, random.Random(1)) | {"id": entity_id}, jsonld.core_term_map())
    key = store.load(tenant, [entity_id])[entity_id].pk
    name = "https://uri.etsi.org/ngsi-ld/default-context/waterLevel"
    start_ms = calendar.timegm((2026, 10, 1, 0, 0, 0)) * 1000  # UTC (Django sets TZ to Asia/Jakarta)
    step = 30 * 24 * 3600 * 1000 // instances
    rng = random.Random(5)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for chunk in range(0, instances, 50_000):
            rows = []
            for n in range(chunk, min(chunk + 50_000, instances)):
                value = round(2 + rng.random(), 3)
                ms = start_ms + n * step
                body = json.dumps(
                    {"type": "Property", "value": value, "observedAt": store.iso(store.from_ms(ms))}
                )
                rows.append((tenant.pk, key, name, "", store.new_instance_id(), ms, ms, value, body))
            store.insert_history(cursor, rows)
    return entity_id, time.perf_counter() - started, start_ms


def query_section(args: argparse.Namespace) -> None:
    """Load the entities and time the entity queries."""
    from django.db import connection
    from django.test import Client

    loaded = load_entities(args.entities)
    print(f"loaded {args.entities:,} entities in {loaded:.1f} s ({args.entities / loaded:,.0f}/s)")
    if connection.vendor == "postgresql":  # what autovacuum does within a minute of a bulk load: the
        with connection.cursor() as cursor:  # statistics, and the visibility map index-only scans rely on
            cursor.execute("VACUUM ANALYZE")
    client = Client()
    rng = random.Random(3)
    queries = {
        "type + q (number range), first page": lambda: f"q=waterLevel>{rng.uniform(0, 9.9):.2f}",
        "type + q (number and text), count": lambda: (
            f"q=waterLevel>{rng.uniform(5, 9.9):.2f};status==%22awas%22&count=true"
        ),
        "type + q (selective), count": lambda: "q=waterLevel==4.2..4.25&count=true",
        "type + near 10 km": lambda: (
            "georel=near;maxDistance==10000&geometry=Point"
            f"&coordinates=[{rng.uniform(96, 140):.3f},{rng.uniform(-10, 5):.3f}]"
        ),
    }
    for label, params in queries.items():

        def run(params: Any = params) -> None:
            response = client.get(f"/ngsi-ld/v1/entities?type=WaterObserved&{params()}")
            assert response.status_code == 200, response.content[:200]

        timed(run, 5)
        print(f"{label}: {summary(timed(run, args.repeat))}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--instances", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=100)
    args = parser.parse_args()
    prepare(args.database_url)
    from django.db import connection
    from django.test import Client

    print(f"database: {connection.vendor}")
    client = Client()
    if args.entities:
        query_section(args)
    entity_id, seconds, start_ms = load_history(args.instances)
    print(f"wrote {args.instances:,} instances in {seconds:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    url = (
        f"/ngsi-ld/v1/temporal/entities/{entity_id}?attrs=waterLevel&options=aggregatedValues"
        f"&aggrMethods=avg&aggrPeriodDuration=PT1H&timerel=between&timeAt=2026-10-01T00:00:00Z"
        f"&endTimeAt=2026-10-31T00:00:00Z"
    )

    def aggregate() -> None:
        response = client.get(url)
        assert response.status_code == 200 and len(response.json()["waterLevel"]["avg"]) == 720, (
            response.content[:300]
        )

    timed(aggregate, 3)
    print(
        f"temporal avg per hour over 30 days ({args.instances:,} instances): {summary(timed(aggregate, 30))}"
    )


if __name__ == "__main__":
    main()
