"""Master plan pages: who may see and edit, field errors, stale saves, review actions, diff, copy."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kotacerdas.masterplan import services
from kotacerdas.masterplan.models import MasterPlan
from kotacerdas.pillars.models import Element

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(users: dict[str, Any]) -> MasterPlan:
    return services.create_plan(users["officer_a"], "73.22", 2025, 2034, "Draf uji")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("officer_a", 200),
        ("national_reviewer", 200),
        ("national_admin", 200),
        ("officer_b", 404),
        ("partner", 404),
        (None, 404),
    ],
)
def test_drafts_are_seen_by_their_region_and_national_staff(
    client_as: Any, plan: MasterPlan, who: str | None, status: int
) -> None:
    assert client_as(who).get(f"/plans/{plan.pk}/").status_code == status


def test_plan_page_within_query_budget(
    client_as: Any, plan: MasterPlan, django_assert_max_num_queries: Any
) -> None:
    client = client_as("officer_a")
    client.get("/")
    with django_assert_max_num_queries(30):
        body = client.get(f"/plans/{plan.pk}/").content.decode()
    assert 'data-testid="save-vision"' in body  # editable for its region


def test_section_save_and_stale_conflict_message(client_as: Any, plan: MasterPlan) -> None:
    client = client_as("officer_a")
    client.post(f"/plans/{plan.pk}/sections/vision/", {"content": "Visi A", "row_version": "1"})
    response = client.post(
        f"/plans/{plan.pk}/sections/vision/",
        {"content": "Visi B", "row_version": "1"},
        follow=True,
        headers={"Accept-Language": "en"},
    )
    assert "Reload to see their version" in response.content.decode()
    assert plan.sections.get(key="vision").content == "Visi A"


def test_other_region_cannot_edit(client_as: Any, plan: MasterPlan) -> None:
    response = client_as("officer_b").post(
        f"/plans/{plan.pk}/sections/vision/", {"content": "x", "row_version": "1"}
    )
    assert response.status_code == 404
    assert plan.sections.get(key="vision").content == ""


def test_initiative_form_field_errors_and_nothing_saved(client_as: Any, plan: MasterPlan) -> None:
    element = Element.objects.get(pillar__key="living", key="health").pk
    data = {
        "element": element,
        "layer": "solution",
        "title": "Telemedisin",
        "start_year": "2025",
        "end_year": "2026",
        "budget_year_0": "2025",
        "budget_source_0": "APBD",
        "budget_amount_0": "-5",
    }
    client = client_as("officer_a")
    response = client.post(f"/plans/{plan.pk}/initiatives/new/", data, headers={"Accept-Language": "en"})
    assert response.status_code == 400 and "cannot be negative" in response.content.decode()
    response = client.post(f"/plans/{plan.pk}/initiatives/new/", {**data, "budget_amount_0": "abc"})
    assert response.status_code == 400
    response = client.post(
        f"/plans/{plan.pk}/initiatives/new/",
        {**data, "end_year": "2040", "budget_amount_0": "5"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400 and "inside the plan period" in response.content.decode()
    assert not plan.initiatives.exists()
    ok = client.post(f"/plans/{plan.pk}/initiatives/new/", {**data, "budget_amount_0": "5000000"})
    assert ok.status_code == 302 and plan.initiatives.get().budget_lines.get().amount == 5_000_000


def test_review_actions_need_the_right_role(client_as: Any, plan: MasterPlan, users: dict[str, Any]) -> None:
    officer = users["officer_a"]
    services.save_section(officer, plan, "vision", "Visi", 1)
    for pillar in ("governance", "branding", "economy", "society", "living", "environment"):
        services.save_goal(officer, plan, pillar, "", "dicakup rencana lain", 1)
    client_as("officer_a").post(f"/plans/{plan.pk}/submit/")
    plan.refresh_from_db()
    assert plan.status == "submitted"
    client_as("officer_a").post(f"/plans/{plan.pk}/approve/")
    client_as("national_reviewer").post(f"/plans/{plan.pk}/approve/")
    plan.refresh_from_db()
    assert plan.status == "submitted"  # neither the region nor a reviewer may approve
    client_as("national_admin").post(f"/plans/{plan.pk}/approve/", {"publish": "1"})
    plan.refresh_from_db()
    assert plan.status == "approved" and plan.published
    assert Client().get(f"/plans/{plan.pk}/").status_code == 200  # public once published


def test_diff_page(client_as: Any, plan: MasterPlan, users: dict[str, Any]) -> None:
    officer = users["officer_a"]
    services.save_section(officer, plan, "vision", "Visi", 1)
    for pillar in ("governance", "branding", "economy", "society", "living", "environment"):
        services.save_goal(officer, plan, pillar, "", "dicakup rencana lain", 1)
    services.submit_plan(officer, plan)
    services.return_for_revision(users["national_reviewer"], plan)
    services.save_section(officer, plan, "vision", "Visi baru", 2)
    services.submit_plan(officer, plan)
    body = client_as("national_reviewer").get(f"/plans/{plan.pk}/diff/?a=1&b=2").content.decode()
    assert "sections.vision" in body and "Visi baru" in body
    assert client_as("national_reviewer").get(f"/plans/{plan.pk}/diff/?a=x").status_code == 200


@pytest.mark.parametrize("indicator", ["abc", "", "999999"])
def test_target_form_refuses_unknown_indicators_without_500(
    client_as: Any, plan: MasterPlan, indicator: str
) -> None:
    response = client_as("officer_a").post(
        f"/plans/{plan.pk}/goals/society/targets/",
        {"indicator": indicator, "baseline_year": "2024", "baseline_value": "50", "yearly": "2027: 70"},
        follow=True,
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 200 and "Choose an indicator" in response.content.decode()
    assert not plan.goals.get(pillar__key="society").targets.exists()
