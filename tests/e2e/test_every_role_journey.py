"""Every role's journey in Chromium, one story on the real demo server (`kotacerdas demo` then `serve`):

the national admin opens a cohort and invites a region → its officer fills and submits the readiness
assessment with evidence → two reviewers score → the admin ranks and selects under the quota → the MoU is
recorded → an FGD is scheduled and its minutes and worksheet uploaded → a master plan is drafted, reviewed,
approved and exported to PDF → a quick win's progress is reported (a field error first) and verified → the
yearly evaluation is recomputed → the public dashboard shows the new score with its Indonesian explanation →
a KPBU proposal is published and a partner's interest accepted → the operator acknowledges a flood alert.

Each step saves a screenshot (test-artifacts/journey-NN-*.png).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DemoServer, screenshot, sign_in

pytestmark = pytest.mark.e2e
YEAR = 2031
PDF = {"name": "bukti.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% bukti kesiapan\n"}
TITLE = "Peringatan dini banjir terpadu Masamba"


def cohort_and_invitation(page: Any, server: DemoServer) -> None:
    """The admin opens a cohort with a quota of one kabupaten/kota and invites Luwu Utara."""
    sign_in(page, server, "admin")
    page.goto(server.url + "/program/new/")
    page.fill("#id_year", str(YEAR))
    page.fill("#id_title", "Kohort uji peramban")
    page.fill("#id_quota_kabkota", "1")
    page.select_option("#id_questionnaire", index=1)
    page.fill("#id_submission_deadline", "2099-12-31T23:59")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"**/program/{YEAR}/")
    page.goto(server.url + f"/program/{YEAR}/candidates/?limit=600")
    page.check("input[name=code][value='73.22']")
    page.click("button[type=submit].primary")
    page.wait_for_selector('[data-testid="funnel"]')
    assert page.text_content('[data-testid="funnel"] li:first-child strong') == "1"


def assessment_submitted(page: Any, server: DemoServer) -> None:
    """The invited officer answers every criterion, attaches the required evidence and submits."""
    sign_in(page, server, "officer")
    assert int(page.text_content('[data-testid="notifications"]').split()[-1]) >= 1  # invited
    page.goto(server.url + f"/program/{YEAR}/")
    page.click('[data-testid="open-assessment"]')
    for select in page.query_selector_all("select[name^=value_]"):
        select.select_option("5")
    page.click('[data-testid="save-draft"]')
    page.wait_for_selector(".messages")
    for code in ("S3", "S5", "I2", "P1", "P4"):  # the criteria that require evidence
        page.select_option("select[name=criterion]", label=code)
        page.set_input_files("input[name=file]", PDF)
        page.click("form[action$='/evidence/'] button")
        page.wait_for_selector(".messages")
    screenshot(page, "journey-02-assessment-filled")
    page.click('[data-testid="submit"]')
    page.wait_for_selector(".messages")
    assert page.locator('[data-testid="submit"]').count() == 0  # read-only now


def review_scored(page: Any, server: DemoServer, reviewer: str) -> None:
    """One reviewer scores every criterion of Luwu Utara's submission."""
    sign_in(page, server, reviewer)
    page.goto(server.url + "/assessment/reviews/")
    page.click("text=Kabupaten Luwu Utara >> nth=-1")
    for select in page.query_selector_all("select[name^=score_]"):
        select.select_option("4")
    page.click('[data-testid="save-scores"]')
    page.wait_for_selector(".messages")


def selection_published(page: Any, server: DemoServer) -> None:
    """Reviewers assigned, both score, the admin runs the selection under the quota and publishes it."""
    sign_in(page, server, "admin")
    page.goto(server.url + f"/program/{YEAR}/")
    page.click(f"form[action='/program/{YEAR}/assign/'] button")
    page.wait_for_selector(".messages")
    review_scored(page, server, "reviewer")
    review_scored(page, server, "reviewer2")
    screenshot(page, "journey-03-reviews-scored")
    sign_in(page, server, "admin")
    page.goto(server.url + f"/program/{YEAR}/ranking/")
    assert "75,00" in page.text_content("#ranking")  # id_ID decimals
    page.click('[data-testid="run-selection"]')
    page.wait_for_selector("#ranking tr[data-code='73.22']")
    page.click('[data-testid="publish"]')
    page.wait_for_selector(".messages")
    screenshot(page, "journey-04-ranking-selected")
    page.context.clear_cookies()
    page.goto(server.url + f"/program/{YEAR}/selection/")
    assert "Kabupaten Luwu Utara" in page.text_content('[data-testid="selected"]')


def mou_and_fgd(page: Any, server: DemoServer) -> None:
    """The admin records the MoU and schedules the local FGD; its minutes and a worksheet are uploaded."""
    sign_in(page, server, "admin")
    page.goto(server.url + f"/program/{YEAR}/")
    page.click("#participants >> text=Kabupaten Luwu Utara")
    page.fill("#id_signed_on", (date.today() - timedelta(days=1)).isoformat())  # never in the future
    page.fill("#id_signatories", "Bupati Luwu Utara\nDirjen Aptika")
    page.set_input_files("#id_document", {**PDF, "name": "mou.pdf"})
    page.click('[data-testid="record-mou"]')
    expect(page.locator('[data-testid="mou"]')).to_contain_text("Bupati Luwu Utara")
    screenshot(page, "journey-05-mou-recorded")
    page.select_option("#id_kind", "fgd")
    page.fill("#id_title", "FGD daerah Luwu Utara")
    page.fill("#id_starts_at", "2031-04-10T09:00")
    page.fill("#id_place", "Aula Bappelitbangda Masamba")
    page.click('[data-testid="schedule-session"]')
    page.wait_for_url("**/program/session/*/")
    page.fill("input[name=title]", "Lembar kerja FGD")
    page.set_input_files("input[name=file]", {**PDF, "name": "lembar-kerja.pdf"})
    page.click('[data-testid="upload-worksheet"]')
    page.wait_for_selector("text=Lembar kerja FGD")
    page.fill("#id_minutes", "Disepakati tiga quick win: peringatan dini banjir, layanan kios, data terpadu.")
    page.check("#id_held")
    page.click('[data-testid="save-minutes"]')
    page.wait_for_selector(".messages")
    expect(page.locator("#id_minutes")).to_have_value(
        "Disepakati tiga quick win: peringatan dini banjir, layanan kios, data terpadu."
    )
    screenshot(page, "journey-06-fgd-minutes")


def plan_approved_with_pdf(page: Any, server: DemoServer) -> None:
    """The officer drafts a small plan and submits it; a reviewer comments; the admin approves and downloads
    the PDF the worker built."""
    sign_in(page, server, "officer")
    page.goto(server.url + "/plans/")
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
    screenshot(page, "journey-07-plan-submitted")

    sign_in(page, server, "reviewer")
    page.goto(plan_url)
    page.fill('[data-testid="comment-text"]', "Tambahkan target indikator kesehatan.")
    page.click('[data-testid="add-comment"]')
    page.wait_for_selector("text=Tambahkan target indikator kesehatan.")

    sign_in(page, server, "admin")
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
    screenshot(page, "journey-08-plan-approved-pdf")


def region_score(page: Any, server: DemoServer) -> float:
    page.goto(server.url + "/dashboard/?year=2025")
    text = page.inner_text('[data-testid="score-73.22"]')
    return float(text.replace(",", "."))


def progress_to_dashboard(page: Any, server: DemoServer) -> None:
    """A quick win reported done (120 % refused first), verified by a reviewer, the evaluation recomputed by
    the admin: the public dashboards show the higher score, explained in Indonesian."""
    before = region_score(page, server)
    expect(page.locator("#map")).to_have_attribute("data-coloured-by", "overall")
    screenshot(page, "journey-09-dashboard-national")

    sign_in(page, server, "officer")
    page.goto(server.url + "/monitoring/region/73.22/")
    page.click("text=Stasiun pemantau muka air Sungai Masamba, Rongkong dan Radda")
    page.fill("#id_reported_on", "2025-11-30")
    page.fill("#id_percent", "120")
    page.select_option("#id_status", "done")
    page.fill("#id_narrative", "Tiga stasiun beroperasi dan terhubung ke kotacerdas.")
    page.click('[data-testid="report-form"] button[type="submit"]')
    page.wait_for_selector(".has-error")  # over 100 %: a field error, nothing saved
    page.fill("#id_percent", "100")
    page.click('[data-testid="report-form"] button[type="submit"]')
    page.wait_for_selector(".messages")
    initiative_url = page.url

    sign_in(page, server, "reviewer")
    page.goto(initiative_url)
    page.click('[data-testid^="verify-"]')
    page.wait_for_selector(".messages")
    screenshot(page, "journey-10-progress-verified")

    sign_in(page, server, "admin")
    page.goto(server.url + "/dashboard/?year=2025")
    page.click('[data-testid="recompute"]')
    page.wait_for_selector(".messages")
    after = region_score(page, server)
    assert after > before, (before, after)
    page.goto(server.url + "/dashboard/region/73.22/?year=2025")
    assert float(page.inner_text('[data-testid="region-score"]').replace(",", ".")) == after
    why = page.inner_text('[data-testid="why"]')
    assert "Mengapa skor ini?" in why and "1 dari" in why  # "1 of N programs implemented", in Indonesian
    screenshot(page, "journey-11-dashboard-region-explained")


def partner_interest_accepted(page: Any, server: DemoServer, tmp_path: Path) -> None:
    """A KPBU proposal from an initiative (a field error first), published by a reviewer, found ranked by the
    verified partner, whose interest the officer accepts."""
    sign_in(page, server, "officer")
    page.goto(server.url + "/matchmaking/")
    page.click('[data-testid="new-proposal"]')
    page.select_option("#id_initiatives", index=0)
    page.fill("#id_title", TITLE)
    page.fill("#id_scope", "Sensor muka air dan sirene di tiga sungai.")
    page.select_option("#id_pillar", "environment")
    page.fill("#id_sector", "disaster-early-warning")
    page.fill("#id_location", "Masamba")
    page.fill("#id_capex_idr", "0")
    page.fill("#id_opex_idr", "1000000000")
    page.select_option("#id_scheme", "kpbu-availability")
    page.fill("#id_revenue_model", "Pembayaran ketersediaan layanan.")
    page.fill("#id_contact_name", "Diskominfo Luwu Utara")
    page.fill("#id_contact_email", "diskominfo@luwuutara.example.id")
    page.click('[data-testid="proposal-form"] button[type="submit"]')
    page.wait_for_selector(".has-error")  # a capital cost of 0 is refused at its field
    page.fill("#id_capex_idr", "25000000000")
    page.click('[data-testid="proposal-form"] button[type="submit"]')
    page.wait_for_selector('[data-testid="status"]')
    proposal_url = page.url
    study = tmp_path / "studi-pendahuluan.pdf"
    study.write_bytes(b"%PDF-1.4\n% studi pendahuluan\n")
    page.select_option("#id_kind", "prefeasibility_study")
    page.set_input_files("#id_file", str(study))
    page.click("form[action$='/document/'] button[type=submit]")
    page.wait_for_selector(".messages")

    sign_in(page, server, "reviewer")
    page.goto(proposal_url)
    page.click('[data-testid="publish"]')
    page.wait_for_selector(".messages")

    sign_in(page, server, "partner")
    page.goto(server.url + "/matchmaking/partner/")
    page.click(f'[data-testid="ranked"] >> text={TITLE}')
    assert "diskominfo@luwuutara.example.id" in page.inner_text('[data-testid="contact"]')  # verified partner
    page.fill("#id_message", "Kami memasang sensor serupa di Kalimantan; siap presentasi.")
    page.click('[data-testid="interest-form"] button[type="submit"]')
    page.wait_for_selector('[data-testid="interests"]')

    sign_in(page, server, "officer")
    page.goto(proposal_url)
    page.fill('[data-testid="interests"] input[name="reply"]', "Silakan presentasi di forum KPBU.")
    page.click('[data-testid^="accept-"]')
    page.wait_for_selector(".messages")
    screenshot(page, "journey-12-kpbu-interest-accepted")

    sign_in(page, server, "partner")
    page.goto(proposal_url)
    assert "Silakan presentasi" in page.inner_text('[data-testid="interest-status"]')
    page.goto(server.url + "/notifications/")
    assert TITLE in page.content()


def flood_alert_acknowledged(page: Any, server: DemoServer) -> None:
    """A gauge reports levels above its danger mark over HTTP; the operator (the region's officer) sees the
    alert on the operations page and acknowledges it with a note."""
    for level in ("4.2", "4.4"):  # the demo rule wants two readings in a row above the mark
        sent = page.request.post(
            server.url + "/iot/d?k=luwu-utara-demo&i=masamba-01",
            data=f"l|{level}",
            headers={"Content-Type": "text/plain"},
        )
        assert sent.ok, sent.text()
    sign_in(page, server, "officer")
    page.goto(server.url + "/operations/")
    row = page.locator('[data-testid="alerts"] tr', has_text="masamba-01")
    expect(row.first).to_contain_text("Awas")
    row.first.locator("input[name=note]").fill("Tim BPBD menuju lokasi.")
    row.first.locator('[data-testid="acknowledge"]').click()
    page.wait_for_selector(".messages")
    expect(page.locator('[data-testid="alerts"] tr', has_text="masamba-01").first).to_contain_text("Diterima")
    screenshot(page, "journey-13-flood-alert-acknowledged")


def test_every_role_journey(page: Any, demo_server: DemoServer, tmp_path: Path) -> None:
    cohort_and_invitation(page, demo_server)
    screenshot(page, "journey-01-cohort-invited")
    assessment_submitted(page, demo_server)
    selection_published(page, demo_server)
    mou_and_fgd(page, demo_server)
    plan_approved_with_pdf(page, demo_server)
    progress_to_dashboard(page, demo_server)
    partner_interest_accepted(page, demo_server, tmp_path)
    flood_alert_acknowledged(page, demo_server)
