"""In Chromium: a regional officer drafts a small plan, submits; a reviewer comments; the admin approves and
downloads the PDF built by the worker (issue #4)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import DemoServer, screenshot, sign_in

pytestmark = pytest.mark.e2e


def test_draft_submit_review_approve_download(page: Any, demo_server: DemoServer) -> None:
    sign_in(page, demo_server, "officer")
    page.goto(demo_server.url + "/plans/")
    page.fill("#id_region", "73.22")
    page.fill("#id_period_start", "2033")
    page.fill("#id_period_end", "2040")
    page.fill("#id_title", "Rencana uji peramban")
    page.click('[data-testid="new-plan"]')
    page.wait_for_selector('[data-testid="plan-status"]')
    plan_url = page.url
    page.fill('[data-testid="section-vision"]', "Kota tangguh dan terhubung")
    page.click('[data-testid="save-vision"]')
    page.wait_for_selector(".messages")
    for pillar in ("governance", "branding", "economy", "society", "environment"):
        page.fill(f'[data-testid="justify-{pillar}"]', "Dicakup rencana sebelumnya")
        page.click(f'[data-testid="save-goal-{pillar}"]')
        page.wait_for_selector(".messages")
    page.click('[data-testid="add-initiative"]')
    page.select_option("#id_element", label="Smart Living: Kesehatan")
    page.select_option("#id_layer", "solution")
    page.fill("#id_title", "Telemedisin puskesmas")
    page.fill("#id_start_year", "2033")
    page.fill("#id_end_year", "2035")
    page.fill("#id_lead_opd", "Dinas Kesehatan")
    page.fill("#id_budget_year_0", "2033")
    page.select_option("#id_budget_source_0", "APBD")
    page.fill("#id_budget_amount_0", "750000000")
    page.click('[data-testid="save-initiative"]')
    page.wait_for_selector('[data-testid="checklist-ok"]')
    page.click('[data-testid="submit-plan"]')
    page.wait_for_selector('[data-testid="plan-status"]')
    screenshot(page, "plan-submitted")

    sign_in(page, demo_server, "reviewer")
    page.goto(plan_url)
    page.fill('[data-testid="comment-text"]', "Tambahkan target indikator kesehatan.")
    page.click('[data-testid="add-comment"]')
    page.wait_for_selector("text=Tambahkan target indikator kesehatan.")

    sign_in(page, demo_server, "admin")
    page.goto(plan_url)
    page.click('[data-testid="approve-plan"]')
    page.wait_for_selector(".messages")
    page.click('[data-testid="make-pdf"]')
    link = page.wait_for_selector('[data-testid="download-pdf"]', timeout=30_000)
    with page.expect_download() as download:
        link.click()
    path = download.value.path()
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(path).pages)
    assert "Telemedisin puskesmas" in text and "Buku 2 — Masterplan" in text and "DRAF" not in text
    screenshot(page, "plan-approved")
