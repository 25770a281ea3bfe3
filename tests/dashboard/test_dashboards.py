"""The dashboards: public pages with JSON, CSV and XLSX twins, within a query budget; the evaluation page
for national admins (recompute, sensitivity)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from kotacerdas.masterplan.demo import seed_plans
from kotacerdas.monitoring.demo import seed_evaluation
from kotacerdas.monitoring.models import Evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(users: dict[str, Any]) -> None:
    seed_plans()
    seed_evaluation()


def test_national_dashboard_and_its_twins(
    client_as: Any, demo: None, django_assert_max_num_queries: Any
) -> None:
    client = client_as(None)
    with django_assert_max_num_queries(15):
        page = client.get("/dashboard/?year=2025")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="ranking"' in html and "<svg" in html and 'id="map"' in html
    data = client.get("/dashboard/?year=2025&format=json").json()
    scored = [r for r in data["regions"] if r["score"] is not None]
    assert (
        data["summary"]["evaluated"] == Evaluation.objects.filter(year=2025).count() == len(data["regions"])
    )
    assert sum(d["count"] for d in data["distribution"]) == len(data["regions"])
    assert [r["rank"] for r in scored] == sorted(r["rank"] for r in scored)
    assert set(data["quick_wins"]) == {"done", "on_track", "at_risk", "late", "unreported", "dropped"}
    assert data["movers"]["up"] and all(r["change"] > 0 for r in data["movers"]["up"])
    table = list(csv.reader(io.StringIO(client.get("/dashboard/?year=2025&format=csv").content.decode())))
    assert (
        table[0][:4] == ["region_code", "region", "province", "score"]
        and len(table) == len(data["regions"]) + 1
    )
    book = load_workbook(io.BytesIO(client.get("/dashboard/?year=2025&format=xlsx").content))
    assert book.active.max_row == len(data["regions"]) + 1


def test_province_and_region_dashboards(
    client_as: Any, demo: None, django_assert_max_num_queries: Any
) -> None:
    client = client_as(None)
    province = client.get("/dashboard/province/73/?year=2025&format=json").json()
    assert province["province"]["name"] == "Sulawesi Selatan"
    assert {r["region_code"][:2] for r in province["regions"]} == {"73"}
    with django_assert_max_num_queries(30):
        page = client.get("/dashboard/region/73.22/?year=2025")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="why"' in html
    data = client.get("/dashboard/region/73.22/?year=2025&format=json").json()
    assert data["evaluation"]["trace"]["dimensions"] and data["initiatives"] and data["targets"]
    assert data["targets"][0]["targets"]  # the plan's yearly targets, next to the values
    assert client.get("/dashboard/region/73.22/?format=csv").content.decode().startswith("initiative,pillar")
    assert client.get("/dashboard/region/99.99/").status_code == 404
    assert client.get("/dashboard/province/99/").status_code == 404


def test_evaluation_page_is_for_national_admins(client_as: Any, demo: None) -> None:
    assert client_as("national_reviewer").get("/dashboard/evaluation/?year=2025").status_code == 403
    page = client_as("national_admin").get("/dashboard/evaluation/?year=2025")
    assert page.status_code == 200 and 'data-testid="sensitivity"' in page.content.decode()
    assert client_as("officer_a").post("/dashboard/evaluation/recompute/", {"year": 2025}).status_code == 403
    before = Evaluation.objects.get(year=2025, region_id="73.22").computed_at
    assert (
        client_as("national_admin").post("/dashboard/evaluation/recompute/", {"year": 2025}).status_code
        == 302
    )
    assert Evaluation.objects.get(year=2025, region_id="73.22").computed_at > before
    bad = client_as("national_admin").post(
        "/dashboard/evaluation/",
        {
            "year": 2026,
            "opens_on": "2026-06-01",
            "closes_on": "2026-01-01",
            "baseline": 10,
            "output": 20,
            "outcome": 30,
            "impact": 30,
            "quickwin": 10,
            "scale_max": 5,
        },
    )
    assert "closes before it opens" in bad.content.decode()
