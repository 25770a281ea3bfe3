"""In Chromium: an officer turns an initiative into a KPBU proposal (a field error first), adds its
pre-feasibility study, a reviewer publishes it, the verified partner finds it ranked, expresses interest,
the officer accepts it and the partner is told (issue #8)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import DemoServer, screenshot, sign_in

pytestmark = pytest.mark.e2e
TITLE = "Peringatan dini banjir terpadu Masamba"


def test_from_proposal_to_an_accepted_interest(page: Any, demo_server: DemoServer, tmp_path: Path) -> None:
    sign_in(page, demo_server, "officer")
    page.goto(demo_server.url + "/matchmaking/")
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

    sign_in(page, demo_server, "reviewer")
    page.goto(proposal_url)
    page.click('[data-testid="publish"]')
    page.wait_for_selector(".messages")

    sign_in(page, demo_server, "partner")
    page.goto(demo_server.url + "/matchmaking/partner/")
    page.click(f'[data-testid="ranked"] >> text={TITLE}')
    assert "diskominfo@luwuutara.example.id" in page.inner_text('[data-testid="contact"]')  # verified partner
    page.fill("#id_message", "Kami memasang sensor serupa di Kalimantan; siap presentasi.")
    page.click('[data-testid="interest-form"] button[type="submit"]')
    page.wait_for_selector('[data-testid="interests"]')

    sign_in(page, demo_server, "officer")
    page.goto(proposal_url)
    page.fill('[data-testid="interests"] input[name="reply"]', "Silakan presentasi di forum KPBU.")
    page.click('[data-testid^="accept-"]')
    page.wait_for_selector(".messages")
    screenshot(page, "matchmaking-proposal")

    sign_in(page, demo_server, "partner")
    page.goto(proposal_url)
    assert "Silakan presentasi" in page.inner_text('[data-testid="interest-status"]')
    page.goto(demo_server.url + "/notifications/")
    assert TITLE in page.content()
