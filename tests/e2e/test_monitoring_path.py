"""In Chromium: an officer reports an initiative done, a reviewer verifies the report, the national admin
recomputes the evaluation and sees Luwu Utara's score change on the dashboards (issue #7)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DemoServer, screenshot, sign_in

pytestmark = pytest.mark.e2e


def _score(page: Any, server: DemoServer) -> float:
    page.goto(server.url + "/dashboard/?year=2025")
    text = page.inner_text('[data-testid="score-73.22"]')
    return float(text.replace(",", "."))


def test_report_verify_recompute_and_the_dashboard_changes(page: Any, demo_server: DemoServer) -> None:
    before = _score(page, demo_server)
    expect(page.locator("#map")).to_have_attribute("data-coloured-by", "overall")
    screenshot(page, "dashboard-national")

    sign_in(page, demo_server, "officer")
    page.goto(demo_server.url + "/monitoring/region/73.22/")
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

    sign_in(page, demo_server, "reviewer")
    page.goto(initiative_url)
    page.click('[data-testid^="verify-"]')
    page.wait_for_selector(".messages")

    sign_in(page, demo_server, "admin")
    page.goto(demo_server.url + "/dashboard/?year=2025")
    page.click('[data-testid="recompute"]')
    page.wait_for_selector(".messages")
    after = _score(page, demo_server)
    assert after > before, (before, after)
    page.goto(demo_server.url + "/dashboard/region/73.22/?year=2025")
    assert float(page.inner_text('[data-testid="region-score"]').replace(",", ".")) == after
    why = page.inner_text('[data-testid="why"]')
    assert "Mengapa skor ini?" in why and "1 dari" in why  # "1 of N programs implemented", in Indonesian
    screenshot(page, "dashboard-region")
