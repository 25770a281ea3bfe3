"""In Chromium: the admin invites regions by clicking them on the map (issue #3). The whole path from
invitation to selection is part of tests/e2e/test_every_role_journey.py."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DemoServer, screenshot, sign_in

pytestmark = pytest.mark.e2e


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
