"""In Chromium: one region's path from invitation to selection (issue #3)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DemoServer, screenshot, sign_in

pytestmark = pytest.mark.e2e
YEAR = 2031
PDF = {"name": "bukti.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% bukti kesiapan\n"}


def _create_cohort_and_invite(page: Any, server: DemoServer) -> None:
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


def _fill_and_submit(page: Any, server: DemoServer) -> None:
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
    screenshot(page, "assessment-filled")
    page.click('[data-testid="submit"]')
    page.wait_for_selector(".messages")
    assert page.locator('[data-testid="submit"]').count() == 0  # read-only now


def _score(page: Any, server: DemoServer, reviewer: str) -> None:
    sign_in(page, server, reviewer)
    page.goto(server.url + "/assessment/reviews/")
    page.click("text=Kabupaten Luwu Utara >> nth=-1")
    for select in page.query_selector_all("select[name^=score_]"):
        select.select_option("4")
    page.click('[data-testid="save-scores"]')
    page.wait_for_selector(".messages")


def test_invitation_to_selection(page: Any, demo_server: DemoServer) -> None:
    _create_cohort_and_invite(page, demo_server)
    _fill_and_submit(page, demo_server)
    sign_in(page, demo_server, "admin")
    page.goto(demo_server.url + f"/program/{YEAR}/")
    page.click(f"form[action='/program/{YEAR}/assign/'] button")
    page.wait_for_selector(".messages")
    _score(page, demo_server, "reviewer")
    _score(page, demo_server, "reviewer2")
    sign_in(page, demo_server, "admin")
    page.goto(demo_server.url + f"/program/{YEAR}/ranking/")
    assert "75,00" in page.text_content("#ranking")  # id_ID decimals
    page.click('[data-testid="run-selection"]')
    page.wait_for_selector("#ranking tr[data-code='73.22']")
    page.click('[data-testid="publish"]')
    page.wait_for_selector(".messages")
    screenshot(page, "ranking-selected")
    page.context.clear_cookies()
    page.goto(demo_server.url + f"/program/{YEAR}/selection/")
    assert "Kabupaten Luwu Utara" in page.text_content('[data-testid="selected"]')


def test_invite_on_the_map(page: Any, demo_server: DemoServer) -> None:
    from kotacerdas.program.demo import current_year

    year = current_year()
    sign_in(page, demo_server, "admin")
    page.goto(demo_server.url + f"/program/{year}/invite/map/")
    page.wait_for_selector("#map[data-markers]", timeout=15_000)
    targets = page.evaluate("""() => {  // two untaken regions in Papua, where markers do not overlap
        const el = document.getElementById('map');
        const taken = JSON.parse(document.getElementById('taken-codes').textContent);
        const box = el.getBoundingClientRect();
        return Object.entries(el.kcMarkers).filter(([code]) => code.startsWith('9') && !taken.includes(code))
            .slice(0, 2).map(([code, m]) => {
                const p = el.kcMap.latLngToContainerPoint(m.getLatLng());
                return {code, x: box.left + p.x, y: box.top + p.y};
            });
    }""")
    for target in targets:
        page.mouse.click(target["x"], target["y"])
    expect(page.locator("#map")).to_have_attribute("data-picked", "2")
    page.click('[data-testid="invite-picked"]')
    page.wait_for_selector('[data-testid="funnel"]')
    participants = page.text_content("#participants")
    assert all(t["code"] in participants for t in targets)
    screenshot(page, "invited-on-map")
