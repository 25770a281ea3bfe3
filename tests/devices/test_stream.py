"""`kotacerdas stream` as a real process against a real Mosquitto broker: readings and dead letters,
a clean stop on SIGTERM, and a worker killed (SIGKILL) in the middle of 50,000 QoS-1 messages that,
restarted, stores every published reading exactly once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from kotacerdas.devices.stream import parse_broker, parse_partition, partition_of, topics

BIN = Path(sys.executable).parent
PROVISION = """
from kotacerdas.devices.models import ServiceGroup, Device
group = ServiceGroup.objects.create(region_id="73.22", apikey="k", entity_type="FloodMonitoring",
    attributes=[{"object_id": "l", "name": "currentLevel", "type": "Number"}])
for n in range(10):
    Device.objects.create(group=group, device_id=f"g{n}", entity_type="FloodMonitoring",
        entity_name=f"urn:ngsi-ld:FloodMonitoring:73.22:g{n}")
"""


def test_broker_urls_and_shared_topics() -> None:
    config = parse_broker("mqtts://user:p%40ss@broker.example:8884", client_id="w1")
    assert (config.host, config.port, config.tls, config.username, config.password) == (
        "broker.example",
        8884,
        True,
        "user",
        "p@ss",
    )
    assert topics(config)[0] == "$share/kotacerdas//+/+/attrs"
    with pytest.raises(ValueError, match="mqtt://"):
        parse_broker("http://broker")


class Site:
    """A migrated database (SQLite, or the PostgreSQL at `database_url`) with ten provisioned gauges, and
    stream processes on it."""

    def __init__(self, folder: Path, broker: str, database_url: str | None = None) -> None:
        self.env = {k: v for k, v in os.environ.items() if k != "KOTACERDAS_DATABASE_URL"}
        self.env["KOTACERDAS_DATA_DIR"] = str(folder)
        if database_url:
            self.env["KOTACERDAS_DATABASE_URL"] = database_url
        self.database = folder / "kotacerdas.sqlite3"
        self.broker = broker
        self.client_id = f"kc-test-{uuid.uuid4().hex[:8]}"
        self.manage("migrate", "-v0")
        self.manage("import_regions")
        self.manage("shell", "-c", PROVISION)

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [BIN / "kotacerdas", "manage", *args], env=self.env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    def start(self, partition: str | None = None) -> subprocess.Popen[str]:
        """A stream process on the shared subscription, or (`partition` "I/N") as partition I of N."""
        client_id = f"{self.client_id}-p{partition.replace('/', 'of')}" if partition else self.client_id
        options = ["--partition", partition] if partition else ["--share-group", self.client_id]
        process = subprocess.Popen(  # tests share one broker: a group each
            [BIN / "kotacerdas", "stream", "--broker", self.broker, "--client-id", client_id, *options],
            env=self.env,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert process.stderr is not None
        deadline = time.monotonic() + 30
        for line in process.stderr:
            if "stream connected" in line or time.monotonic() > deadline:
                break
        time.sleep(0.5)  # the SUBACK
        return process

    def retire(self, partition: str | None = None) -> None:
        client_id = f"{self.client_id}-p{partition.replace('/', 'of')}" if partition else self.client_id
        command = [
            BIN / "kotacerdas",
            "stream",
            "--broker",
            self.broker,
            "--client-id",
            client_id,
            "--retire",
        ]
        assert subprocess.run(command, env=self.env, capture_output=True).returncode == 0

    def count(self, sql: str) -> int:
        with sqlite3.connect(self.database, timeout=30) as db:
            return int(db.execute(sql).fetchone()[0])

    def readings(self) -> int:
        return self.count("SELECT count(*) FROM context_attributeinstance")

    def readings_via_django(self) -> int:
        script = (
            "from django.db import connection\nc = connection.cursor()\n"
            "c.execute('SELECT count(*), count(DISTINCT instance_id) FROM context_attributeinstance')\n"
            "print(*c.fetchone())"
        )
        total, distinct = self.manage("shell", "-c", script).split()[-2:]
        assert total == distinct
        return int(total)


def publish(broker: str, messages: list[tuple[str, str]]) -> None:
    """Publish with QoS 1 and wait until the broker has acknowledged every message."""
    import paho.mqtt.client as mqtt

    config = parse_broker(broker)
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
    client.max_queued_messages_set(0)
    client.max_inflight_messages_set(1000)
    client.connect(config.host, config.port)
    client.loop_start()
    infos = [client.publish(topic, payload, qos=1) for topic, payload in messages]
    for info in infos:
        info.wait_for_publish(timeout=60)
    client.loop_stop()
    client.disconnect()


def _stamp(ms: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def test_partitions_own_every_device_once() -> None:
    assert parse_partition("1/3") == (1, 3)
    for bad in ("3/3", "-1/2", "1", "a/b", "1/0"):
        with pytest.raises(ValueError, match="partition"):
            parse_partition(bad)
    for device in ("g1", "g2", "pos-masamba-01"):  # every topic form of one device: one owner
        owners = {
            partition_of(t, 4) for t in (f"/k/{device}/attrs", f"/k/{device}/attrs/l", f"k/{device}/attrs")
        }
        assert len(owners) == 1
    spread = [partition_of(f"/k/g{n}/attrs", 2) for n in range(100)]
    assert 30 < spread.count(0) < 70  # both partitions get a fair share


def test_a_bad_partition_is_refused_before_connecting(tmp_path: Path) -> None:
    env = {**os.environ, "KOTACERDAS_DATA_DIR": str(tmp_path)}
    command = [BIN / "kotacerdas", "stream", "--broker", "mqtt://127.0.0.1:9", "--partition", "2/2"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "I must be 0 to N-1" in done.stderr


RULE = """
from kotacerdas.alerts.models import AlertRule
AlertRule.objects.create(name="t", region_id="73.22", entity_type="FloodMonitoring",
    attribute="currentLevel", thresholds={"Siaga": 4.0}, channels=[{"kind": "inapp"}])
"""
TRANSITIONS = "SELECT count(*) FROM alerts_alertevent WHERE kind IN ('raised', 'resolved')"


def test_two_partitions_keep_each_devices_readings_in_order(tmp_path: Path, mqtt_url: str) -> None:
    """Two workers as partitions: every reading stored once and every threshold crossing raised and resolved,
    as one worker would (on a shared subscription, a device's readings are split and late ones skip the
    rules: docs/performance.md)."""
    site = Site(tmp_path, mqtt_url)
    site.manage("shell", "-c", RULE)
    workers = [site.start("0/2"), site.start("1/2")]
    base, total = int(time.time() * 1000) - 100_000, 2_000
    # 200 readings in a row per gauge, every 20th above the threshold: 10 raised and 10 resolved per gauge
    messages = [
        (f"/k/g{(n // 200) % 10}/attrs", f"{_stamp(base + n * 10)}|l|{5.0 if n % 20 == 10 else 1.0}")
        for n in range(total)
    ]
    try:
        publish(mqtt_url, messages)
        deadline = time.monotonic() + 60
        while site.count(TRANSITIONS) < 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            assert worker.wait(timeout=30) == 0
        site.retire("0/2")
        site.retire("1/2")
    levels = "FROM context_attributeinstance WHERE attribute LIKE '%currentLevel'"  # not the Alert entities'
    assert site.count(f"SELECT count(*) {levels}") == total
    assert site.count(f"SELECT count(DISTINCT instance_id) {levels}") == total
    assert site.count("SELECT count(*) FROM devices_deadletter") == 0
    assert site.count(TRANSITIONS) == 200


def test_stream_stores_dead_letters_and_stops_cleanly(tmp_path: Path, mqtt_url: str) -> None:
    site = Site(tmp_path, mqtt_url)
    stream = site.start()
    try:
        base = int(time.time() * 1000) - 100_000
        good = [(f"/k/g{n % 10}/attrs", f"{_stamp(base + n * 1000)}|l|{n / 10}") for n in range(100)]
        bad = [("/k/g1/attrs", "l|dalam"), ("/nokey/g1/attrs", "l|1"), ("/k/g1/attrs", "{not ul")]
        publish(mqtt_url, good[:50] + bad + good[50:])
        deadline = time.monotonic() + 30
        while site.readings() < 100 and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        stream.send_signal(signal.SIGTERM)
        assert stream.wait(timeout=30) == 0
        site.retire()
    assert site.readings() == 100
    assert site.count("SELECT count(*) FROM devices_deadletter") == 3
    assert site.count("SELECT count(*) FROM context_entity") == 10


@pytest.mark.slow
def test_kill_9_in_the_middle_of_50000_messages_loses_and_duplicates_nothing(
    tmp_path: Path, mqtt_url: str
) -> None:
    site = Site(tmp_path, mqtt_url)
    stream = site.start()  # creates the persistent session and its subscriptions
    total = 50_000
    base = int(time.time() * 1000) - total * 1000
    messages = [(f"/k/g{n % 10}/attrs", f"{_stamp(base + n * 1000)}|l|{n % 500 / 100}") for n in range(total)]
    killed_at = 0
    try:
        import threading

        sender = threading.Thread(target=publish, args=(mqtt_url, messages))
        sender.start()
        deadline = time.monotonic() + 120
        while site.readings() < 5_000 and time.monotonic() < deadline:
            time.sleep(0.05)
        stream.kill()
        stream.wait()
        killed_at = site.readings()
        sender.join()
    finally:
        if stream.poll() is None:
            stream.kill()
    assert 0 < killed_at < total, "the kill must land in the middle of the stream"
    restarted = site.start()
    try:
        deadline = time.monotonic() + 300
        while site.readings() < total and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(1)  # anything redelivered late would show up as an extra row
    finally:
        restarted.send_signal(signal.SIGTERM)
        restarted.wait(timeout=30)
        site.retire()
    assert site.readings() == total
    assert site.count("SELECT count(DISTINCT instance_id) FROM context_attributeinstance") == total
    assert site.count("SELECT count(*) FROM devices_deadletter") == 0


@pytest.mark.slow
def test_postgresql_stopped_for_10_seconds_during_ingest_loses_nothing(tmp_path: Path, mqtt_url: str) -> None:
    from tests.helpers import PostgresServer

    server = PostgresServer()
    try:
        site = Site(tmp_path, mqtt_url, server.url)
        stream = site.start()
        total = 3_000
        base = int(time.time() * 1000) - total * 1000
        messages = [
            (f"/k/g{n % 10}/attrs", f"{_stamp(base + n * 1000)}|l|{n % 300 / 100}") for n in range(total)
        ]
        try:
            publish(mqtt_url, messages[:1000])
            deadline = time.monotonic() + 60
            while site.readings_via_django() < 1000 and time.monotonic() < deadline:
                time.sleep(0.2)
            server.stop()
            publish(mqtt_url, messages[1000:])  # arrives while the database is away
            time.sleep(10)
            assert stream.poll() is None, "the stream must wait, not die"
            server.start()
            deadline = time.monotonic() + 120
            while site.readings_via_django() < total and time.monotonic() < deadline:
                time.sleep(0.5)
        finally:
            stream.send_signal(signal.SIGTERM)
            stream.wait(timeout=30)
            site.retire()
        assert site.readings_via_django() == total
    finally:
        server.close()
