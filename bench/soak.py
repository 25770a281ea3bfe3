"""Soak: mixed load for 30 minutes (issue #9: RSS growth < 10 %, no error, no lost reading).

    .venv/bin/python bench/soak.py                        # 30 minutes on SQLite (a fresh demo)
    .venv/bin/python bench/soak.py --seconds 300          # a shorter run
    .venv/bin/python bench/soak.py --database-url postgresql://...   # an empty PostgreSQL database

Starts, on 127.0.0.1 only, a Mosquitto broker and the platform as it runs in production: `kotacerdas serve
--workers 2`, `kotacerdas stream` (two processes on the shared subscription) and `kotacerdas worker`. Then, at
the same time and until --seconds have passed:
- a publisher sends --rate UltraLight readings a second (QoS 1) for 100 gauges;
- --users web users read the dashboard and list pages (think time 1-5 s; bench/web_load.py's pages) and
  the API (regions, evaluations, NGSI-LD entities of the gauges' tenant).
RSS of every process tree is sampled every 30 s; the baseline is the sample after the warm-up (--warmup s).
At the end the publisher stops, the stream drains, and every published reading must be stored exactly once.
Prints a report and exits non-zero when a check fails.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import paho.mqtt.client as mqtt

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parent / "stream")]
import web_load  # noqa: E402
from run import CONF, DUPLICATES, PROVISION, count, free_port  # noqa: E402  (bench/stream/run.py)
from web_load import PAGES, user, wait_until_up  # noqa: E402

BIN = Path(sys.executable).parent
API = [
    "/api/regions?limit=100",
    "/api/evaluations?year=2025",
    "/ngsi-ld/v1/entities?type=FloodMonitoring&limit=100",
]


def rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants, in KiB (from /proc)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                stack.extend(int(child) for child in children)
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


NAMES = ("web (serve, 2 workers)", "stream 1", "stream 2", "worker")


def logged(path: Path) -> str:
    """WARNING/ERROR/CRITICAL lines of a process's log, counted by message (time stamps dropped)."""
    kinds: Counter[str] = Counter()
    for line in path.read_text(errors="replace").splitlines():
        for level in (" WARNING ", " ERROR ", " CRITICAL "):
            if level in line:
                kinds[level.strip() + " " + line.split(level, 1)[1][:120]] += 1
    return "; ".join(f"{n} × {text}" for text, n in kinds.most_common(6)) or "none"


def level(gauge: int, seconds: float) -> float:
    """A river's level in metres: a slow swell (one hour, 1.2–1.8 m, each gauge at its own phase, below
    every demo rule); gauge 0 jumps to 4.2 m for 10 s every 5 minutes (a flash flood: alerts open and
    close). A level that flaps across a threshold many times a second is not a river; that case is
    measured on its own in docs/performance.md."""
    if gauge == 0 and seconds % 300 < 10:
        return 4.2
    return round(1.5 + 0.3 * math.sin(2 * math.pi * (seconds / 3600 + gauge / 100)), 3)


def publisher(port: int, rate: int, stop: threading.Event, sent: list[int]) -> None:
    """Publish `rate` readings a second in 10 ms slices until stopped; each gauge's readings carry distinct
    timestamps (the time of publishing), so none is a duplicate of another."""
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    client.max_inflight_messages_set(1000)
    client.max_queued_messages_set(0)
    client.connect("127.0.0.1", port)
    client.loop_start()
    start_ms = int(time.time() * 1000)
    started, per_slice, n = time.perf_counter(), max(rate // 100, 1), 0
    infos = []
    while not stop.is_set():
        for _ in range(per_slice):
            at = datetime.fromtimestamp((start_ms + n * 1000 / rate) / 1000, tz=UTC)
            stamp = at.isoformat(timespec="milliseconds").replace("+00:00", "Z")
            value = level(n % 100, n / rate)
            infos.append(client.publish(f"/bench/g{n % 100}/attrs", f"{stamp}|l|{value}", qos=1))
            n += 1
        if len(infos) > 5000:
            for info in infos:
                info.wait_for_publish(timeout=120)
            infos.clear()
        wait = started + n / rate - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
    for info in infos:
        info.wait_for_publish(timeout=120)
    client.loop_stop()
    client.disconnect()
    sent[0] = n


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=1800.0)
    parser.add_argument("--warmup", type=float, default=120.0)
    parser.add_argument("--rate", type=int, default=2000, help="readings a second")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kc-soak-"))
    port, web_port = free_port(), free_port()
    (folder / "mosquitto.conf").write_text(CONF.format(port=port))
    broker = subprocess.Popen(
        [shutil.which("mosquitto") or "/usr/sbin/mosquitto", "-c", str(folder / "mosquitto.conf")]
    )
    env = {k: v for k, v in os.environ.items() if k != "KOTACERDAS_DATABASE_URL"}
    env.update(
        KOTACERDAS_DATA_DIR=str(folder), KOTACERDAS_LOG_LEVEL="WARNING", KOTACERDAS_NGSI_LD_PUBLIC_TYPES="*"
    )
    if args.database_url:
        env["KOTACERDAS_DATABASE_URL"] = args.database_url
    processes: dict[str, subprocess.Popen[bytes]] = {}
    try:
        subprocess.run([BIN / "kotacerdas", "demo", "--no-serve"], env=env, check=True, capture_output=True)
        subprocess.run(
            [BIN / "kotacerdas", "manage", "shell", "-c", PROVISION], env=env, check=True, capture_output=True
        )
        logs = {name: open(folder / f"{name.split()[0]}-{n}.log", "w") for n, name in enumerate(NAMES)}  # noqa: SIM115
        quiet = {"env": env, "stdout": subprocess.DEVNULL}
        processes["web (serve, 2 workers)"] = subprocess.Popen(
            [BIN / "kotacerdas", "serve", "--port", str(web_port), "--workers", "2"],
            stderr=logs["web (serve, 2 workers)"],
            **quiet,
        )
        for n in (1, 2):
            processes[f"stream {n}"] = subprocess.Popen(
                [
                    BIN / "kotacerdas",
                    "stream",
                    "--broker",
                    f"mqtt://127.0.0.1:{port}",
                    "--client-id",
                    f"soak-{n}",
                ],
                stderr=logs[f"stream {n}"],
                **quiet,
            )
        processes["worker"] = subprocess.Popen([BIN / "kotacerdas", "worker"], stderr=logs["worker"], **quiet)
        wait_until_up(f"http://127.0.0.1:{web_port}")
        time.sleep(5)  # stream sessions and subscriptions

        before = count(env, folder)  # the demo's own history of its gauges
        stop, sent = threading.Event(), [0]
        threading.Thread(target=publisher, args=(port, args.rate, stop, sent), daemon=True).start()
        results: list[tuple[float, int]] = []
        lock = threading.Lock()
        deadline = time.monotonic() + args.seconds
        pages = PAGES + API
        web_load.PAGES[:] = pages  # the users of bench/web_load.py, also on the API
        users = [
            threading.Thread(target=user, args=(web_port, n, deadline, (1.0, 5.0), results, lock))
            for n in range(args.users)
        ]
        for thread in users:
            thread.start()
        samples: list[tuple[float, dict[str, int]]] = []
        started = time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(min(30.0, max(deadline - time.monotonic(), 0)))
            samples.append((time.monotonic() - started, {k: rss_kib(p.pid) for k, p in processes.items()}))
        stop.set()
        for thread in users:
            thread.join()
        time.sleep(3)
        published = sent[0]
        drain_deadline = time.monotonic() + 600
        stored = count(env, folder) - before
        while stored < published and time.monotonic() < drain_deadline:
            time.sleep(2)
            stored = count(env, folder) - before
        twice = count(env, folder, DUPLICATES)
        alerts_and_dead = subprocess.run(
            [
                BIN / "kotacerdas",
                "manage",
                "shell",
                "-c",
                "from kotacerdas.devices.models import DeadLetter;"
                " from kotacerdas.alerts.models import Alert;"
                " print(Alert.objects.count(), DeadLetter.objects.count())",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()[-2:]
        alerts, dead = int(alerts_and_dead[0]), alerts_and_dead[1]
        exited = [name for name, p in processes.items() if p.poll() is not None]
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        broker.terminate()
    baseline = next((s for t, s in samples if t >= args.warmup), samples[0][1])
    final = samples[-1][1]
    errors = sum(1 for _, status in results if status != 200)
    times = sorted(ms for ms, _ in results)
    p95 = times[int(len(times) * 0.95)] if times else 0.0
    engine = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"\nsoak: {args.seconds:.0f} s on {engine}, {args.rate} readings/s offered, "
        f"{args.users} web users, 2 cores\n"
    )
    print("| process | RSS after warm-up (MiB) | RSS at the end (MiB) | growth |")
    print("|---|---|---|---|")
    growth_ok = True
    for name in processes:
        grow = final[name] / baseline[name] - 1 if baseline[name] else 0.0
        growth_ok &= grow < 0.10
        print(f"| {name} | {baseline[name] / 1024:.0f} | {final[name] / 1024:.0f} | {grow:+.1%} |")
    rate = published / args.seconds
    print(
        f"\nreadings published {published:,} ({rate:,.0f}/s), stored {stored:,}"
        f" (beside the demo's {before:,}),"
        f" stored twice {twice}, dead letters {dead}"
    )
    print(f"alerts raised (gauge 0's flash floods, the rate and staleness rules) {alerts:,}")
    print(f"web and API requests {len(results):,}, errors {errors}, p95 {p95:.0f} ms")
    if errors:
        kinds = Counter(status for _, status in results if status != 200)
        print(f"errors by status (0: connection failed or timed out): {dict(kinds)}")
    print("RSS every 5 minutes and at the end (MiB):")
    for name in processes:
        series = [f"{sample[name] / 1024:.0f}" for _, sample in (*samples[::10], samples[-1])]
        print(f"- {name}: {' '.join(series)}")
    print(f"processes that exited early: {exited or 'none'}")
    print("warnings and errors the processes logged (first lines of each kind):")
    for name, log in logs.items():
        log.close()
        print(f"- {name}: {logged(Path(log.name))}")
    checks = {
        "RSS growth < 10 %": growth_ok,
        "no web/API error": errors == 0,
        "no lost or duplicated reading": stored == published and twice == 0,
        "no dead letter": dead == "0",
        "no process died": not exited,
    }
    for name, ok in checks.items():
        print(f"- {name}: {'yes' if ok else 'NO'}")
    shutil.rmtree(folder, ignore_errors=True)
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
