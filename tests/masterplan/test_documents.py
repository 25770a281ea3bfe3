"""The official document: PDF and DOCX read back; worker, versions, the public's access."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from docx import Document as Docx
from pypdf import PdfReader

from kotacerdas.masterplan import documents
from kotacerdas.masterplan.demo import seed_plans
from kotacerdas.masterplan.models import Document, MasterPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(users: dict[str, Any]) -> dict[str, MasterPlan]:
    from kotacerdas.program.demo import seed_program

    seed_program()
    seed_plans()
    return {
        "approved": MasterPlan.objects.get(region_id="73.22", is_example=True),
        "draft": MasterPlan.objects.get(region_id="32.76", is_example=True),
    }


def _pdf_text(data: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def test_approved_plan_pdf_has_the_chapters_a_table_value_and_no_draft_mark(
    plans: dict[str, MasterPlan],
) -> None:
    response = Client().get(f"/api/masterplans/{plans['approved'].pk}/document.pdf")
    assert response.status_code == 200
    text, pages = _pdf_text(b"".join(response.streaming_content))
    for heading in (
        "Daftar isi",
        "Buku 1 — Analisis",
        "Analisis SWOT",
        "Buku 2 — Masterplan",
        "Program per pilar",
        "Rencana anggaran indikatif",
        "Peta jalan",
        "Quick win",
    ):
        assert heading in text, heading
    assert "Mal pelayanan publik digital" in text and "Rp 700.000.000" in text  # a row of a pillar table
    assert "Rp 14.620.000.000" in text  # the budget's grand total
    assert "DRAF" not in text
    assert 4 <= pages <= 12


def test_draft_pdf_is_watermarked_and_kept_with_a_draft_version(
    plans: dict[str, MasterPlan], users: dict[str, Any]
) -> None:
    draft = plans["draft"]
    document = documents.ready_document(users["national_admin"], draft, "pdf")
    text, _pages = _pdf_text(document.file.read())
    assert "DRAF" in text
    assert document.version.event == "draft" and document.version.plan == draft
    again = documents.ready_document(users["national_admin"], draft, "pdf")
    assert again.pk == document.pk  # unchanged plan: the same version and file


def test_docx_headings_read_back(plans: dict[str, MasterPlan], users: dict[str, Any]) -> None:
    document = documents.ready_document(users["national_admin"], plans["approved"], "docx")
    headings = [
        p.text for p in Docx(document.file.open("rb")).paragraphs if p.style.name.startswith("Heading")
    ]
    assert (
        "Buku 1 — Analisis" in headings
        and "Rencana anggaran indikatif" in headings
        and "Quick win" in headings
    )


def test_the_worker_builds_requested_documents(plans: dict[str, MasterPlan], users: dict[str, Any]) -> None:
    queued = documents.request_document(users["national_admin"], plans["approved"], "docx")
    assert queued.status == Document.Status.PENDING
    assert documents.build_pending() == 1
    queued.refresh_from_db()
    assert (queued.status, queued.progress) == (Document.Status.DONE, 100)
    assert documents.build_pending() == 0


def test_public_gets_documents_only_of_published_approved_plans(plans: dict[str, MasterPlan]) -> None:
    assert Client().get(f"/api/masterplans/{plans['draft'].pk}/document.pdf").status_code == 404
    listed = Client().get("/api/masterplans").json()
    assert [p["region_code"] for p in listed["items"]] == ["73.22"]


def test_plan_json_and_versions(plans: dict[str, MasterPlan], api_token: Any) -> None:
    token = {"HTTP_AUTHORIZATION": f"Bearer {api_token('national_reviewer')}"}
    items = Client().get("/api/masterplans", **token).json()["items"]
    assert {(p["region_code"], p["status"]) for p in items} == {("73.22", "approved"), ("32.76", "draft")}
    assert set(items[0]) >= {"id", "region_code", "status", "period_start", "period_end"}
    body = Client().get(f"/api/masterplans/{plans['approved'].pk}").json()
    assert len(body["initiatives"]) == 14 and body["findings"] == []
    assert [v["event"] for v in body["versions"]] == ["submitted", "approved"]
    first = Client().get(f"/api/masterplans/{plans['approved'].pk}?version=1").json()
    assert first["status"] == "submitted"  # the snapshot as it was submitted
    assert Client().get(f"/api/masterplans/{plans['approved'].pk}?version=9").status_code == 404


def test_initiatives_xlsx(plans: dict[str, MasterPlan]) -> None:
    from openpyxl import load_workbook

    response = Client().get(f"/api/masterplans/{plans['approved'].pk}/initiatives.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][-3:] == ("year", "source", "amount_idr") and len(rows) > 14
