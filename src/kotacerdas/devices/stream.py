"""`kotacerdas stream`: the MQTT consumer of southbound device messages.

MQTT 5, QoS 1, a persistent session (clean start off, session expiry) and manual acknowledgement: a message
is acknowledged only after the transaction that stores it has committed, so a crash before the commit means
redelivery, and ingestion is idempotent on entity/attribute/observedAt. Messages are taken in batches
(up to `batch_size`, waiting at most `max_wait` seconds for a batch to fill). Several workers share the
load through a shared subscription (`$share/kotacerdas/...`). When the database is unreachable the batch is
retried with back-off until it is stored; nothing is acknowledged meanwhile, so nothing is lost.

A shared subscription hands messages out in turn, so one device's readings are spread over the workers and
may commit out of order; alert rules only step forward in time and skip a reading older than the last one
they saw. Where that matters (early warning on single readings), run the workers as partitions instead
(`--partition I/N`): each keeps its own session on the plain topics, receives every message, stores only the
devices that hash to its partition and acknowledges the others at once. Each device then has one owner that
reads it in order; a stopped owner's messages wait in its session until it returns.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import ssl
import threading
import time
import urllib.parse
import zlib
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections, connection

from kotacerdas.context.services import forget_tenants
from kotacerdas.core import metrics
from kotacerdas.core.checkpoint import BackgroundCheckpoints

from . import ingest
from .ingest import RawMessage

log = logging.getLogger("kotacerdas.stream")
TOPICS = ("/+/+/attrs", "/+/+/attrs/+", "+/+/attrs", "+/+/attrs/+")


@dataclass(frozen=True)
class BrokerConfig:
    """Where and how to connect."""

    host: str
    port: int
    username: str | None = None
    password: str | None = None
    tls: bool = False
    ca_file: str | None = None
    client_id: str = "kotacerdas-stream"
    shared_group: str | None = "kotacerdas"
    session_expiry: int = 86_400
    partition: tuple[int, int] | None = None  # (this worker, of N): plain topics, one owner per device


def parse_broker(url: str, **options: Any) -> BrokerConfig:
    """mqtt://[user:password@]host[:port] or mqtts://… (TLS)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname:
        raise ValueError(f"the broker must be mqtt://host:port or mqtts://host:port, not {url!r}")
    tls = parts.scheme == "mqtts" or bool(options.pop("tls", False))
    username = options.pop("username", None) or (
        urllib.parse.unquote(parts.username) if parts.username else None
    )
    password = options.pop("password", None) or (
        urllib.parse.unquote(parts.password) if parts.password else None
    )
    port = parts.port or (8883 if tls else 1883)
    return BrokerConfig(parts.hostname, port, username, password, tls, **options)


def parse_partition(text: str) -> tuple[int, int]:
    """ "I/N" → (I, N): this worker is partition I of N (0 ≤ I < N)."""
    try:
        index, total = (int(part) for part in text.split("/"))
    except ValueError:
        raise ValueError(f"a partition is I/N, e.g. 0/2, not {text!r}") from None
    if not 0 <= index < total:
        raise ValueError(f"partition {text!r}: I must be 0 to N-1")
    return index, total


def partition_of(topic: str, total: int) -> int:
    """The partition that owns a device message's topic ([/]apikey/device/attrs[/attr]): a stable hash of
    apikey/device, so every topic form of one device lands on one partition."""
    parts = topic.strip("/").split("/")
    return zlib.crc32("/".join(parts[:2]).encode()) % total


def topics(config: BrokerConfig) -> list[str]:
    """The subscriptions: on the shared group, or the plain topics for a partition or a single worker."""
    shared = config.shared_group and config.partition is None
    prefix = f"$share/{config.shared_group}/" if shared else ""
    return [prefix + topic for topic in TOPICS]


class Stream:
    """One consumer process: a paho network thread fills a queue; this thread stores and acknowledges."""

    def __init__(self, config: BrokerConfig, batch_size: int = 500, max_wait: float = 0.02) -> None:
        self.config = config
        self.batch_size = batch_size
        self.max_wait = max_wait
        self.inbox: queue.Queue[tuple[int, int, str, bytes, int]] = queue.Queue()
        self.stop = threading.Event()
        self.stored = 0
        self.client = self._client()

    def _client(self) -> Any:
        import paho.mqtt.client as mqtt

        client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=self.config.client_id,
            protocol=mqtt.MQTTv5,
            manual_ack=True,
        )
        if self.config.username:
            client.username_pw_set(self.config.username, self.config.password)
        if self.config.tls:
            client.tls_set(ca_certs=self.config.ca_file, cert_reqs=ssl.CERT_REQUIRED)
        client.on_connect = self._on_connect
        client.on_message = self._on_message
        client.on_disconnect = self._on_disconnect
        return client

    def _on_connect(self, client: Any, userdata: Any, flags: Any, reason: Any, properties: Any) -> None:
        if reason.is_failure:
            log.error("MQTT connection refused: %s", reason)
            return
        client.subscribe([(topic, 1) for topic in topics(self.config)])
        log.info("stream connected", extra={"broker": f"{self.config.host}:{self.config.port}"})

    def _on_disconnect(self, client: Any, userdata: Any, flags: Any, reason: Any, properties: Any) -> None:
        if not self.stop.is_set():
            log.warning("MQTT connection lost (%s); reconnecting", reason)

    def _on_message(self, client: Any, userdata: Any, message: Any) -> None:
        partition = self.config.partition
        if partition and partition_of(message.topic, partition[1]) != partition[0]:
            client.ack(message.mid, message.qos)  # another partition's device: its owner stores it
            return
        received = int(time.time() * 1000)
        self.inbox.put((message.mid, message.qos, message.topic, bytes(message.payload), received))

    def connect(self) -> None:
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties

        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = self.config.session_expiry
        properties.ReceiveMaximum = min(max(self.batch_size * 4, 100), 65_535)
        self.client.connect(
            self.config.host, self.config.port, keepalive=30, clean_start=False, properties=properties
        )
        self.client.loop_start()

    def retire(self) -> None:
        """Connect with a clean start and no session expiry, then leave: the broker forgets this client id's
        session, so a worker taken out for good no longer takes its share of a shared subscription."""
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties

        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = 0
        self.client.on_connect = None
        self.client.connect(
            self.config.host, self.config.port, keepalive=10, clean_start=True, properties=properties
        )
        self.client.loop_start()
        time.sleep(0.5)
        self.client.disconnect()
        self.client.loop_stop()
        log.info("stream session retired", extra={"client_id": self.config.client_id})

    def run(self) -> None:
        """Consume until `stop` is set (SIGTERM), then commit what is held, acknowledge and disconnect."""
        checkpoints = BackgroundCheckpoints()  # on SQLite: WAL checkpoints off the commit path
        checkpoints.start()
        self.connect()
        try:
            while not self.stop.is_set():
                batch = self._next_batch()
                if batch:
                    self._store(batch)
        finally:
            self.client.disconnect()
            self.client.loop_stop()
            checkpoints.stop()
            log.info("stream stopped", extra={"stored": self.stored})

    def _next_batch(self) -> list[tuple[int, int, str, bytes, int]]:
        try:
            first = self.inbox.get(timeout=0.2)
        except queue.Empty:
            return []
        batch = [first]
        deadline = time.monotonic() + self.max_wait
        while len(batch) < self.batch_size:
            try:
                batch.append(self.inbox.get(timeout=max(deadline - time.monotonic(), 0)))
            except queue.Empty:
                break
        return batch

    def _store(self, batch: list[tuple[int, int, str, bytes, int]]) -> None:
        messages = [RawMessage("mqtt", topic, payload, received) for _, _, topic, payload, received in batch]
        started = time.time()
        if not store_with_retry(messages, self.stop):
            return  # stopping during an outage: unacknowledged, the broker redelivers
        for mid, qos, *_ in batch:
            self.client.ack(mid, qos)
        self.stored += len(batch)
        if log.isEnabledFor(logging.DEBUG):
            oldest = min(received for *_, received in batch)
            log.debug(
                "batch stored",
                extra={
                    "messages": len(batch),
                    "store_ms": round((time.time() - started) * 1000, 1),
                    "waited_ms": round(started * 1000 - oldest),
                    "backlog": self.inbox.qsize(),
                },
            )


def store_with_retry(messages: list[RawMessage], stop: threading.Event) -> bool:
    """Store a batch; wait and retry while the database is unreachable. False if stopped before it was."""
    delay = 0.5
    while True:
        try:
            store_batch(messages)
            return True
        except (OperationalError, InterfaceError) as exc:
            log.warning("database unavailable, retrying in %.1f s: %s", delay, exc)
            _reset()
            if stop.wait(delay):
                return False
            delay = min(delay * 2, 5.0)


def store_batch(messages: list[RawMessage]) -> None:
    """Ingest a batch; if the batch as a whole is refused by the database (not an outage), store message by
    message and dead-letter the ones that still fail, so one bad message never blocks the stream."""
    try:
        ingest.ingest(messages)
    except (OperationalError, InterfaceError):
        raise
    except DatabaseError:
        _reset()
        for message in messages:
            try:
                ingest.ingest([message])
            except (OperationalError, InterfaceError):
                raise
            except DatabaseError as exc:
                _reset()
                from django.utils import timezone

                ingest.dead_letter(message, f"could not be stored: {exc}"[:2000], timezone.now()).save()
                metrics.count_ingest(message.transport, 1, 0, 1)


def _reset() -> None:
    """Forget per-process state that a rolled-back transaction may have made stale; drop a broken
    connection so the next attempt opens a fresh one."""
    ingest.forget()
    forget_tenants()
    from kotacerdas.context import partitions

    partitions.forget()
    with contextlib.suppress(DatabaseError):
        connection.close()
    close_old_connections()
