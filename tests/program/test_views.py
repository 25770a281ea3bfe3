"""Program pages and API: who sees what, the funnel, ranking, selection, XLSX exports, query budgets."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from kotacerdas.program.demo import current_year, seed_program
from kotacerdas.program.models import Cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(users: dict[str, Any]) -> None:
    from kotacerdas.core.demo import seed_demo_users

    seed_demo_users()
    seed_program()


def test_public_cohort_list_with_cumulative_counts(
    client: Client, demo: None, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(8):
        body = client.get("/program/").content.decode()
    assert 'data-testid="cumulative-2021">141<' in body and 'data-testid="cumulative-2024">251<' in body
    assert "contoh" in body  # demo cohorts are labelled as examples


def test_api_cohorts_and_summary(client: Client, demo: None) -> None:
    items = {c["year"]: c for c in client.get("/api/cohorts?limit=20").json()["items"]}
    assert {
        k: items[2023][k]
        for k in ("quota_kabkota", "quota_provinces", "selected_kabkota", "selected_provinces")
    } == {"quota_kabkota": 50, "quota_provinces": 2, "selected_kabkota": 50, "selected_provinces": 2}
    summary = client.get("/api/program/summary").json()["cumulative_kabkota"]
    assert (
        summary["2017"] == 25 and summary["2018"] == 75 and summary["2021"] == 141 and summary["2024"] == 251
    )


@pytest.mark.parametrize(
    ("who", "funnel_shown"),
    [
        ("national_admin", True),
        ("national_reviewer", True),
        ("officer_a", False),
        ("partner", False),
        (None, False),
    ],
)
def test_funnel_only_for_national_staff(
    client_as: Any, demo: None, who: str | None, funnel_shown: bool, django_assert_max_num_queries: Any
) -> None:
    client = client_as(who)
    with django_assert_max_num_queries(9):
        body = client.get(f"/program/{current_year()}/").content.decode()
    assert ('data-testid="funnel"' in body) is funnel_shown


def test_officer_sees_own_participation(client_as: Any, demo: None) -> None:
    body = client_as("officer_a").get(f"/program/{current_year()}/").content.decode()
    assert 'data-testid="own-participation"' in body and "Kabupaten Luwu Utara" in body


@pytest.mark.parametrize(("who", "status"), [("national_admin", 200), ("officer_a", 403), (None, 401)])
def test_funnel_api_permission(
    client_as: Any, api_token: Any, demo: None, who: str | None, status: int
) -> None:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(who)}"} if who else {}
    response = Client().get(f"/api/cohorts/{current_year()}/funnel", **headers)
    assert response.status_code == status
    if status == 200:
        assert response.json()["invited"] == 12 and response.json()["scored"] == 7


def test_ranking_page_and_xlsx(client_as: Any, demo: None, django_assert_max_num_queries: Any) -> None:
    client = client_as("national_admin")
    client.get("/")  # the session is loaded once before measuring
    with django_assert_max_num_queries(8):
        assert client.get(f"/program/{current_year()}/ranking/").status_code == 200
    workbook = load_workbook(io.BytesIO(client.get(f"/program/{current_year()}/ranking.xlsx").content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert (
        rows[0][:5] == ("rank", "code", "name", "province", "total") and len(rows) == 7
    )  # 6 ranked + header
    funnel = load_workbook(io.BytesIO(client.get(f"/program/{current_year()}/funnel.xlsx").content))
    assert list(funnel.active.iter_rows(values_only=True))[1] == ("invited", 12)


def test_ranking_is_denied_to_regions(client_as: Any, demo: None) -> None:
    assert client_as("officer_a").get(f"/program/{current_year()}/ranking/").status_code == 403
    assert client_as("partner").get(f"/program/{current_year()}/ranking.xlsx").status_code == 403


def test_selection_via_api_then_publish(api_token: Any, client_as: Any, demo: None) -> None:
    year = current_year()
    admin = {"HTTP_AUTHORIZATION": f"Bearer {api_token('national_admin')}"}
    assert Client().get(f"/api/cohorts/{year}/selection").status_code == 404  # not published yet
    rows = (
        Client().post(f"/api/cohorts/{year}/selection", {}, content_type="application/json", **admin).json()
    )
    assert sum(r["selected"] for r in rows) == 5  # the example cohort's quota
    refused = Client().post(
        f"/api/cohorts/{year}/selection",
        {"force_in": {"73.22": ""}},
        content_type="application/json",
        **admin,
    )
    assert refused.status_code == 400 and refused["Content-Type"] == "application/problem+json"
    officer = Client().post(
        f"/api/cohorts/{year}/selection",
        {},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api_token('officer_a')}",
    )
    assert officer.status_code == 403
    client_as("national_admin").post(f"/program/{year}/publish/")
    public = Client().get(f"/api/cohorts/{year}/selection").json()
    assert public["count"] == 5
    assert "Kota" in Client().get(f"/program/{year}/selection/").content.decode() or public["count"]


def test_create_cohort_and_invite_via_api(api_token: Any, users: dict[str, Any]) -> None:
    admin = {"HTTP_AUTHORIZATION": f"Bearer {api_token('national_admin')}"}
    created = Client().post(
        "/api/cohorts",
        {"year": 2031, "title": "Uji", "quota_kabkota": 10},
        content_type="application/json",
        **admin,
    )
    assert created.status_code == 201 and created.json()["quota_kabkota"] == 10
    again = Client().post(
        "/api/cohorts", {"year": 2031, "title": "Uji"}, content_type="application/json", **admin
    )
    assert again.status_code == 409
    bad = Client().post(
        "/api/cohorts/2031/invitations",
        {"codes": ["73.22", "nope"]},
        content_type="application/json",
        **admin,
    )
    assert bad.status_code == 400 and "nope" in bad.json()["detail"]
    ok = Client().post(
        "/api/cohorts/2031/invitations", {"codes": ["73.22", "64"]}, content_type="application/json", **admin
    )
    assert ok.status_code == 201 and len(ok.json()) == 2
    assert Cohort.objects.get(year=2031).participations.count() == 2


def test_cohort_form_field_errors(client_as: Any) -> None:
    response = client_as("national_admin").post("/program/new/", {"year": "abc", "title": ""})
    assert response.status_code == 400 and 'class="error"' in response.content.decode()
    year_one = client_as("national_admin").post(
        "/program/new/",
        {
            "year": "2032",
            "title": "Angkatan 2032",
            "quota_kabkota": "10",
            "quota_provinces": "0",
            "reviewers_per_submission": "2",
            "submission_deadline": "0001-01-01T00:00",
        },
    )
    assert year_one.status_code == 400 and "Tahun harus antara 1900 dan 2100" in year_one.content.decode()
    assert not Cohort.objects.filter(year=2032).exists()


def test_mou_and_sessions_api(participation_a: Any, api_token: Any) -> None:
    admin = {"HTTP_AUTHORIZATION": f"Bearer {api_token('national_admin')}", "HTTP_ACCEPT_LANGUAGE": "en"}
    base = f"/api/participations/{participation_a.pk}"
    refused = Client().put(
        f"{base}/mou",
        {"signed_on": "2030-04-01", "signatories": "Bupati"},
        content_type="application/json",
        **admin,
    )
    assert refused.status_code == 400 and "selected" in refused.json()["detail"]
    participation_a.selected = True
    participation_a.save()
    ok = Client().put(
        f"{base}/mou",
        {"signed_on": "2026-04-01", "signatories": "Bupati"},
        content_type="application/json",
        **admin,
    )
    assert ok.status_code == 200 and ok.json()["signed_on"] == "2026-04-01"
    created = Client().post(
        f"{base}/sessions",
        {"kind": "bimtek_1", "starts_at": "2030-05-10T09:00:00+08:00"},
        content_type="application/json",
        **admin,
    )
    assert created.status_code == 201
    bad_kind = Client().post(
        f"{base}/sessions",
        {"kind": "bimtek_9", "starts_at": "2030-05-10T09:00:00Z"},
        content_type="application/json",
        **admin,
    )
    assert bad_kind.status_code == 400
    year_one = Client().post(  # cannot be converted to UTC (found by the schema fuzz)
        f"{base}/sessions",
        {"kind": "bimtek_1", "starts_at": "0001-01-01T00:00:01+00:01"},
        content_type="application/json",
        **admin,
    )
    assert year_one.status_code == 400 and "year" in year_one.text
    officer = {"HTTP_AUTHORIZATION": f"Bearer {api_token('officer_a')}"}
    assert len(Client().get(f"{base}/sessions", **officer).json()) == 1
    other = {"HTTP_AUTHORIZATION": f"Bearer {api_token('officer_b')}"}
    assert Client().get(f"{base}/sessions", **other).status_code == 403
    assert (
        Client()
        .post(
            f"{base}/sessions",
            {"kind": "fgd", "starts_at": "2030-05-10T09:00:00Z"},
            content_type="application/json",
            **officer,
        )
        .status_code
        == 403
    )


@pytest.mark.parametrize("limit", ["abc", "-5", "0", "99999", ""])
def test_candidate_page_survives_odd_limits(client_as: Any, cohort: Cohort, limit: str) -> None:
    response = client_as("national_admin").get(f"/program/{cohort.year}/candidates/?limit={limit}")
    assert response.status_code == 200
