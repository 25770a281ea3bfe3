"""Alert rules through the API, evaluated in the ingestion transaction: raise, de-duplicate, escalate,
acknowledge, resolve (automatically and by hand), deliveries to a real webhook receiver with retries,
and the NGSI-LD Alert entity."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kotacerdas.alerts import delivery, services
from kotacerdas.alerts.models import Alert, AlertRule, Delivery
from kotacerdas.context import jsonld, store
from kotacerdas.context.models import Tenant
from kotacerdas.devices.ingest import ingest
from tests.devices.conftest import GAUGE, mqtt

pytestmark = pytest.mark.django_db
TOPIC = "/luwu-utara-key/masamba-01/attrs/l"


def api(client: Client, method: str, path: str, token: str | None = None, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    send = getattr(client, method)
    if body is None:
        return send(f"/api{path}", headers=headers)
    return send(f"/api{path}", json.dumps(body), content_type="application/json", headers=headers)


CLOCK = {"ms": 0}


def feed(values: list[float], step_ms: int = 60_000) -> None:
    """One reading a minute, each in its own batch (as a live stream would); the clock runs on across
    calls of a test, starting an hour ago."""
    if not CLOCK["ms"]:
        CLOCK["ms"] = int(time.time() * 1000) - 3_600_000
    for value in values:
        CLOCK["ms"] += step_ms
        ingest([mqtt(TOPIC, str(value), CLOCK["ms"])])


@pytest.fixture(autouse=True)
def restart_clock() -> None:
    CLOCK["ms"] = 0


@pytest.fixture
def flood_rule(gauge: Any, users: Any, receiver: Any) -> AlertRule:
    return AlertRule.objects.create(
        name="Banjir Masamba",
        region_id="73.22",
        entity_type="FloodMonitoring",
        attribute="currentLevel",
        level_attributes={"Siaga": "alertLevel", "Awas": "dangerLevel"},
        thresholds={"Waspada": 2.0},
        hysteresis=0.1,
        escalate_after_minutes=15,
        channels=[
            {"kind": "webhook", "url": receiver.url, "min_severity": "Siaga"},
            {"kind": "inapp"},
        ],
    )


def test_create_rule_with_the_short_form(client: Client, api_token: Any, gauge: Any) -> None:
    body = {
        "name": "Awas Masamba",
        "entity_type": "FloodMonitoring",
        "attribute": "currentLevel",
        "kind": "threshold",
        "threshold": 3.5,
        "severity": "Awas",
        "region": "73.22",
    }
    created = api(client, "post", "/alerts/rules", api_token("officer_a"), body)
    assert created.status_code == 201, created.content
    assert created.json()["thresholds"] == {"Awas": 3.5}
    feed([3.6])
    raised = api(client, "get", "/alerts?state=raised").json()  # the public may read warnings
    assert [(a["entity_id"], a["severity"]) for a in raised["items"]] == [(GAUGE, "Awas")]


@pytest.mark.parametrize(
    ("key", "region", "status"),
    [
        ("national_admin", None, 201),
        ("officer_a", "73.22", 201),
        ("officer_b", "73.22", 403),
        ("officer_a", None, 403),
        ("partner", "73.22", 403),
        (None, "73.22", 401),
    ],
)
def test_who_may_create_rules(
    client: Client, api_token: Any, key: str | None, region: str | None, status: int
) -> None:
    body = {
        "name": "r",
        "entity_type": "FloodMonitoring",
        "attribute": "currentLevel",
        "threshold": 1,
        "severity": "Siaga",
        "region": region,
    }
    assert api(client, "post", "/alerts/rules", api_token(key) if key else None, body).status_code == status


@pytest.mark.parametrize(
    "body",
    [
        {"name": "r", "entity_type": "T", "attribute": "a", "kind": "threshold"},
        {"name": "r", "entity_type": "T", "attribute": "a", "threshold": 1, "severity": "Bahaya"},
        {"name": "r", "entity_type": "T", "attribute": "a", "threshold": 1, "channels": [{"kind": "fax"}]},
        {
            "name": "r",
            "entity_type": "T",
            "attribute": "a",
            "threshold": 1,
            "channels": [{"kind": "webhook", "url": "ftp://x"}],
        },
        {"name": "r", "entity_type": "T", "kind": "stale"},
        # a level attribute under a severity that does not exist (found by the schema fuzz)
        {"name": "r", "entity_type": "T", "attribute": "a", "level_attributes": {"Bahaya": "levelBahaya"}},
    ],
)
def test_bad_rules_are_refused_as_problems(client: Client, api_token: Any, body: dict) -> None:
    response = api(client, "post", "/alerts/rules", api_token("national_admin"), body)
    assert response.status_code in (400, 422)
    assert response["Content-Type"] == "application/problem+json"
    assert not AlertRule.objects.exists()


def test_a_rule_the_entity_cannot_meet_is_logged_once_not_per_batch(
    gauge: Any, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kotacerdas.alerts import evaluate

    monkeypatch.setattr(evaluate, "_warned", {})
    AlertRule.objects.create(
        name="levels the gauge does not have",
        region_id="73.22",
        entity_type="FloodMonitoring",
        attribute="currentLevel",
        level_attributes={"Siaga": "noSuchLevel"},
    )
    with caplog.at_level("WARNING", logger="kotacerdas.alerts"):
        feed([9.0, 9.5, 10.0, 10.5])  # four batches
    warnings = [r for r in caplog.records if r.getMessage() == "rule cannot be evaluated"]
    assert len(warnings) == 1
    assert "at least one level" in warnings[0].error
    assert not Alert.objects.exists()
    monkeypatch.setattr(evaluate, "WARN_EVERY_SECONDS", 0.0)  # an hour later: said again
    with caplog.at_level("WARNING", logger="kotacerdas.alerts"):
        feed([11.0])
    assert len([r for r in caplog.records if r.getMessage() == "rule cannot be evaluated"]) == 2


def test_lifecycle_with_levels_from_the_entity(
    flood_rule: AlertRule, receiver: Any, users: Any, client: Client
) -> None:
    feed([1.5, 2.1])  # Waspada (2.0 from the rule)
    alert = Alert.objects.get()
    assert (alert.severity, alert.status) == (1, "raised")
    assert not Delivery.objects.filter(channel="webhook").exists()  # webhook only from Siaga
    feed([2.6, 3.0, 3.7])  # Siaga (alertLevel 2.5), then Awas (dangerLevel 3.5): the same alert
    alert.refresh_from_db()
    assert Alert.objects.count() == 1 and alert.severity == 3
    assert [e.kind for e in alert.events.all()] == ["raised", "severity_raised", "severity_raised"]
    assert delivery.deliver_due() >= 2
    assert [m["severity"] for m in receiver.received] == ["Siaga", "Awas"]
    services.acknowledge(alert, users["officer_a"], "Tim BPBD menuju lokasi")
    feed([3.45])  # inside the hysteresis band of Awas: still Awas
    alert.refresh_from_db()
    assert alert.severity == 3
    feed([1.0])
    alert.refresh_from_db()
    assert alert.status == "resolved" and alert.resolved_by is None
    assert [e.kind for e in alert.events.all()][-2:] == ["acknowledged", "resolved"]
    entity = client.get(
        f"/ngsi-ld/v1/entities/{alert.ngsi_ld_id}",
        headers={"NGSILD-Tenant": "73.22", "Link": jsonld.link_header(jsonld.SDM_CONTEXT_URL)},
    ).json()
    assert entity["type"] == "Alert"
    assert (entity["category"]["value"], entity["subCategory"]["value"]) == ("naturalDisaster", "flood")
    assert entity["severity"]["value"] == "Awas" and entity["alertSource"]["object"] == GAUGE
    assert "validTo" in entity
    assert entity["location"]["value"] == {"type": "Point", "coordinates": [120.3306, -2.5539]}  # the gauge's


def test_escalation_and_manual_resolution(flood_rule: AlertRule, users: Any) -> None:
    feed([2.7])
    alert = Alert.objects.get()
    assert services.escalate_due(alert.raised_at + timedelta(minutes=14)) == 0
    assert services.escalate_due(alert.raised_at + timedelta(minutes=16)) == 1
    assert services.escalate_due(alert.raised_at + timedelta(minutes=30)) == 0  # once
    assert Delivery.objects.filter(event="escalated", target="national").exists()
    services.resolve(alert, users["national_admin"], "Sensor dibersihkan")
    alert.refresh_from_db()
    assert alert.resolved_by == users["national_admin"]
    tenant = Tenant.objects.get(name="73.22")  # resolved by hand: the gauge's location loaded for the entity
    stored = store.stored_form(store.load(tenant, [alert.ngsi_ld_id])[alert.ngsi_ld_id])
    location = stored["attrs"][jsonld.term_map((jsonld.SDM_CONTEXT_URL,)).expand("location")]
    assert location["value"] == {"type": "Point", "coordinates": [120.3306, -2.5539]}
    assert "validTo" in str(stored["attrs"])
    feed([2.8])  # the condition still holds: no new alert until it clears and returns
    assert Alert.objects.count() == 1


def test_a_failing_webhook_is_retried_with_backoff(flood_rule: AlertRule, receiver: Any) -> None:
    receiver.fail_first, receiver.fail_status = 1, 500
    feed([2.7])
    assert delivery.deliver_due() == 1  # the in-app one; the webhook answered 500
    row = Delivery.objects.get(channel="webhook")
    assert (row.status, row.attempts) == ("pending", 1) and "500" in row.last_error
    assert row.next_attempt_at > timezone.now()
    assert delivery.deliver_due(now=row.next_attempt_at + timedelta(seconds=1)) >= 1
    row.refresh_from_db()
    assert row.status == "sent" and receiver.received


def test_acknowledge_and_resolve_through_the_api(
    flood_rule: AlertRule, client: Client, api_token: Any
) -> None:
    feed([2.7])
    alert = Alert.objects.get()
    denied = api(client, "post", f"/alerts/{alert.pk}/acknowledge", api_token("officer_b"), {"note": "x"})
    assert denied.status_code == 403
    done = api(client, "post", f"/alerts/{alert.pk}/acknowledge", api_token("officer_a"), {"note": "OK"})
    assert done.json()["status"] == "acknowledged"
    again = api(client, "post", f"/alerts/{alert.pk}/acknowledge", api_token("officer_a"), {"note": "OK"})
    assert again.status_code == 400
    api(client, "post", f"/alerts/{alert.pk}/resolve", api_token("officer_a"), {"note": "selesai"})
    detail = api(client, "get", f"/alerts/{alert.pk}").json()
    assert [e["kind"] for e in detail["events"]] == ["raised", "acknowledged", "resolved"]
    assert {d["channel"] for d in detail["deliveries"]} == {"webhook", "inapp"}


def test_a_spike_inside_one_batch_still_raises_and_resolves(flood_rule: AlertRule) -> None:
    start = int(time.time() * 1000) - 600_000
    ingest([mqtt(TOPIC, str(value), start + n * 60_000) for n, value in enumerate([1.0, 3.7, 1.0])])
    alert = Alert.objects.get()
    assert (alert.severity, alert.status) == (3, "resolved")
    assert (
        int(alert.raised_at.timestamp() * 1000) == start + 60_000
    )  # the time of the reading, not of the batch
    assert [e.kind for e in alert.events.all()] == ["raised", "resolved"]


def test_operations_page(flood_rule: AlertRule, client_as: Any) -> None:
    feed([1.0, 2.7])
    page = client_as("officer_a").get("/operations/")
    text = page.content.decode()
    assert page.status_code == 200 and "masamba-01" in text and "<polyline" in text and "Siaga" in text
    fragment = client_as("officer_a").get("/operations/", headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode() and "masamba-01" in fragment.content.decode()
    alert = Alert.objects.get()
    client_as("officer_a").post(f"/operations/alerts/{alert.pk}/acknowledge/", {"note": "ke lokasi"})
    alert.refresh_from_db()
    assert alert.status == "acknowledged"
    client_as("officer_b").post(f"/operations/alerts/{alert.pk}/resolve/", {"note": "x"})
    alert.refresh_from_db()
    assert alert.status == "acknowledged"  # another region's officer may not
    assert client_as(None).get("/operations/").status_code in (302, 403)


def test_email_and_mqtt_channels(gauge: Any, mqtt_url: str, mailoutbox: Any) -> None:
    """Email goes to the SMTP backend (the outside world: Django's test outbox); MQTT to a real Mosquitto."""
    import paho.mqtt.client as mqtt

    from kotacerdas.devices.stream import parse_broker

    config = parse_broker(mqtt_url)
    got: list[dict[str, Any]] = []
    listener = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    listener.on_message = lambda client, userdata, message: got.append(json.loads(message.payload))
    listener.connect(config.host, config.port)
    listener.subscribe("bpbd/luwu-utara/alerts", qos=1)
    listener.loop_start()
    try:
        AlertRule.objects.create(
            name="Awas Masamba",
            region_id="73.22",
            entity_type="FloodMonitoring",
            attribute="currentLevel",
            thresholds={"Awas": 3.5},
            channels=[
                {"kind": "email", "to": ["pusdalops@bpbd.example.go.id"]},
                {"kind": "mqtt", "url": f"{mqtt_url}/bpbd/luwu-utara/alerts"},
            ],
        )
        time.sleep(0.3)
        feed([3.9])
        assert delivery.deliver_due() == 2
        deadline = time.monotonic() + 5
        while not got and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        listener.loop_stop()
        listener.disconnect()
    assert got and got[0]["severity"] == "Awas" and got[0]["entity"] == GAUGE
    assert mailoutbox[0].to == ["pusdalops@bpbd.example.go.id"] and "Awas" in mailoutbox[0].subject
