"""KPBU proposals and partners through the API: who may do what, every refusal, the public list, privacy."""

from __future__ import annotations

from typing import Any

import pytest

from kotacerdas.core.models import Notification
from kotacerdas.masterplan.models import Initiative
from kotacerdas.matchmaking.models import Interest, Partner, Proposal

from .conftest import PDF, post

pytestmark = pytest.mark.django_db
B = 1_000_000_000
PARTNER = {
    "name": "PT Sensor Nusantara",
    "nib": "1234567890123",
    "npwp": "01.234.567.8-901.000",
    "sectors": ["disaster-early-warning"],
    "schemes": ["kpbu-availability"],
    "ticket_min_idr": 10 * B,
    "ticket_max_idr": 50 * B,
    "regions": ["73"],
}


def upload(client: Any, pk: int, kind: str, content: bytes = PDF, name: str = "doc.pdf") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"/api/proposals/{pk}/documents", {"kind": kind, "file": SimpleUploadedFile(name, content)}
    )


def test_proposal_from_draft_to_published_to_interest(client_as: Any, proposal_body: dict[str, Any]) -> None:
    assert post(client_as("officer_b"), "/api/proposals", proposal_body).status_code == 403
    created = post(client_as("officer_a"), "/api/proposals", proposal_body)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert client_as(None).get("/api/proposals").json()["count"] == 0  # drafts are never public
    assert client_as("partner").get(f"/api/proposals/{pk}").status_code == 404
    assert upload(client_as("officer_b"), pk, "prefeasibility_study").status_code == 404  # another's draft
    assert upload(client_as("officer_a"), pk, "prefeasibility_study").status_code == 201
    assert post(client_as("officer_a"), f"/api/proposals/{pk}/publish", {}).status_code == 403
    assert post(client_as("national_reviewer"), f"/api/proposals/{pk}/publish", {}).status_code == 200
    again = post(client_as("national_reviewer"), f"/api/proposals/{pk}/publish", {})
    assert again.status_code == 400 and "Only a draft" in again.json()["detail"]
    listed = client_as(None).get("/api/proposals").json()
    assert listed["count"] == 1
    assert {
        k: listed["items"][0][k] for k in ("id", "region_code", "pillar", "scheme", "capex_idr", "stage")
    } == {
        "id": pk,
        "region_code": "73.22",
        "pillar": "environment",
        "scheme": "kpbu-availability",
        "capex_idr": 40 * B,
        "stage": "preparation",
    }
    assert client_as(None).get("/api/proposals?pillar=living").json()["count"] == 0

    partner = client_as("partner")
    registered = post(partner, "/api/partners", PARTNER)
    assert registered.status_code == 201 and registered.json()["verified"] is False
    unverified = post(partner, f"/api/proposals/{pk}/interests", {"message": "Kami siap."})
    assert unverified.status_code == 400 and "not verified" in unverified.json()["detail"]
    assert partner.get(f"/api/proposals/{pk}").json()["contact_email"] is None
    partner_id = registered.json()["id"]
    assert post(client_as("national_reviewer"), f"/api/partners/{partner_id}/verify", {}).status_code == 403
    assert post(client_as("national_admin"), f"/api/partners/{partner_id}/verify", {}).status_code == 200
    assert partner.get(f"/api/proposals/{pk}").json()["contact_email"] == "diskominfo@luwuutara.example.id"
    ranked = client_as("officer_a").get(f"/api/proposals/{pk}/partners").json()
    # 30 sector + 25 ticket + 12 province + 15 scheme + 5 readiness (one of two documents)
    assert ranked[0]["score"] == 87.0 and len(ranked[0]["parts"]) == 5
    assert client_as("officer_b").get(f"/api/proposals/{pk}/partners").status_code == 403
    assert partner.get("/api/partners/me/proposals").json()[0]["proposal"] == pk
    interest = post(partner, f"/api/proposals/{pk}/interests", {"message": "Kami siap membangun."})
    assert interest.status_code == 201
    assert Notification.objects.filter(kind="matchmaking.interest", user__region_id="73.22").exists()
    assert Proposal.objects.get(pk=pk).status == "interest"
    again = post(partner, f"/api/proposals/{pk}/interests", {"message": "Lagi."})
    assert again.status_code == 400 and "already" in again.json()["detail"]


def test_costs_that_do_not_add_up_and_foreign_initiatives_are_refused(
    client_as: Any, proposal_body: dict[str, Any]
) -> None:
    wrong = {**proposal_body, "capex_idr": 45 * B}
    refused = post(client_as("officer_a"), "/api/proposals", wrong)
    assert refused.status_code == 400
    assert "capital cost items add up to Rp 40000000000, not Rp 45000000000" in refused.json()["detail"]
    depok = Initiative.objects.get(plan__region_id="32.76")
    foreign = post(client_as("officer_a"), "/api/proposals", {**proposal_body, "initiatives": [depok.pk]})
    assert "approved master plan" in foreign.json()["detail"]
    assert not Proposal.objects.exists()


def test_a_document_that_is_not_a_pdf_is_refused(client_as: Any, published: Proposal) -> None:
    fake = upload(client_as("officer_a"), published.pk, "support_letter", b"MZ\x90\x00", "letter.pdf")
    assert fake.status_code == 400 and "not a PDF" in fake.json()["detail"]
    unknown = upload(client_as("officer_a"), published.pk, "brochure")
    assert (
        unknown.status_code == 400
        and "pre-feasibility study or the support letter" in unknown.json()["detail"]
    )
    assert not published.files.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"nib": "12345"}, "The NIB has 13 digits"),
        ({"npwp": "12.34"}, "The NPWP has 15 or 16 digits"),
        ({"ticket_min_idr": 60 * B}, "largest ticket is below the smallest"),
    ],
)
def test_partner_identifiers_are_checked(
    client_as: Any, users: dict[str, Any], change: dict[str, Any], message: str
) -> None:
    refused = post(client_as("partner"), "/api/partners", {**PARTNER, **change})
    assert refused.status_code == 400 and message in refused.json()["detail"]
    assert post(client_as("officer_a"), "/api/partners", PARTNER).status_code == 403
    assert not Partner.objects.exists()


def test_no_interest_in_an_unpublished_or_closed_proposal(
    client_as: Any, proposal_body: dict[str, Any], company: Partner
) -> None:
    pk = post(client_as("officer_a"), "/api/proposals", proposal_body).json()["id"]
    partner = client_as("partner")
    assert post(partner, f"/api/proposals/{pk}/interests", {"message": "Halo"}).status_code == 404  # unseen
    Proposal.objects.filter(pk=pk).update(status="closed", closed_reason="Dibatalkan")
    closed = post(partner, f"/api/proposals/{pk}/interests", {"message": "Halo"})
    assert closed.status_code == 400 and "published, open proposal" in closed.json()["detail"]
    assert (
        post(client_as("officer_b"), f"/api/proposals/{pk}/interests", {"message": "Halo"}).status_code == 403
    )


def test_a_partner_never_sees_another_partners_message(
    client_as: Any, published: Proposal, company: Partner, rival: Partner
) -> None:
    from django.test import Client

    post(client_as("partner"), f"/api/proposals/{published.pk}/interests", {"message": "Pesan rahasia A"})
    rival_client = Client(HTTP_ACCEPT_LANGUAGE="en")
    rival_client.force_login(rival.user)
    post(rival_client, f"/api/proposals/{published.pk}/interests", {"message": "Pesan rahasia B"})
    seen = rival_client.get(f"/api/proposals/{published.pk}/interests").json()
    assert [i["message"] for i in seen] == ["Pesan rahasia B"]
    detail = rival_client.get(f"/api/proposals/{published.pk}").json()
    assert [i["message"] for i in detail["interests"]] == ["Pesan rahasia B"]
    assert client_as(None).get(f"/api/proposals/{published.pk}").json()["interests"] == []
    region = client_as("officer_a").get(f"/api/proposals/{published.pk}/interests").json()
    assert sorted(i["message"] for i in region) == ["Pesan rahasia A", "Pesan rahasia B"]
    page = rival_client.get(f"/matchmaking/proposal/{published.pk}/").content.decode()
    assert "Pesan rahasia B" in page and "Pesan rahasia A" not in page


def test_partners_list_is_for_national_admins(client_as: Any, company: Partner) -> None:
    assert client_as("national_admin").get("/api/partners").json()["count"] == 1
    for who in ("partner", "officer_a", "national_reviewer"):
        assert client_as(who).get("/api/partners").status_code == 403
    assert client_as(None).get("/api/partners").status_code in (401, 403)


def test_interest_decision_notifies_the_partner(
    client_as: Any, published: Proposal, company: Partner
) -> None:
    pk = post(client_as("partner"), f"/api/proposals/{published.pk}/interests", {"message": "Siap"}).json()[
        "id"
    ]
    assert post(client_as("officer_b"), f"/api/interests/{pk}/decision", {"accept": True}).status_code == 404
    no_reason = post(client_as("officer_a"), f"/api/interests/{pk}/decision", {"accept": False})
    assert no_reason.status_code == 400 and "why the interest is declined" in no_reason.json()["detail"]
    reviewer = post(client_as("national_reviewer"), f"/api/interests/{pk}/decision", {"accept": True})
    assert reviewer.status_code == 403  # the region decides
    accepted = post(
        client_as("officer_a"), f"/api/interests/{pk}/decision", {"accept": True, "reply": "Mari"}
    )
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    note = Notification.objects.get(kind="matchmaking.decision", user=company.user)
    assert "accepted your interest" in note.title and note.emailed
    twice = post(client_as("officer_a"), f"/api/interests/{pk}/decision", {"accept": False, "reply": "x"})
    assert twice.status_code == 400 and Interest.objects.get(pk=pk).status == "accepted"


def test_match_reasons_are_in_the_readers_language(
    users: dict[str, Any], published: Proposal, company: Partner
) -> None:
    from django.test import Client

    indonesian = Client()  # Bahasa Indonesia by default
    indonesian.force_login(users["officer_a"])
    parts = indonesian.get(f"/api/proposals/{published.pk}/partners").json()[0]["parts"]
    assert parts[0]["reason"] == "bekerja di sektor disaster-early-warning"
    assert parts[4]["reason"].startswith("belum ada: ")
    page = indonesian.get(f"/matchmaking/proposal/{published.pk}/").content.decode()
    assert "bekerja di sektor disaster-early-warning" in page
