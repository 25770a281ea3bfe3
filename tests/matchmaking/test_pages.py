"""The matchmaking pages: who sees what, field errors on every form, the partner's registration."""

from __future__ import annotations

from typing import Any

import pytest

from kotacerdas.matchmaking.models import Partner, Proposal

pytestmark = pytest.mark.django_db


def test_drafts_are_seen_by_their_region_and_national_staff_only(
    client_as: Any, users: dict[str, Any], stations: Any
) -> None:
    from kotacerdas.matchmaking import services
    from kotacerdas.matchmaking.demo import FLOOD_PROPOSAL

    draft = services.create_proposal(users["officer_a"], "73.22", FLOOD_PROPOSAL, [stations.pk])
    url = f"/matchmaking/proposal/{draft.pk}/"
    for who in ("officer_a", "national_reviewer", "national_admin"):
        assert client_as(who).get(url).status_code == 200, who
    for who in (None, "partner", "officer_b"):
        assert client_as(who).get(url).status_code == 404, who
    assert FLOOD_PROPOSAL["title"] not in client_as(None).get("/matchmaking/").content.decode()
    assert FLOOD_PROPOSAL["title"] in client_as("officer_a").get("/matchmaking/").content.decode()
    assert 'data-testid="publish"' in client_as("national_reviewer").get(url).content.decode()
    assert 'data-testid="publish"' not in client_as("officer_a").get(url).content.decode()


def test_new_proposal_form(client_as: Any, stations: Any) -> None:
    assert client_as("partner").get("/matchmaking/new/").status_code == 403
    assert client_as("national_admin").get("/matchmaking/new/").status_code == 403
    form = {
        "initiatives": [stations.pk],
        "title": "Sensor banjir",
        "scope": "Sensor",
        "pillar": "environment",
        "sector": "disaster-early-warning",
        "location": "Masamba",
        "capex_idr": "0",
        "opex_idr": "-1",
        "scheme": "csr",
        "revenue_model": "CSR",
        "stage": "planning",
        "contact_name": "Dinas",
        "contact_email": "bukan-email",
    }
    refused = client_as("officer_a").post("/matchmaking/new/", form)
    assert refused.status_code == 400
    assert refused.content.decode().count('class="field has-error"') == 3  # capital, operating cost, email
    assert not Proposal.objects.exists()
    saved = client_as("officer_a").post(
        "/matchmaking/new/", {**form, "capex_idr": "5", "opex_idr": "0", "contact_email": "a@b.id"}
    )
    assert saved.status_code == 302 and Proposal.objects.get().status == "draft"


def test_partner_registers_through_the_page(client_as: Any, users: dict[str, Any]) -> None:
    partner = client_as("partner")
    form = {"name": "PT Kota", "nib": "123", "npwp": "01.234.567.8-901.000", "ticket_min_idr": "0"}
    refused = partner.post("/matchmaking/partner/", form)
    assert refused.status_code == 400 and "The NIB has 13 digits" in refused.content.decode()
    assert (
        partner.post(
            "/matchmaking/partner/",
            {**form, "nib": "1234567890123", "sectors": "air, sampah", "regions": "73, 64.72"},
        ).status_code
        == 302
    )
    company = Partner.objects.get()
    assert company.sectors == ["air", "sampah"] and company.regions == ["73", "64.72"]
    assert "Waiting for verification" in partner.get("/matchmaking/partner/").content.decode()
    assert client_as("officer_a").get("/matchmaking/partner/").status_code == 403
    assert client_as("national_reviewer").get("/matchmaking/partners/").status_code == 403
    admin = client_as("national_admin")
    assert "PT Kota" in admin.get("/matchmaking/partners/").content.decode()
    assert admin.post(f"/matchmaking/partners/{company.pk}/verify/").status_code == 302
    assert Partner.objects.get().verified_at is not None


def test_stage_form_shows_errors_at_its_fields(client_as: Any, published: Proposal) -> None:
    refused = client_as("officer_a").post(
        f"/matchmaking/proposal/{published.pk}/stage/", {"to": "closed", "on": "2020-01-01"}
    )
    page = refused.content.decode()
    assert refused.status_code == 400 and "Give the reason for closing." in page
    assert "The date is before the previous stage" in page
    assert (
        client_as("officer_b")
        .post(
            f"/matchmaking/proposal/{published.pk}/stage/", {"to": "closed", "on": "2026-01-01", "note": "x"}
        )
        .status_code
        == 403
    )
    assert Proposal.objects.get(pk=published.pk).status == "published"


def test_events_page(client_as: Any, users: dict[str, Any]) -> None:
    assert client_as("officer_a").get("/matchmaking/events/").status_code == 403
    staff = client_as("national_reviewer")
    refused = staff.post("/matchmaking/events/", {"name": "Forum", "place": "Jakarta"})
    assert refused.status_code == 400
    assert (
        staff.post(
            "/matchmaking/events/", {"name": "Forum KPBU", "place": "Jakarta", "held_on": "2026-10-01"}
        ).status_code
        == 302
    )
    assert "Forum KPBU" in staff.get("/matchmaking/events/").content.decode()
