"""The pipeline: forward moves with dates, meetings at an event, LOI and contract with an accepted partner,
closing with a reason, notifications on each stage, the XLSX export."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from kotacerdas.core.models import Notification
from kotacerdas.matchmaking.models import Partner, Proposal

from .conftest import post

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(client_as: Any, published: Proposal, company: Partner) -> Proposal:
    pk = post(client_as("partner"), f"/api/proposals/{published.pk}/interests", {"message": "Siap"}).json()[
        "id"
    ]
    post(client_as("officer_a"), f"/api/interests/{pk}/decision", {"accept": True, "reply": "Mari bertemu"})
    return published


def test_from_interest_to_contract_with_dates_and_notifications(
    client_as: Any, accepted: Proposal, company: Partner
) -> None:
    today = timezone.localdate()
    staff = client_as("national_reviewer")
    event = post(staff, "/api/events", {"name": "Forum KPBU 2026", "held_on": str(today), "place": "Jakarta"})
    assert event.status_code == 201
    assert (
        post(
            client_as("partner"), "/api/events", {"name": "x", "held_on": str(today), "place": "y"}
        ).status_code
        == 403
    )
    meeting = post(
        client_as("officer_a"),
        f"/api/proposals/{accepted.pk}/meetings",
        {"partner": company.pk, "held_on": str(today), "notes": "Presentasi", "event": event.json()["id"]},
    )
    assert meeting.status_code == 201, meeting.content
    assert Proposal.objects.get(pk=accepted.pk).status == "meetings"
    assert [m["notes"] for m in staff.get(f"/api/events/{event.json()['id']}/meetings").json()] == [
        "Presentasi"
    ]

    stage = f"/api/proposals/{accepted.pk}/stage"
    backwards = post(client_as("officer_a"), stage, {"to": "interest", "on": str(today)})
    assert backwards.status_code == 400 and "only moves forward" in backwards.json()["detail"]
    no_partner = post(client_as("officer_a"), stage, {"to": "loi", "on": str(today)})
    assert no_partner.status_code == 400 and "accepted" in no_partner.json()["detail"]
    future = post(
        client_as("officer_a"),
        stage,
        {"to": "loi", "on": str(today + timedelta(days=3)), "partner": company.pk},
    )
    assert future.status_code == 400 and "future" in future.json()["detail"]
    assert (
        post(
            client_as("officer_b"), stage, {"to": "loi", "on": str(today), "partner": company.pk}
        ).status_code
        == 403
    )
    assert (
        post(client_as("partner"), stage, {"to": "loi", "on": str(today), "partner": company.pk}).status_code
        == 403
    )
    for to in ("loi", "kpbu-process", "contracted"):
        moved = post(client_as("officer_a"), stage, {"to": to, "on": str(today), "partner": company.pk})
        assert moved.status_code == 200, moved.content
    done = Proposal.objects.get(pk=accepted.pk)
    assert done.status == "contracted" and done.partner == company
    assert [s.status for s in done.steps.all()] == [
        "published",
        "interest",
        "meetings",
        "loi",
        "kpbu-process",
        "contracted",
    ]
    assert Notification.objects.filter(kind="matchmaking.stage", user=company.user).count() == 4
    assert Notification.objects.filter(kind="matchmaking.stage", user__region_id="73.22").exists()
    after = post(client_as("officer_a"), stage, {"to": "closed", "on": str(today), "note": "x"})
    assert after.status_code == 400 and "does not move" in after.json()["detail"]
    interest = post(client_as("partner"), f"/api/proposals/{accepted.pk}/interests", {"message": "x"})
    assert interest.status_code == 400


def test_closing_needs_a_reason_and_stops_interest(
    client_as: Any, published: Proposal, rival: Partner
) -> None:
    stage = f"/api/proposals/{published.pk}/stage"
    today = str(timezone.localdate())
    silent = post(client_as("national_admin"), stage, {"to": "closed", "on": today})
    assert silent.status_code == 400 and "reason for closing" in silent.json()["detail"]
    closed = post(
        client_as("national_admin"), stage, {"to": "closed", "on": today, "note": "Anggaran dialihkan"}
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert Proposal.objects.get(pk=published.pk).closed_reason == "Anggaran dialihkan"
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(rival.user)
    refused = post(client, f"/api/proposals/{published.pk}/interests", {"message": "Halo"})
    assert refused.status_code == 400 and "published, open proposal" in refused.json()["detail"]


def test_pipeline_export(client_as: Any, accepted: Proposal, company: Partner) -> None:
    xlsx = client_as("national_reviewer").get("/api/pipeline.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, first = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert "date_interest" in header and first["pipeline"] == "interest" and first["interests"] == 1
    assert first["date_published"].date() == timezone.localdate()
    assert client_as("officer_a").get("/api/pipeline").json()["count"] == 1
    assert client_as("officer_b").get("/api/pipeline").json()["count"] == 0  # not their region
    assert client_as("partner").get("/api/pipeline").status_code == 403
    page = client_as("officer_a").get("/matchmaking/pipeline/?format=xlsx")
    assert page.status_code == 200 and page["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client_as("partner").get("/matchmaking/pipeline/").status_code == 403


def test_a_meeting_needs_an_accepted_interest(client_as: Any, published: Proposal, company: Partner) -> None:
    refused = post(
        client_as("officer_a"),
        f"/api/proposals/{published.pk}/meetings",
        {"partner": company.pk, "held_on": str(date.today())},
    )
    assert refused.status_code == 400 and "accepted" in refused.json()["detail"]
