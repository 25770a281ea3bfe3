"""Stream throughput, side by side on one Mosquitto: a do-nothing paho subscriber (the ceiling) and
`kotacerdas stream` (store + rules). The same N QoS-1 UltraLight messages are queued by the broker for each
one's persistent session while it is offline; each then drains them, and the rate is N / the time to drain
(zero loss: all N must arrive). Then the alert latency: publish → alert committed and notification queued,
at a paced rate.

    .venv/bin/python bench/stream/run.py --messages 50000            # SQLite (a temporary file)
    KOTACERDAS_DATABASE_URL=postgresql://... .venv/bin/python bench/stream/run.py   # PostgreSQL

Prints messages/s for both and the ratio; `--workers 1,2` measures one and two stream processes in the same
run (the horizontal ratio); `--partitioned` runs several workers as `--partition I/N` instead of one shared
subscription (a device's readings stay in order for the alert rules). The broker is started here
(scripts/services.sh settings).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import paho.mqtt.client as mqtt

BIN = Path(sys.executable).parent
CONF = (
    "listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
    "max_queued_messages 0\nmax_inflight_messages 0\n"
)
PROVISION = """
from kotacerdas.devices.models import ServiceGroup, Device
from kotacerdas.alerts.models import AlertRule
group = ServiceGroup.objects.create(region_id="73.22", apikey="bench", entity_type="FloodMonitoring",
    attributes=[{"object_id": "l", "name": "currentLevel", "type": "Number"}])
for n in range(100):
    Device.objects.create(group=group, device_id=f"g{n}", entity_type="FloodMonitoring",
        entity_name=f"urn:ngsi-ld:FloodMonitoring:73.22:g{n}")
AlertRule.objects.create(name="bench", region_id="73.22", entity_type="FloodMonitoring",
    attribute="currentLevel",
    thresholds={"Siaga": 4.0, "Awas": 4.5}, hysteresis=0.1, channels=[{"kind": "inapp"}])
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def messages(total: int, run: int = 0) -> list[tuple[str, str]]:
    """One reading a second per message, in the past; each run its own seconds (none repeats a reading)."""
    base = int(time.time()) - total * (run + 1)
    stamp = lambda s: datetime.fromtimestamp(s, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # noqa: E731
    return [(f"/bench/g{n % 100}/attrs", f"{stamp(base + n)}|l|{(n % 50) / 10}") for n in range(total)]


def publish(port: int, batch: list[tuple[str, str]]) -> None:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    client.max_inflight_messages_set(1000)
    client.max_queued_messages_set(0)
    client.connect("127.0.0.1", port)
    client.loop_start()
    infos = [client.publish(topic, payload, qos=1) for topic, payload in batch]
    for info in infos:
        info.wait_for_publish(timeout=120)
    client.loop_stop()
    client.disconnect()


def _session_client(client_id: str) -> mqtt.Client:
    return mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)


def _persistent(client: mqtt.Client, port: int) -> None:
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    properties = Properties(PacketTypes.CONNECT)
    properties.SessionExpiryInterval = 3600
    properties.ReceiveMaximum = 2000
    client.connect("127.0.0.1", port, clean_start=False, properties=properties)


def ceiling(port: int, batch: list[tuple[str, str]]) -> float:
    """Messages/s a subscriber that does nothing drains from its persistent session (QoS 1, all of them)."""
    client = _session_client("ceiling")
    _persistent(client, port)
    client.subscribe("/+/+/attrs", qos=1)
    client.loop_start()
    time.sleep(0.5)
    client.disconnect()
    client.loop_stop()
    publish(port, batch)  # queued by the broker for the offline session
    got, done = [0], threading.Event()

    def on_message(client: mqtt.Client, userdata: object, message: mqtt.MQTTMessage) -> None:
        got[0] += 1
        if got[0] == len(batch):
            done.set()

    client = _session_client("ceiling")
    client.on_message = on_message
    started = time.perf_counter()
    _persistent(client, port)
    client.loop_start()
    done.wait(timeout=600)
    elapsed = time.perf_counter() - started
    client.loop_stop()
    client.disconnect()
    assert got[0] == len(batch), f"the ceiling lost messages: {got[0]} of {len(batch)}"
    return len(batch) / elapsed


READINGS = "SELECT count(*) FROM context_attributeinstance WHERE attribute LIKE '%currentLevel'"
DUPLICATES = (
    "SELECT count(*) FROM (SELECT entity_key, observed_ms FROM context_attributeinstance"
    " WHERE attribute LIKE '%currentLevel' GROUP BY entity_key, observed_ms HAVING count(*) > 1) AS twice"
)


def count(env: dict[str, str], folder: Path, sql: str = READINGS) -> int:
    """Readings stored, or another count (a direct connection: a Django process per poll would steal the
    stream's CPU)."""
    url = env.get("KOTACERDAS_DATABASE_URL")
    if url:
        import psycopg

        with psycopg.connect(url) as db:
            row = db.execute(sql.replace("%", "%%")).fetchone()
    else:
        import sqlite3

        with sqlite3.connect(folder / "kotacerdas.sqlite3", timeout=30) as db:
            row = db.execute(sql).fetchone()
    return int(row[0]) if row else 0


def _workers(
    port: int, env: dict[str, str], name: str, workers: int, partitioned: bool
) -> list[subprocess.Popen[bytes]]:
    """`workers` stream processes: on the shared subscription `name`, or as partitions I/N of the devices
    (each its own session; ids differ per N, so no session carries another mode's subscriptions)."""
    command = [BIN / "kotacerdas", "stream", "--broker", f"mqtt://127.0.0.1:{port}"]
    if partitioned and workers > 1:
        options = [
            ["--client-id", f"{name}-{n}of{workers}", "--partition", f"{n}/{workers}"] for n in range(workers)
        ]
    else:
        options = [["--client-id", f"{name}-{n}", "--share-group", name] for n in range(workers)]
    return [subprocess.Popen([*command, *more], env=env, stderr=subprocess.DEVNULL) for more in options]


def stream(
    port: int,
    batch: list[tuple[str, str]],
    env: dict[str, str],
    folder: Path,
    workers: int,
    partitioned: bool = False,
) -> float:
    """Messages/s `workers` stream processes (one shared subscription) drain from their persistent sessions
    into the database, with rules."""
    sessions = _workers(port, env, "bench", workers, partitioned)  # sessions + subscriptions
    time.sleep(5)
    for process in sessions:
        process.terminate()
        process.wait(timeout=60)
    before = count(env, folder)  # an earlier run's readings
    publish(port, batch)  # queued, shared between the sessions, while they are down
    processes = _workers(port, env, "bench", workers, partitioned)
    try:
        stored, first, started = 0, 0, 0.0
        deadline = time.perf_counter() + 900
        while stored < len(batch) and time.perf_counter() < deadline:
            time.sleep(0.1)
            stored = count(env, folder) - before
            if stored and not started:  # the clock starts at the first stored batch (not at start-up)
                first, started = stored, time.perf_counter()
        elapsed = time.perf_counter() - started
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=60)
    assert stored == len(batch), f"the stream stored {stored} of {len(batch)}"
    return (len(batch) - first) / elapsed


def paced(port: int, batch: list[tuple[str, str]], rate: int) -> None:
    """Publish at `rate` messages/s (QoS 1), in slices of 10 ms; each UltraLight payload is prefixed with the
    moment it is handed to the client (so a publisher that falls behind does not count as stream latency)."""
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    client.max_inflight_messages_set(1000)
    client.max_queued_messages_set(0)
    client.connect("127.0.0.1", port)
    client.loop_start()
    start, per_slice = time.perf_counter(), max(rate // 100, 1)
    for index in range(0, len(batch), per_slice):
        for topic, payload in batch[index : index + per_slice]:
            client.publish(topic, f"{_stamp_ms(int(time.time() * 1000))}|{payload}", qos=1)
        wait = start + (index + per_slice) / rate - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
    time.sleep(2)
    client.loop_stop()
    client.disconnect()


def _stamp_ms(at: int) -> str:
    return datetime.fromtimestamp(at / 1000, tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


LATENCY_SCRIPT = """
from kotacerdas.alerts.models import AlertEvent, Delivery
for d in Delivery.objects.select_related("alert").filter(alert__rule__name="bench"):
    e = AlertEvent.objects.filter(alert=d.alert, kind=d.event).order_by("-id").first()
    if e.at.timestamp() * 1000 >= {since}:
        print("latency", d.created.timestamp() * 1000 - e.at.timestamp() * 1000)
"""


def latency(
    port: int, env: dict[str, str], rate: int, seconds: int, workers: int = 1, partitioned: bool = False
) -> list[float]:
    """Publish → alert committed and its notification queued, in ms, at `rate` messages/s: every message
    carries its publish time as its UltraLight timestamp (the alert event's time); one in 100 messages
    crosses the threshold or falls back, and each such transition queues a notification whose `created`
    time is taken in the transaction that commits it. `workers` stream processes share the subscription."""
    processes = _workers(port, env, "latency", workers, partitioned)
    time.sleep(4)  # Django start-up and the MQTT sessions
    try:
        start_ms = int(time.time() * 1000)
        batch = []
        for n in range(rate * seconds):  # round the 100 gauges: one gauge's stamps are ms apart
            high = n % 100 == 0 and (n // 100) % 2 == 1  # g0 alternates: every one of its readings crosses
            batch.append((f"/bench/g{n % 100}/attrs", f"l|{5.0 if high else 1.0}"))
        paced(port, batch, rate)
        time.sleep(3)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)
    shell = [BIN / "kotacerdas", "manage", "shell", "-c", LATENCY_SCRIPT.format(since=start_ms)]
    out = subprocess.run(shell, env=env, capture_output=True, text=True, check=True).stdout
    return sorted(float(line.split()[1]) for line in out.splitlines() if line.startswith("latency "))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument(
        "--workers",
        default="1",
        help="stream processes on the shared subscription; 1,2 compares both in one run",
    )
    parser.add_argument(
        "--partitioned",
        action="store_true",
        help="several workers as --partition I/N, not a shared subscription",
    )
    parser.add_argument("--rate", type=int, default=2_000, help="messages/s of the latency run")
    parser.add_argument("--seconds", type=int, default=20, help="length of the latency run")
    args = parser.parse_args()
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="kc-bench-stream-"))
    (folder / "mosquitto.conf").write_text(CONF.format(port=port))
    broker = subprocess.Popen(
        [shutil.which("mosquitto") or "/usr/sbin/mosquitto", "-c", str(folder / "mosquitto.conf")]
    )
    env = dict(os.environ, KOTACERDAS_DATA_DIR=str(folder), KOTACERDAS_LOG_LEVEL="WARNING")
    try:
        time.sleep(0.5)
        setup = (["migrate", "-v0"], ["flush", "--noinput"], ["import_regions"], ["shell", "-c", PROVISION])
        for command in setup:  # flush: a PostgreSQL database may hold an earlier run
            subprocess.run([BIN / "kotacerdas", "manage", *command], env=env, check=True, capture_output=True)
        counts = [int(n) for n in args.workers.split(",")]
        top = ceiling(port, messages(args.messages))
        # every throughput run first, then every latency run: a stream group's offline sessions get a copy
        # of what is published meanwhile, which must not land in front of a latency run
        split = args.partitioned
        rates = {
            n: stream(port, messages(args.messages, i), env, folder, n, split) for i, n in enumerate(counts)
        }
        delays = {n: latency(port, env, args.rate, args.seconds, n, split) for n in counts}
        database = "PostgreSQL" if env.get("KOTACERDAS_DATABASE_URL") else "SQLite"
        mode = "partitions (--partition I/N)" if split else "one shared subscription"
        print(f"{database}, several workers as {mode}: ceiling {top:,.0f} msg/s")
        for n in counts:
            print(
                f"kotacerdas stream ×{n}: {rates[n]:,.0f} msg/s, {rates[n] / top:.0%} of the ceiling, "
                f"{rates[n] / rates[counts[0]]:.2f}× the ×{counts[0]} run"
            )
        for n, found in delays.items():
            if found:
                p50, p99 = found[len(found) // 2], found[min(int(len(found) * 0.99), len(found) - 1)]
                print(
                    f"alert latency at {args.rate} msg/s, {len(found)} alerts, ×{n}: "
                    f"p50 {p50:.0f} ms, p99 {p99:.0f} ms"
                )
    finally:
        broker.terminate()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
