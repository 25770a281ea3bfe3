"""In Chromium, on the real server: the pages work under the Content-Security-Policy (no inline script or
style is refused, the maps and charts still draw) and carry the hardening headers."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import DemoServer, csp_violations, sign_in

pytestmark = pytest.mark.e2e

PUBLIC_PAGES = [
    "/",
    "/dashboard/",
    "/dashboard/region/73.22/",
    "/regions/73.22/",
    "/program/",
    "/matchmaking/",
    "/clusters/",
    "/api/docs",
    "/account/login/",
]
ADMIN_PAGES = ["/admin/", "/audit/", "/dashboard/evaluation/", "/operations/", "/monitoring/"]


def test_public_pages_load_under_the_policy(page: Any, demo_server: DemoServer) -> None:
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(demo_server.url) else outside.append(r.url))
    response = page.goto(demo_server.url + "/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    for path in PUBLIC_PAGES:
        assert page.goto(demo_server.url + path).status == 200, path
        page.wait_for_load_state("networkidle")
    page.goto(demo_server.url + "/")
    page.wait_for_selector("#map path.leaflet-interactive, #map canvas", timeout=15_000)
    page.goto(demo_server.url + "/api/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15_000)
    assert outside == [], f"fetched from another origin: {outside}"


def test_admin_pages_load_under_the_policy(page: Any, demo_server: DemoServer) -> None:
    sign_in(page, demo_server, "admin")
    for path in ADMIN_PAGES:
        assert page.goto(demo_server.url + path).status == 200, path
        page.wait_for_load_state("networkidle")


def test_the_year_picker_works_without_inline_script(page: Any, demo_server: DemoServer) -> None:
    page.goto(demo_server.url + "/dashboard/")
    years = page.locator("select#year option").all_inner_texts()
    assert len(years) >= 2
    with page.expect_navigation():
        page.select_option("select#year", years[-1])
    assert f"year={years[-1]}" in page.url


def test_an_inline_script_would_be_refused(browser: Any, demo_server: DemoServer) -> None:
    """The policy is really enforced: a script injected into a page is refused by Chromium."""
    page = browser.new_page()
    refused = csp_violations(page)
    page.goto(demo_server.url + "/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';"
        " document.body.appendChild(s); }"
    )
    assert page.evaluate("() => window.injected") is None
    assert any("inline script" in text for text in refused), refused
    page.close()
