"""Progress reports through the API and the pages: who may report and verify, and every refusal."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.masterplan.models import Initiative
from kotacerdas.monitoring import services
from kotacerdas.monitoring.models import ProgressReport

pytestmark = pytest.mark.django_db
M = 1_000_000
GOOD = {
    "percent": 60,
    "status": "on_track",
    "narrative": "Dua stasiun terpasang.",
    "reported_on": "2024-06-30",
}


def post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def url_of(initiative: Initiative) -> str:
    return f"/api/monitoring/initiatives/{initiative.pk}/reports"


def test_the_regions_officer_reports_and_a_reviewer_verifies(client_as: Any, stations: Initiative) -> None:
    response = post(client_as("officer_a"), url_of(stations), GOOD)
    assert response.status_code == 201, response.content
    report = ProgressReport.objects.get()
    assert (report.percent, report.status, report.verified_at) == (60, "on_track", None)
    assert post(client_as("officer_a"), f"/api/monitoring/reports/{report.pk}/verify", {}).status_code == 403
    verified = post(
        client_as("national_reviewer"), f"/api/monitoring/reports/{report.pk}/verify", {"note": "ok"}
    )
    assert verified.status_code == 200 and verified.json()["verified"] is True


def test_another_regions_officer_and_the_public_are_refused(client_as: Any, stations: Initiative) -> None:
    assert post(client_as("officer_b"), url_of(stations), GOOD).status_code == 403
    assert post(client_as("national_admin"), url_of(stations), GOOD).status_code == 403
    assert post(client_as(None), url_of(stations), GOOD).status_code in (401, 403)
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"percent": 120}, "between 0 and 100"),
        ({"percent": -5}, "between 0 and 100"),
        ({"status": "dropped"}, "Say why the initiative is dropped"),
        ({"status": "done"}, "A done initiative is at 100"),
        ({"narrative": " "}, "Describe what was done"),
        ({"status": "finished"}, "Choose a status"),
        ({"reported_on": "2099-01-01"}, "a day in the future"),
    ],
)
def test_bad_reports_are_refused_with_a_problem(
    client_as: Any, stations: Initiative, change: dict[str, Any], message: str
) -> None:
    response = post(client_as("officer_a"), url_of(stations), {**GOOD, **change})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert message in response.json()["detail"]
    assert not ProgressReport.objects.exists()


def test_spending_above_the_plan_needs_a_justification(client_as: Any, stations: Initiative) -> None:
    over = {**GOOD, "budget": [{"year": 2024, "source": "DAK", "amount": 900 * M}]}  # plan: 800 M in 2024
    refused = post(client_as("officer_a"), url_of(stations), over)
    assert refused.status_code == 400 and "above the plan (2024)" in refused.json()["detail"]
    within = {**GOOD, "budget": [{"year": 2024, "source": "DAK", "amount": 800 * M}]}
    assert post(client_as("officer_a"), url_of(stations), within).status_code == 201
    justified = {**over, "budget_justification": "Tambahan satu stasiun di Radda."}
    assert post(client_as("officer_a"), url_of(stations), justified).status_code == 201
    unknown = {**GOOD, "budget": [{"year": 2024, "source": "lottery", "amount": 1}]}
    assert "Unknown budget source" in post(client_as("officer_a"), url_of(stations), unknown).json()["detail"]


def test_report_page_shows_field_errors_and_saves_with_evidence(client_as: Any, stations: Initiative) -> None:
    client = client_as("officer_a")
    page = client.post(f"/monitoring/initiative/{stations.pk}/", {**GOOD, "percent": "150"})
    assert page.status_code == 400 and "between 0 and 100" in page.content.decode()
    pdf = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4 bukti", content_type="application/pdf")
    saved = client.post(f"/monitoring/initiative/{stations.pk}/", {**GOOD, "evidence": pdf})
    assert saved.status_code == 302
    report = ProgressReport.objects.get()
    assert report.evidence.get().original_name == "bukti.pdf"
    fake = SimpleUploadedFile("bukti.pdf", b"not a pdf", content_type="application/pdf")
    refused = client.post(f"/monitoring/initiative/{stations.pk}/", {**GOOD, "evidence": fake})
    assert refused.status_code == 400 and ProgressReport.objects.count() == 1


def test_flags_and_the_tracked_list(client_as: Any, plan_initiatives: list[Initiative]) -> None:
    rows = client_as("officer_a").get("/api/monitoring/initiatives?region=73.22").json()
    assert len(rows) == len(plan_initiatives)
    unreported = [r for r in rows if r["unreported"]]
    assert unreported  # nothing has been reported on the demo plan's running initiatives
    assert client_as("officer_b").get("/api/monitoring/initiatives?region=73.22").status_code == 403
    assert client_as("national_reviewer").get("/api/monitoring/initiatives?flagged=true").status_code == 200


def test_weekly_digest_mails_the_regions_officers_and_the_admins(
    users: dict[str, Any], plan_initiatives: list[Initiative]
) -> None:
    counts = services.weekly_digest(date(2026, 11, 22))
    assert counts["73.22"] >= 1
    recipients = {address for message in mail.outbox for address in message.to}
    assert users["officer_a"].email in recipients and users["national_admin"].email in recipients
    assert users["officer_b"].email not in recipients
    officer_mail = next(m for m in mail.outbox if users["officer_a"].email in m.to)
    assert "no progress report" in officer_mail.body or "days behind" in officer_mail.body


def test_digest_is_quiet_when_nothing_is_flagged(users: dict[str, Any]) -> None:
    assert services.weekly_digest(date(2026, 11, 22)) == {}
    assert mail.outbox == []


def test_the_worker_sends_the_digest_once_a_week(
    users: dict[str, Any], plan_initiatives: list[Initiative]
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    assert services.digest_due(now)
    sent = len(mail.outbox)
    assert services.digest_due(now + timedelta(hours=1)) is None and len(mail.outbox) == sent
    assert services.digest_due(now + timedelta(days=8)) and len(mail.outbox) > sent


def test_refusals_are_in_bahasa_indonesia_by_default(users: dict[str, Any], stations: Initiative) -> None:
    from django.test import Client

    client = Client()
    client.force_login(users["officer_a"])
    refused = post(client, url_of(stations), {**GOOD, "percent": 120})
    assert "Kemajuan antara 0 dan 100 %; 120 tidak." in refused.json()["detail"]
    page = client.get("/monitoring/region/73.22/").content.decode()
    assert "belum ada laporan kemajuan" in page  # the computed lateness, translated
