"""Batch upsert throughput: POST /entityOperations/upsert with batches of 1,000 entities.

    .venv/bin/python bench/ngsi_ld/upsert.py [--database-url postgresql://…] [--batches 20]

In-process through Django's test client (the full view, JSON parsing, validation, expansion, index and
history writes, outbox matching), so the figure is server time without the network.
"""

from __future__ import annotations

import argparse
import json
import random
import time

from common import gauge, prepare


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--batches", type=int, default=20)
    args = parser.parse_args()
    prepare(args.database_url)
    from django.test import Client

    client = Client()
    rng = random.Random(7)
    for label, offset in (("insert", 0), ("update", 0)):
        started = time.perf_counter()
        for batch in range(args.batches):
            body = [gauge(offset + batch * 1000 + n, rng) for n in range(1000)]
            response = client.post(
                "/ngsi-ld/v1/entityOperations/upsert", json.dumps(body), content_type="application/json"
            )
            assert response.status_code in (201, 204), response.content[:300]
        elapsed = time.perf_counter() - started
        rate = args.batches * 1000 / elapsed
        print(
            f"batch upsert ({label}): {args.batches * 1000} entities "
            f"in {elapsed:.2f} s = {rate:,.0f} entities/s"
        )


if __name__ == "__main__":
    main()
