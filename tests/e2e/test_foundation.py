"""In Chromium: the home map renders markers, sign-in works, the language switch works, phone width works."""

from __future__ import annotations

import http.client
import time
import urllib.parse
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DemoServer, screenshot

pytestmark = pytest.mark.e2e


def test_demo_prints_one_login_per_role(demo_server: DemoServer) -> None:
    assert set(demo_server.logins) == {
        "admin",
        "reviewer",
        "reviewer2",
        "mentor",
        "officer",
        "officer-depok",
        "partner",
    }


def test_an_idle_connection_outlives_uvicorns_default_keep_alive(demo_server: DemoServer) -> None:
    """`kotacerdas serve` keeps idle connections 75 s, not uvicorn's 5 s: a client (or proxy) reusing a
    connection after a few seconds' pause must not meet a connection closed under it."""
    where = urllib.parse.urlsplit(demo_server.url)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=10)
    try:
        connection.request("GET", "/healthz")
        first = connection.getresponse()
        first.read()
        sock = connection.sock
        assert first.status == 200 and sock is not None
        time.sleep(6)
        connection.request("GET", "/healthz")
        second = connection.getresponse()
        second.read()
        assert second.status == 200
        assert connection.sock is sock  # the same connection, not a new one
    finally:
        connection.close()


def test_home_map_renders_region_markers_offline(page: Any, demo_server: DemoServer) -> None:
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(demo_server.url) else outside.append(r.url))
    page.goto(demo_server.url + "/")
    page.wait_for_selector("#map[data-markers]", timeout=15_000)
    markers = int(page.get_attribute("#map", "data-markers"))
    assert markers >= 501
    assert (
        page.locator("#map path.leaflet-interactive").count() >= 1 or page.locator("#map canvas").count() >= 1
    )
    assert page.text_content('[data-testid="count-regions"]') == "514"
    screenshot(page, "home-map")
    assert outside == [], f"the page fetched from outside: {outside}"


def test_sign_in_as_national_admin(page: Any, demo_server: DemoServer) -> None:
    page.goto(demo_server.url + "/account/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", demo_server.logins["admin"])
    page.click("button[type=submit].primary")
    page.wait_for_selector('[data-testid="whoami"]')
    assert page.text_content('[data-testid="whoami"]') == "admin"
    assert page.locator("a[href='/audit/']").count() == 1
    screenshot(page, "signed-in-admin")


def test_language_switch(page: Any, demo_server: DemoServer) -> None:
    page.goto(demo_server.url + "/pillars/")
    assert "Enam pilar smart city" in page.text_content("h1")
    page.click('[data-testid="lang-en"]')
    page.wait_for_selector("html[lang=en]")
    assert "The six smart city pillars" in page.text_content("h1")
    page.click('[data-testid="lang-id"]')
    page.wait_for_selector("html[lang=id]")


def test_region_filter_with_htmx_on_a_phone(browser: Any, demo_server: DemoServer) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, locale="id-ID")
    page = context.new_page()
    page.goto(demo_server.url + "/regions/")
    page.select_option("#id_province", "73")
    expect(page.locator("[data-testid=result-count]")).to_contain_text("24")
    page.fill("#id_q", "luwu utara")
    expect(page.locator("[data-testid=result-count]")).to_contain_text("1 ")
    assert "province=73" in page.url
    width = page.evaluate("document.documentElement.scrollWidth")
    screenshot(page, "regions-phone")
    page.click("text=Kabupaten Luwu Utara")
    page.wait_for_selector('[data-testid="region-code"]')
    assert page.text_content('[data-testid="region-code"]') == "73.22"
    context.close()
    assert width <= 375 + 40  # no page-wide horizontal scrolling on a phone
