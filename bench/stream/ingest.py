"""What one reading costs the stream's storage thread, without MQTT: `devices.ingest.ingest` on batches of
UltraLight messages from 100 provisioned FloodMonitoring gauges with a two-level threshold rule (as
bench/stream/run.py provisions them), in this process.

    .venv/bin/python bench/stream/ingest.py                      # SQLite (a temporary file)
    KOTACERDAS_DATABASE_URL=postgresql://... .venv/bin/python bench/stream/ingest.py

Two shapes of batch: 500 messages round the 100 gauges (a stream working off a backlog) and 80 messages of
80 gauges, one each (a stream keeping up with many devices: every reading updates another entity). Prints
µs per reading for each (the median of `--rounds` rounds of `--batches` batches). The database is made here
(migrate, regions, the gauges); on PostgreSQL it is flushed first.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import PROVISION  # noqa: E402  (the same gauges and rule as the MQTT bench)


def setup() -> None:
    if not os.environ.get("KOTACERDAS_DATABASE_URL"):
        os.environ["KOTACERDAS_DATA_DIR"] = tempfile.mkdtemp(prefix="kc-bench-ingest-")
    os.environ.setdefault("KOTACERDAS_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
    import django

    django.setup()
    from django.core.management import call_command

    try:  # as `kotacerdas stream` does it on SQLite (absent before the checkpoint thread existed)
        from kotacerdas.core.checkpoint import BackgroundCheckpoints

        BackgroundCheckpoints().start()
    except ImportError:
        pass
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    call_command("import_regions", verbosity=0)
    exec(PROVISION)  # noqa: S102 (our own provisioning text)


def batches(count: int, size: int, gauges: int, start: int) -> list[list[object]]:
    """`count` batches of `size` messages going round `gauges` gauges; every reading its own second."""
    from kotacerdas.devices.ingest import RawMessage

    def stamp(second: int) -> str:
        return datetime.fromtimestamp(second, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    now_ms = int(time.time() * 1000)
    return [
        [
            RawMessage(
                "mqtt",
                f"/bench/g{n % gauges}/attrs",
                f"{stamp(start + k * size + n)}|l|{(n % 50) / 10}".encode(),
                now_ms,
            )
            for n in range(size)
        ]
        for k in range(count)
    ]


def measure(size: int, gauges: int, count: int, rounds: int, start: int) -> float:
    """µs per reading: the median over rounds of the time to ingest `count` fresh batches."""
    from kotacerdas.devices.ingest import ingest

    figures = []
    for round_ in range(rounds):
        work = batches(count, size, gauges, start + round_ * count * size)
        began = time.perf_counter()
        for batch in work:
            ingest(batch)  # type: ignore[arg-type]
        figures.append((time.perf_counter() - began) / (count * size) * 1e6)
    return statistics.median(figures)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--batches", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    setup()
    start = int(time.time()) - 10_000_000
    measure(500, 100, 2, 1, start - 100_000)  # warm the caches (devices, rules, entities)
    backlog = measure(500, 100, args.batches, args.rounds, start)
    keeping_up = measure(80, 80, args.batches * 6, args.rounds, start + 5_000_000)
    from django.db import connection

    vendor = connection.vendor
    print(f"{vendor}: ingest, batches of 500 round 100 gauges: {backlog:.0f} µs per reading")
    print(f"{vendor}: ingest, batches of 80 gauges, one reading each: {keeping_up:.0f} µs per reading")


if __name__ == "__main__":
    main()
