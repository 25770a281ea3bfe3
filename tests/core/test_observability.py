"""GET /healthz, /readyz and /metrics on the real database: what they answer, when readiness fails, who may
scrape, and that the counters and installation-wide gauges move with real requests and ingestion."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client, override_settings

from kotacerdas.devices.ingest import ingest
from kotacerdas.devices.models import DeadLetter
from tests.devices.conftest import gauge, group, mqtt  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
REMOTE = {"REMOTE_ADDR": "203.0.113.7"}


def sample(text: str, name: str, labels: str = "") -> float:
    """The value of one sample in a Prometheus text exposition (0 when absent)."""
    pattern = (
        re.escape(name) + (r"\{" + labels + r"[^}]*\}" if labels else r"(\{[^}]*\})?") + r" ([0-9.e+-]+)"
    )
    found = re.search(pattern, text)
    return float(found.group(found.lastindex)) if found else 0.0


def scrape(client: Client) -> str:
    response = client.get("/metrics")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def test_healthz_answers_without_checks(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_checks_database_migrations_and_media(client: Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "migrations": "ok", "media": "ok"},
    }


def test_readyz_is_503_with_a_pending_migration(client: Client) -> None:
    MigrationRecorder.Migration.objects.filter(app="matchmaking").order_by("-id")[:1].get().delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert "1 migrations not applied (matchmaking." in body["checks"]["migrations"]
    assert body["checks"]["database"] == "ok"


def test_readyz_is_503_when_media_is_not_writable(client: Client, tmp_path: Any) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with override_settings(MEDIA_ROOT=blocker / "media"):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert "is not writable" in response.json()["checks"]["media"]


def test_metrics_from_this_host_count_requests(client: Client) -> None:
    before = sample(
        scrape(client), "kotacerdas_http_requests_total", 'method="GET",route="regions/",status="200"'
    )
    assert client.get("/regions/").status_code == 200
    text = scrape(client)
    after = sample(text, "kotacerdas_http_requests_total", 'method="GET",route="regions/",status="200"')
    assert after == before + 1
    assert "kotacerdas_http_request_duration_seconds_bucket" in text


def test_metrics_refused_to_a_remote_anonymous_scraper() -> None:
    response = Client(**REMOTE).get("/metrics")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] != response.json()["detail"]


@override_settings(METRICS_TOKEN="s3cret-metrics-token")
def test_metrics_token_lets_a_remote_scraper_in() -> None:
    remote = Client(**REMOTE)
    assert remote.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-metrics-token").status_code == 200
    assert remote.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403


def test_metrics_for_a_national_admin_not_an_officer(users: dict[str, Any]) -> None:
    admin, officer = Client(**REMOTE), Client(**REMOTE)
    admin.force_login(users["national_admin"])
    officer.force_login(users["officer_a"])
    assert admin.get("/metrics").status_code == 200
    assert officer.get("/metrics").status_code == 403


def test_ingestion_counters_and_dead_letter_gauge(client: Client, gauge: Any) -> None:  # noqa: F811
    text = scrape(client)
    readings = sample(text, "kotacerdas_ingest_readings_total", 'transport="mqtt"')
    dead = sample(text, "kotacerdas_ingest_dead_lettered_total", 'transport="mqtt"')
    outcome = ingest(
        [
            mqtt("/luwu-utara-key/masamba-01/attrs", "l|2.1"),
            mqtt("/luwu-utara-key/masamba-01/attrs", "l|not-a-number"),
        ]
    )
    assert outcome.stored == 1 and len(outcome.dead) == 1
    text = scrape(client)
    assert sample(text, "kotacerdas_ingest_readings_total", 'transport="mqtt"') == readings + 1
    assert sample(text, "kotacerdas_ingest_dead_lettered_total", 'transport="mqtt"') == dead + 1
    assert sample(text, "kotacerdas_dead_letters") == DeadLetter.objects.count() == 1


def test_outbox_gauges_follow_pending_notifications(client: Client) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from kotacerdas.context.models import Notification, Subscription, Tenant

    text = scrape(client)
    assert sample(text, "kotacerdas_outbox_pending") == 0
    assert sample(text, "kotacerdas_outbox_lag_seconds") == 0
    tenant = Tenant.objects.get_or_create(name="")[0]
    subscription = Subscription.objects.create(
        tenant=tenant, subscription_id="urn:ngsi-ld:Subscription:m", body={}
    )
    for n in range(2):
        Notification.objects.create(
            subscription=subscription, notification_id=f"n{n}", payload={}, next_attempt=timezone.now()
        )
    Notification.objects.filter(notification_id="n0").update(created=timezone.now() - timedelta(minutes=5))
    text = scrape(client)
    assert sample(text, "kotacerdas_outbox_pending") == 2
    assert 300 <= sample(text, "kotacerdas_outbox_lag_seconds") < 360
