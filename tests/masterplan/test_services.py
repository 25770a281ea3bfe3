"""Master plan services: skeleton, optimistic locking, validation, review, approval, versions, reuse."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kotacerdas.masterplan import services
from kotacerdas.masterplan.demo import seed_plans
from kotacerdas.masterplan.diff import diff
from kotacerdas.masterplan.models import MasterPlan, PlanStatus
from kotacerdas.pillars.models import Element

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(users: dict[str, Any]) -> MasterPlan:
    return services.create_plan(users["officer_a"], "73.22", 2025, 2034)


def element(pillar: str) -> int:
    return Element.objects.filter(pillar__key=pillar).order_by("order").first().pk


def item(pillar: str, **kw: Any) -> services.InitiativeInput:
    values: dict[str, Any] = dict(
        element_id=element(pillar),
        layer="solution",
        title=f"Program {pillar}",
        start_year=2025,
        end_year=2026,
        lead_opd="Diskominfo",
        budget=((2025, "APBD", 1_000_000),),
    )
    values.update(kw)
    return services.InitiativeInput(**values)


def test_skeleton_has_every_section_and_pillar(plan: MasterPlan) -> None:
    snap = services.snapshot(plan)
    assert set(snap["sections"]) >= {"vision", "swot", "rpjmd_alignment", "risks"}
    assert list(snap["pillars"]) == ["governance", "branding", "economy", "society", "living", "environment"]


def test_only_the_regions_team_creates_and_edits(users: dict[str, Any], plan: MasterPlan) -> None:
    with pytest.raises(PermissionDenied):
        services.create_plan(users["officer_b"], "73.22", 2025, 2034)
    with pytest.raises(PermissionDenied):
        services.save_section(users["officer_b"], plan, "vision", "x", 1)
    with pytest.raises(PermissionDenied):
        services.save_section(users["national_admin"], plan, "vision", "x", 1)


def test_stale_section_is_refused_and_keeps_the_newer_text(users: dict[str, Any], plan: MasterPlan) -> None:
    officer = users["officer_a"]
    services.save_section(officer, plan, "vision", "versi Ani", 1)
    with pytest.raises(ValidationError, match="Reload"):
        services.save_section(officer, plan, "vision", "versi Budi", 1)
    assert services.snapshot(plan)["sections"]["vision"] == "versi Ani"
    services.save_section(officer, plan, "swot", "lain bagian", 1)  # another section: no conflict


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"budget": ((2025, "APBD", -5),)}, "budget"),
        ({"budget": ((2030, "APBD", 5),)}, "budget"),
        ({"budget": ((2025, "hibah", 5),)}, "budget"),
        ({"start_year": 2020}, "end_year"),
        ({"end_year": 2040}, "end_year"),
        ({"title": " "}, "title"),
    ],
)
def test_bad_initiatives_are_refused_and_nothing_saved(
    users: dict[str, Any], plan: MasterPlan, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as err:
        services.save_initiative(users["officer_a"], plan, item("living", **changes))
    assert field in err.value.message_dict
    assert not plan.initiatives.exists()


def test_stale_initiative_form_is_refused(users: dict[str, Any], plan: MasterPlan) -> None:
    officer = users["officer_a"]
    saved = services.save_initiative(officer, plan, item("living"))
    services.save_initiative(officer, plan, item("living", title="Nama baru"), saved, row_version=1)
    with pytest.raises(ValidationError, match="Reload"):
        services.save_initiative(officer, plan, item("living", title="Basi"), saved, row_version=1)
    saved.refresh_from_db()
    assert saved.title == "Nama baru" and saved.row_version == 2


def test_submit_blocked_by_findings_then_review_and_approval(users: dict[str, Any], plan: MasterPlan) -> None:
    officer, admin, reviewer = users["officer_a"], users["national_admin"], users["national_reviewer"]
    with pytest.raises(ValidationError) as err:
        services.submit_plan(officer, plan)
    assert "The smart city vision is empty." in err.value.messages
    services.save_section(officer, plan, "vision", "Visi", 1)
    for pillar in ("governance", "branding", "economy", "society", "living", "environment"):
        services.save_initiative(officer, plan, item(pillar))
    first = services.submit_plan(officer, plan)
    assert first.number == 1 and plan.status == PlanStatus.SUBMITTED
    with pytest.raises(ValidationError):
        services.save_section(officer, plan, "swot", "x", 1)  # submitted: frozen for the region
    services.add_comment(reviewer, plan, "section-vision", "Perjelas visi.")
    services.return_for_revision(reviewer, plan)
    section = plan.sections.get(key="vision")
    services.save_section(officer, plan, "vision", "Visi yang lebih jelas", section.row_version)
    second = services.submit_plan(officer, plan)
    with pytest.raises(PermissionDenied):
        services.approve(reviewer, plan)
    approved = services.approve(admin, plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.approved_version == approved
    changes = diff(first.snapshot, second.snapshot)
    assert [(c.path, c.before, c.after) for c in changes if "vision" in c.path] == [
        ("sections.vision", "Visi", "Visi yang lebih jelas")
    ]
    with pytest.raises(ValidationError, match="no longer be edited"):
        services.save_section(officer, plan, "vision", "x", 3)


def test_demo_plans(users: dict[str, Any]) -> None:
    from kotacerdas.program.demo import seed_program

    seed_program()
    seed_plans()
    seed_plans()  # idempotent
    luwu = MasterPlan.objects.get(region_id="73.22")
    assert luwu.status == PlanStatus.APPROVED and luwu.published
    snap = services.snapshot(luwu)
    assert {i["pillar"] for i in snap["initiatives"]} == {
        "governance",
        "branding",
        "economy",
        "society",
        "living",
        "environment",
    }
    assert services.findings(luwu) == []
    assert luwu.participation.plan_approved_on is not None
    assert MasterPlan.objects.get(region_id="32.76").status == PlanStatus.DRAFT


def test_copy_initiatives_from_a_published_plan_with_attribution(
    users: dict[str, Any], plan: MasterPlan
) -> None:
    from kotacerdas.program.demo import seed_program

    seed_program()
    seed_plans()
    source = MasterPlan.objects.get(region_id="73.22", is_example=True).initiatives.order_by("order")[:2]
    depok = MasterPlan.objects.get(region_id="32.76")
    copies = services.copy_initiatives(users["officer_b"], depok, [i.pk for i in source])
    assert len(copies) == 2 and copies[0].copied_from.plan.region_id == "73.22"
    assert all(depok.period_start <= c.start_year <= c.end_year <= depok.period_end for c in copies)
    snap = services.snapshot(depok)
    assert snap["initiatives"][-1]["copied_from"]["region"] == "Kabupaten Luwu Utara"
    unpublished = depok.initiatives.first()
    assert (
        services.copy_initiatives(users["officer_a"], plan, [unpublished.pk]) == []
    )  # drafts are not shared


def test_budget_summary(users: dict[str, Any], plan: MasterPlan) -> None:
    services.save_initiative(
        users["officer_a"], plan, item("living", budget=((2025, "APBD", 5), (2026, "KPBU", 7)))
    )
    services.save_initiative(users["officer_a"], plan, item("economy", budget=((2025, "APBD", 3),)))
    summary = services.budget_summary(services.snapshot(plan))
    assert summary["rows"] == {
        "APBD": {**dict.fromkeys(range(2025, 2035), 0), 2025: 8},
        "KPBU": {**dict.fromkeys(range(2025, 2035), 0), 2026: 7},
    }
    assert summary["grand_total"] == 15


def test_targets_validated_against_the_plan_period(users: dict[str, Any], plan: MasterPlan) -> None:
    from kotacerdas.indicators.models import Indicator

    indicator = Indicator.objects.get(code="EC: ICT: ICT: 1C")
    officer = users["officer_a"]
    assert services.parse_yearly("2026: 30; 2028:40,5") == {"2026": 30.0, "2028": 40.5}
    with pytest.raises(ValidationError, match="year: value"):
        services.parse_yearly("2026 = 30")
    with pytest.raises(ValidationError) as err:
        services.save_target(officer, plan, "society", indicator.pk, None, None, {"2040": 1.0})
    assert set(err.value.message_dict) == {"yearly", "baseline_value"}
    target = services.save_target(officer, plan, "society", indicator.pk, 2024, 52.0, {"2027": 75.0})
    snap = services.snapshot(plan)
    assert snap["pillars"]["society"]["targets"][0]["yearly"] == {"2027": 75.0}
    services.delete_target(officer, plan, target.pk)
    assert not services.snapshot(plan)["pillars"]["society"]["targets"]


def test_profile_pulls_registry_and_readiness(
    users: dict[str, Any], plan: MasterPlan, participation_a: Any
) -> None:
    from kotacerdas.regions.models import ProfileFact

    ProfileFact.objects.create(
        region_id="73.22", metric="population", year=2023, value_number=322919, source="BPS"
    )
    from kotacerdas.assessment.services import submission_for

    submission = submission_for(participation_a)
    submission.final_score = 71.25
    submission.save()
    facts = services.snapshot(plan)["region_facts"]
    assert facts["population"] == {"value": 322919.0, "year": 2023, "source": "BPS"}
    assert facts["readiness_score"]["value"] == 71.25 and facts["readiness_score"]["year"] == 2030
