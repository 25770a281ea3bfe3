"""Batch upsert throughput: POST /entityOperations/upsert with batches of 1,000 entities.

    .venv/bin/python bench/ngsi_ld/upsert.py [--database-url postgresql://…] [--batches 20]

In-process through Django's test client (the full view, JSON parsing, validation, expansion, index and
history writes, outbox matching), so the figure is server time without the network.
"""

from __future__ import annotations

import argparse
import random

from common import prepare, upsert_batches


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--batches", type=int, default=20)
    args = parser.parse_args()
    prepare(args.database_url)
    from django.test import Client

    client = Client()
    rng = random.Random(7)
    for label in ("insert", "update"):
        elapsed = upsert_batches(client, args.batches, rng)
        rate = args.batches * 1000 / elapsed
        print(
            f"batch upsert ({label}): {args.batches * 1000} entities "
            f"in {elapsed:.2f} s = {rate:,.0f} entities/s"
        )


if __name__ == "__main__":
    main()
