"""Benchmark: server time of the main pages with all 514 regions (issue #2 budget: p95 <= 100 ms on SQLite).

One command:  .venv/bin/python bench/pages.py [--requests 200] [--database-url URL]
Runs in-process through Django's test client on a fresh database (SQLite file by default), so the figure
is server time without the network. Prints a Markdown table for docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

PAGES = [
    ("home", "/"),
    ("region list", "/regions/"),
    ("region list, filtered (htmx)", "/regions/?province=73&kind=kabupaten"),
    ("region detail", "/regions/73.22/"),
    ("pillars", "/pillars/"),
    ("map markers (GeoJSON)", "/geo/regions.geojson"),
    ("API: regions, limit 100", "/api/regions?limit=100"),
    ("API: region detail", "/api/regions/73.22"),
]
from common import prepare_database  # noqa: E402  (bench/ is run as a script folder)

BUDGET_MS = 100.0


def measure(path: str, requests: int) -> list[float]:
    from django.test import Client

    client = Client()
    headers = {"HX-Request": "true"} if "province=" in path else {}
    for _ in range(5):  # warm-up
        client.get(path, headers=headers)
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(path, headers=headers)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    prepare_database(args.database_url)
    from django.db import connection

    print(f"engine: {connection.vendor}; {os.cpu_count()} cores; {args.requests} requests per page\n")
    print("| page | p50 ms | p95 ms | max ms |\n|---|---:|---:|---:|")
    worst = 0.0
    for name, path in PAGES:
        times = sorted(measure(path, args.requests))
        p95 = times[int(len(times) * 0.95) - 1]
        worst = max(worst, p95)
        print(f"| {name} (`{path}`) | {statistics.median(times):.1f} | {p95:.1f} | {times[-1]:.1f} |")
    verdict = "within" if worst <= BUDGET_MS else "OVER"
    print(f"\nworst p95 {worst:.1f} ms: {verdict} the {BUDGET_MS:.0f} ms budget")
    return 0 if worst <= BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
