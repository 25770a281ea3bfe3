"""Subscriptions: CRUD, matching, the durable outbox, delivery to a real HTTP receiver and a real Mosquitto
broker, retries with back-off, and a worker killed during delivery losing nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from kotacerdas.context import subscriptions as subs
from kotacerdas.context.models import Notification, Subscription
from tests.helpers import Receiver

from .conftest import Broker, water

pytestmark = pytest.mark.django_db
ID = "urn:ngsi-ld:WaterObserved:73.22:gauge-001"
BIN = Path(sys.executable).parent


def subscription(uri: str, **extra: Any) -> dict[str, Any]:
    body = {
        "type": "Subscription",
        "entities": [{"type": "WaterObserved"}],
        "watchedAttributes": ["waterLevel"],
        "q": "waterLevel>3",
        "notification": {"endpoint": {"uri": uri}, "attributes": ["waterLevel"]},
    }
    body.update(extra)
    return body


def test_subscription_crud_and_validation(broker: Broker, receiver: Receiver) -> None:
    created = broker.post("/subscriptions", subscription(receiver.url, throttling=5))
    assert created.status_code == 201
    location = created["Location"].removeprefix("/ngsi-ld/v1")
    shown = broker.get(location).json()
    assert shown["status"] == "active" and shown["notification"]["timesSent"] == 0
    assert broker.patch(location, {"isActive": False}).status_code == 204
    assert broker.get(location).json()["status"] == "paused"
    assert len(broker.get("/subscriptions").json()) == 1
    assert broker.delete(location).status_code == 204
    assert broker.get(location).status_code == 404
    bad = [
        {"type": "Subscription", "notification": {"endpoint": {"uri": receiver.url}}},
        subscription("ftp://example.org/x"),
        subscription(receiver.url, q="waterLevel>>"),
        subscription(receiver.url, throttling=-1),
        subscription(receiver.url, notificationTrigger=["whenever"]),
        subscription(receiver.url, expiresAt="tomorrow"),
        subscription(
            receiver.url, geoQ={"georel": "near;maxDistance==-1", "geometry": "Point", "coordinates": [1, 1]}
        ),
        {**subscription(receiver.url), "colour": "red"},
    ]
    for body in bad:
        response = broker.post("/subscriptions", body)
        assert response.status_code == 400, body
        assert response.json()["type"].endswith("BadRequestData")


def test_matching_changes_go_to_the_outbox_in_the_same_transaction(
    broker: Broker, receiver: Receiver
) -> None:
    broker.post(
        "/subscriptions",
        subscription(
            receiver.url,
            notification={
                "endpoint": {"uri": receiver.url},
                "attributes": ["waterLevel"],
                "showChanges": True,
            },
        ),
    )
    broker.post("/entities", water(level=2.0))  # q does not match
    assert Notification.objects.count() == 0
    broker.patch(f"/entities/{ID}/attrs", {"waterLevel": {"type": "Property", "value": 3.4}})
    broker.patch(f"/entities/{ID}/attrs", {"flow": {"type": "Property", "value": 1}})  # not watched
    assert Notification.objects.count() == 1
    assert subs.deliver_due() == 1
    notification = receiver.received[0]
    assert notification["type"] == "Notification" and notification["subscriptionId"].startswith(
        "urn:ngsi-ld:Subscription:"
    )
    data = notification["data"][0]
    assert (
        data["id"] == ID and data["waterLevel"]["value"] == 3.4 and data["waterLevel"]["previousValue"] == 2.0
    )
    assert "flow" not in data and "location" not in data
    assert "json-ld#context" in receiver.headers[0]["Link"]
    status = broker.get(f"/subscriptions/{notification['subscriptionId']}").json()["notification"]
    assert status["timesSent"] == 1 and "lastSuccess" in status


def test_failed_delivery_is_retried_with_backoff(broker: Broker) -> None:
    failing = Receiver(fail_first=2)
    try:
        broker.post("/subscriptions", subscription(failing.url))
        broker.post("/entities", water(level=4.0))
        assert subs.deliver_due() == 0
        row = Notification.objects.get()
        assert row.status == "pending" and row.attempts == 1 and "503" in row.last_error
        assert subs.deliver_due() == 0  # not due yet: back-off
        later = timezone.now() + timedelta(seconds=2)
        assert subs.deliver_due(now=later) == 0
        assert subs.deliver_due(now=later + timedelta(seconds=3)) == 1
        row.refresh_from_db()
        assert row.status == "delivered" and row.attempts == 3 and len(failing.received) == 1
        sub = Subscription.objects.get()
        assert sub.times_failed == 2 and sub.times_sent == 1 and "503" in sub.last_error
    finally:
        failing.close()


def test_gives_up_after_max_attempts_but_keeps_the_row(broker: Broker, settings: Any) -> None:
    settings.NGSI_LD_NOTIFY_MAX_ATTEMPTS = 2
    broker.post("/subscriptions", subscription("http://127.0.0.1:9/closed"))
    broker.post("/entities", water(level=4.0))
    subs.deliver_due()
    subs.deliver_due(now=timezone.now() + timedelta(hours=2))
    row = Notification.objects.get()
    assert row.status == "failed" and row.attempts == 2 and row.last_error


def test_triggers_throttling_expiry_and_geoq(broker: Broker, receiver: Receiver) -> None:
    broker.post(
        "/subscriptions", subscription(receiver.url, notificationTrigger=["entityDeleted"], q="waterLevel>0")
    )
    broker.post("/subscriptions", subscription(receiver.url, throttling=3600, q="waterLevel>0"))
    expired = subscription(receiver.url, expiresAt="2020-01-01T00:00:00Z", q="waterLevel>0")
    broker.post("/subscriptions", expired)
    far = {"georel": "near;maxDistance==1000", "geometry": "Point", "coordinates": [106.8, -6.4]}
    broker.post("/subscriptions", subscription(receiver.url, geoQ=far, q="waterLevel>0"))
    broker.post("/entities", water(level=1.0))
    broker.patch(f"/entities/{ID}/attrs", {"waterLevel": {"type": "Property", "value": 1.1}})
    broker.delete(f"/entities/{ID}")
    subs.deliver_due()
    assert len(receiver.received) == 2  # the throttled one once, the deletion once; expired and far-away none
    deleted = [n for n in receiver.received if "deletedAt" in n["data"][0]]
    assert len(deleted) == 1


def test_time_interval_subscriptions_notify_periodically(broker: Broker, receiver: Receiver) -> None:
    body = subscription(receiver.url, timeInterval=60)
    del body["watchedAttributes"]
    broker.post("/subscriptions", body)
    broker.post("/entities", water(level=5.0))
    assert Notification.objects.count() == 0  # interval subscriptions do not fire on change
    assert subs.enqueue_intervals() == 1
    assert subs.enqueue_intervals() == 0  # not due again for a minute
    subs.deliver_due()
    assert receiver.received[0]["data"][0]["id"] == ID


def test_notifications_reach_a_real_mosquitto_broker(broker: Broker, mqtt_url: str) -> None:
    import paho.mqtt.client as mqtt

    got: list[dict[str, Any]] = []
    subscribed = threading.Event()
    host, port = mqtt_url.removeprefix("mqtt://").split(":")
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    client.on_message = lambda c, u, message: got.append(json.loads(message.payload))
    client.on_subscribe = lambda *args: subscribed.set()
    client.connect(host, int(port))
    client.subscribe("kotacerdas/73.22/banjir", qos=1)
    client.loop_start()
    try:
        assert subscribed.wait(5)
        broker.post("/subscriptions", subscription(f"{mqtt_url}/kotacerdas/73.22/banjir"))
        broker.post("/entities", water(level=4.2))
        assert subs.deliver_due() == 1
        deadline = time.monotonic() + 5
        while not got and time.monotonic() < deadline:
            time.sleep(0.05)
        assert got and got[0]["body"]["data"][0]["waterLevel"]["value"] == 4.2
        assert "Link" in got[0]["metadata"]
    finally:
        client.loop_stop()
        client.disconnect()


@pytest.mark.slow
def test_worker_killed_during_delivery_loses_nothing(tmp_path: Path) -> None:
    """A real `kotacerdas worker` process is killed (SIGKILL) while it delivers to a slow receiver and
    started again: every notification arrives at least once."""
    slow = Receiver(delay=0.3)
    env = {k: v for k, v in os.environ.items() if k != "KOTACERDAS_DATABASE_URL"}
    env.update(KOTACERDAS_DATA_DIR=str(tmp_path), KOTACERDAS_NGSI_LD_OPEN="1")
    try:
        subprocess.run(
            [BIN / "kotacerdas", "manage", "migrate", "-v0"], env=env, check=True, capture_output=True
        )
        script = f"""
from kotacerdas.context import services, subscriptions, jsonld
tenant = services.tenant_for_write("")
subscriptions.create(tenant, {json.dumps(subscription(slow.url, q="waterLevel>0"))}, (), None)
terms = jsonld.core_term_map()
services.create(tenant, {json.dumps(water(level=1.0))}, terms)
for n in range(12):
    services.update_attrs(tenant, "{ID}", {{"waterLevel": {{"type": "Property", "value": 2.0 + n}}}}, terms)
"""
        subprocess.run(
            [BIN / "kotacerdas", "manage", "shell", "-c", script], env=env, check=True, capture_output=True
        )
        expected = _notification_ids(env)
        assert len(expected) == 13
        worker = subprocess.Popen([BIN / "kotacerdas", "worker", "--interval", "0.1"], env=env)
        deadline = time.monotonic() + 30
        while len(slow.received) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        worker.kill()
        worker.wait()
        assert 3 <= len(slow.received) < 13, "the kill must land during delivery"
        restarted = subprocess.Popen([BIN / "kotacerdas", "worker", "--interval", "0.1"], env=env)
        try:
            deadline = time.monotonic() + 60
            while {n["id"] for n in slow.received} != expected and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            restarted.terminate()
            restarted.wait(timeout=10)
        assert {n["id"] for n in slow.received} == expected
    finally:
        slow.close()


def _notification_ids(env: dict[str, str]) -> set[str]:
    script = (
        "from kotacerdas.context.models import Notification; "
        "print('\\n'.join(Notification.objects.values_list('notification_id', flat=True)))"
    )
    out = subprocess.run(
        [BIN / "kotacerdas", "manage", "shell", "-c", script],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {line for line in out.split() if line.startswith("urn:")}
