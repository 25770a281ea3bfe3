"""Web under load: N concurrent users (default 50) on the public dashboard and list pages of the demo,
served by `kotacerdas serve` with 1 and then 2 worker processes, in one run (issue #9: p95 <= 150 ms,
0 errors).

    .venv/bin/python bench/web_load.py                                   # SQLite (a fresh demo)
    .venv/bin/python bench/web_load.py --database-url postgresql://...   # an empty PostgreSQL database

A user is a thread with its own keep-alive connection that asks for a page, reads it whole, then thinks
0.5-1.5 s (uniform; --think) before the next, as a person reading a dashboard does; the load generator runs
on the same 2 cores as the server, so its own CPU is part of the figure. Requests are bounded by --seconds
and go to 127.0.0.1 only. Prints a Markdown table for docs/performance.md and the ratio of 2 workers to 1.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

BIN = Path(sys.executable).parent
PAGES = [
    "/dashboard/",
    "/dashboard/?year=2025",
    "/dashboard/region/73.22/",
    "/dashboard/province/73/",
    "/regions/",
    "/regions/?province=73",
    "/program/",
    "/matchmaking/",
    "/clusters/",
    "/opendata/",
    "/api/regions?limit=100",
    "/api/evaluations?year=2025",
]
BUDGET_P95_MS = 150.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer")


def user(
    port: int,
    seed: int,
    deadline: float,
    think: tuple[float, float],
    results: list[tuple[float, int]],
    lock: threading.Lock,
) -> None:
    """One person: page, read, think, until the deadline."""
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    mine: list[tuple[float, int]] = []
    time.sleep(rng.uniform(0, 1.0))  # users arrive over the first second
    while time.monotonic() < deadline:
        path = rng.choice(PAGES)
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Accept-Language": "id"})
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            status = 0
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine.append(((time.perf_counter() - started) * 1000, status))
        time.sleep(rng.uniform(*think))
    connection.close()
    with lock:
        results.extend(mine)


def load(port: int, users: int, seconds: float, think: tuple[float, float]) -> dict[str, float]:
    results: list[tuple[float, int]] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(target=user, args=(port, n, deadline, think, results, lock)) for n in range(users)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    times = sorted(ms for ms, _ in results)
    errors = sum(1 for _, status in results if status != 200)
    if errors:
        kinds = Counter(status for _, status in results if status != 200)
        print(f"errors by status (0: connection failed or timed out): {dict(kinds)}", file=sys.stderr)
    quantiles = statistics.quantiles(times, n=100) if len(times) > 1 else [float("nan")] * 99
    return {
        "requests": len(results),
        "rps": len(results) / elapsed,
        "p50": quantiles[49],
        "p95": quantiles[94],
        "p99": quantiles[98],
        "errors": errors,
    }


def serve(env: dict[str, str], workers: int) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    server = subprocess.Popen(
        [BIN / "kotacerdas", "serve", "--port", str(port), "--workers", str(workers)],
        env={**env, "KOTACERDAS_LOG_LEVEL": "WARNING"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_until_up(f"http://127.0.0.1:{port}")
    for path in PAGES:  # warm every worker's caches a little
        for _ in range(workers * 2):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as answer:
                answer.read()
    return server, port


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", default="1,2", help="worker counts to compare, e.g. 1,2")
    parser.add_argument("--think", default="0.5,1.5", help="a user's pause between pages, min,max seconds")
    parser.add_argument("--database-url", default=None, help="an empty PostgreSQL database (default: SQLite)")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "KOTACERDAS_DATABASE_URL"}
    env["KOTACERDAS_DATA_DIR"] = tempfile.mkdtemp(prefix="kc-load-")
    if args.database_url:
        env["KOTACERDAS_DATABASE_URL"] = args.database_url
    subprocess.run([BIN / "kotacerdas", "demo", "--no-serve"], env=env, check=True, capture_output=True)
    engine = "PostgreSQL" if args.database_url else "SQLite"
    low, high = (float(x) for x in args.think.split(","))
    think = (low, high)
    rows = []
    for workers in [int(w) for w in args.workers.split(",")]:
        server, port = serve(env, workers)
        try:
            rows.append((workers, load(port, args.users, args.seconds, think)))
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(
        f"\n{args.users} users thinking {low:g}-{high:g} s, {args.seconds:.0f} s per run, {engine}, 2 cores "
        "(load generator included)\n"
    )
    print("| workers | requests | req/s | p50 ms | p95 ms | p99 ms | errors | p95 budget 150 ms |")
    print("|---|---|---|---|---|---|---|---|")
    for workers, r in rows:
        verdict = "met" if r["p95"] <= BUDGET_P95_MS and r["errors"] == 0 else "**not met**"
        print(
            f"| {workers} | {r['requests']:.0f} | {r['rps']:.1f} | {r['p50']:.1f} | {r['p95']:.1f} | "
            f"{r['p99']:.1f} | {r['errors']:.0f} | {verdict} |"
        )
    if len(rows) == 2:
        print(
            f"\nthroughput, {rows[1][0]} workers / {rows[0][0]}: {rows[1][1]['rps'] / rows[0][1]['rps']:.2f}x"
        )
    return 0 if all(r["errors"] == 0 for _, r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
