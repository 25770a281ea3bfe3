"""Single-entity creates over HTTP: 16 concurrent clients against `kotacerdas serve`.

    .venv/bin/python bench/ngsi_ld/create.py [--database-url postgresql://…] [--workers 2] [--requests 4000]

The server is a real `kotacerdas serve` (uvicorn) process on loopback with a fresh database; each client
thread keeps one HTTP/1.1 connection and POSTs /ngsi-ld/v1/entities one entity at a time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import gauge

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=4000)
    args = parser.parse_args()
    env = dict(
        os.environ,
        KOTACERDAS_DATA_DIR=tempfile.mkdtemp(prefix="kc-bench-create-"),
        KOTACERDAS_NGSI_LD_OPEN="1",
    )
    if args.database_url:
        env["KOTACERDAS_DATABASE_URL"] = args.database_url
    subprocess.run([BIN / "kotacerdas", "manage", "migrate", "-v0"], env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [BIN / "kotacerdas", "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(Path(env["KOTACERDAS_DATA_DIR"]) / "server.log", "w"),  # noqa: SIM115
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        per_client = args.requests // args.clients
        errors: list[str] = []
        tag = random.randrange(10**9)

        def client(index: int) -> None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            rng = random.Random(index)
            for n in range(per_client):
                body = gauge(index * per_client + n, rng) | {
                    "id": f"urn:ngsi-ld:WaterObserved:bench:{tag}:{index}:{n}"
                }
                connection.request(
                    "POST", "/ngsi-ld/v1/entities", json.dumps(body), {"Content-Type": "application/json"}
                )
                response = connection.getresponse()
                response.read()
                if response.status != 201:
                    errors.append(str(response.status))

        warm = threading.Thread(target=client, args=(999,))
        warm.start()
        warm.join()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        total = per_client * args.clients
        print(
            f"single creates: {total} requests, {args.clients} clients, {args.workers} workers: "
            f"{elapsed:.1f} s = {total / elapsed:,.0f} req/s; errors: {len(errors)} {sorted(set(errors))} "
            f"(server log: {env['KOTACERDAS_DATA_DIR']}/server.log)"
        )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
