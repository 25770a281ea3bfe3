"""core.permissions: an allowed and a denied case for every rule, and a check that no rule is untested."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from kotacerdas.core import permissions
from kotacerdas.core.models import ApiToken

pytestmark = pytest.mark.django_db

# action -> (users allowed, users denied); "public" is the anonymous visitor.
MATRIX: dict[str, tuple[list[str], list[str]]] = {
    "regions.view": (["public", "partner", "officer_a"], []),
    "pillars.view": (["public", "national_reviewer"], []),
    "regions.edit_profile": (["national_admin"], ["public", "partner", "officer_a", "national_reviewer"]),
    "regions.import": (["national_admin"], ["public", "partner", "officer_b", "national_reviewer"]),
    "audit.view": (["national_admin"], ["public", "partner", "officer_a", "national_reviewer"]),
    "admin.access": (["national_admin"], ["public", "partner", "officer_a", "national_reviewer"]),
    "tokens.manage": (["national_admin", "partner", "officer_a", "national_reviewer"], ["public"]),
    "program.manage": (["national_admin"], ["public", "partner", "officer_a", "national_reviewer"]),
    "program.view_funnel": (["national_admin", "national_reviewer"], ["public", "partner", "officer_a"]),
    "program.nominate": (
        ["officer_a", "officer_b"],
        ["public", "partner", "national_admin", "national_reviewer"],
    ),
    # rules on an object: the object is built by OBJECTS below
    "assessment.view_submission": (
        ["national_admin", "national_reviewer", "officer_a"],
        ["public", "partner", "officer_b"],
    ),
    "assessment.edit_submission": (
        ["officer_a"],
        ["public", "partner", "officer_b", "national_admin", "national_reviewer"],
    ),
    "assessment.score": (["national_reviewer"], ["public", "partner", "officer_a", "national_admin"]),
    "program.guide": (
        ["national_admin", "partner"],
        ["public", "officer_a", "officer_b", "national_reviewer"],
    ),
    "program.view_guidance": (
        ["national_admin", "national_reviewer", "officer_a", "partner"],
        ["public", "officer_b"],
    ),
    # master plans: the object is a draft plan of Luwu Utara (officer_a's region)
    "masterplan.create": (
        ["national_admin", "officer_a"],
        ["public", "partner", "officer_b", "national_reviewer"],
    ),
    "masterplan.edit": (
        ["officer_a"],
        ["public", "partner", "officer_b", "national_admin", "national_reviewer"],
    ),
    "masterplan.view": (
        ["national_admin", "national_reviewer", "officer_a"],
        ["public", "partner", "officer_b"],
    ),
    "masterplan.review": (["national_admin", "national_reviewer"], ["public", "partner", "officer_a"]),
    "masterplan.approve": (["national_admin"], ["public", "partner", "officer_a", "national_reviewer"]),
    # NGSI-LD: the object is the tenant of Luwu Utara (officer_a's region)
    "context.write": (
        ["national_admin", "officer_a"],
        ["public", "partner", "officer_b", "national_reviewer"],
    ),
    "context.read_private": (
        ["national_admin", "national_reviewer", "officer_a"],
        ["public", "partner", "officer_b"],
    ),
    # devices and alerts: the object is Luwu Utara's region code
    "devices.provision": (
        ["national_admin", "officer_a"],
        ["public", "partner", "officer_b", "national_reviewer"],
    ),
    "alerts.manage": (
        ["national_admin", "officer_a"],
        ["public", "partner", "officer_b", "national_reviewer"],
    ),
    "alerts.operate": (
        ["national_admin", "national_reviewer", "officer_a", "officer_b"],
        ["public", "partner"],
    ),
    # monitoring, evaluation, indicators: the object is Luwu Utara's region code
    "monitoring.report": (
        ["officer_a"],
        ["public", "partner", "officer_b", "national_admin", "national_reviewer"],
    ),
    "monitoring.view": (
        ["national_admin", "national_reviewer", "officer_a"],
        ["public", "partner", "officer_b"],
    ),
    "monitoring.verify": (["national_admin", "national_reviewer"], ["public", "partner", "officer_a"]),
    "evaluation.manage": (["national_admin"], ["public", "partner", "officer_a", "national_reviewer"]),
    "evaluation.self_assess": (
        ["officer_a"],
        ["public", "partner", "officer_b", "national_admin", "national_reviewer"],
    ),
    "indicators.enter": (
        ["national_admin", "officer_a"],
        ["public", "partner", "officer_b", "national_reviewer"],
    ),
    "indicators.manage": (["national_admin"], ["public", "partner", "officer_a", "national_reviewer"]),
    "opendata.manage": (["national_admin"], ["public", "partner", "officer_a", "national_reviewer"]),
    "matchmaking.propose": (
        ["officer_a"],
        ["public", "partner", "officer_b", "national_admin", "national_reviewer"],
    ),
    "matchmaking.publish": (["national_admin", "national_reviewer"], ["public", "partner", "officer_a"]),
    "matchmaking.register": (["partner"], ["public", "officer_a", "national_admin", "national_reviewer"]),
    "matchmaking.verify_partner": (
        ["national_admin"],
        ["public", "partner", "officer_a", "national_reviewer"],
    ),
    "matchmaking.track": (
        ["national_admin", "national_reviewer", "officer_a"],
        ["public", "partner", "officer_b"],
    ),
    "matchmaking.decide": (
        ["officer_a"],
        ["public", "partner", "officer_b", "national_admin", "national_reviewer"],
    ),
    "matchmaking.events": (["national_admin", "national_reviewer"], ["public", "partner", "officer_a"]),
    "harmonisation.manage": (["national_admin"], ["public", "partner", "officer_a", "national_reviewer"]),
    "harmonisation.joint": (
        ["national_admin", "officer_a"],
        ["public", "partner", "officer_b", "national_reviewer"],
    ),
}


def _object_for(action: str, users: dict[str, Any], participation: Any) -> Any:
    """The object an object rule is asked about: officer_a's submission, the reviewer's assignment,
    a participation whose mentor team has the partner as member (a consultancy's staff)."""
    from kotacerdas.assessment.models import ReviewAssignment
    from kotacerdas.assessment.services import submission_for
    from kotacerdas.program.models import MentorTeam

    if action.startswith("assessment."):
        submission = submission_for(participation)
        if action == "assessment.score":
            return ReviewAssignment.objects.create(submission=submission, reviewer=users["national_reviewer"])
        return submission
    if action.startswith(
        (
            "devices.",
            "alerts.manage",
            "monitoring.",
            "evaluation.",
            "indicators.enter",
            "matchmaking.propose",
            "matchmaking.track",
            "matchmaking.decide",
        )
    ):
        return "73.22"
    if action == "harmonisation.joint":  # a cluster with officer_a's region (not officer_b's)
        from kotacerdas.harmonisation.models import Cluster

        cluster = Cluster.objects.create(name="Uji", created_by=users["national_admin"])
        cluster.members.set(["73.22", "73.17"])
        return cluster
    if action.startswith("context."):
        from kotacerdas.context.services import tenant_for_write

        return tenant_for_write("73.22")
    if action.startswith("masterplan."):
        from kotacerdas.masterplan.models import MasterPlan

        return MasterPlan(region_id="73.22", title="Draf", period_start=2025, period_end=2034)
    if action.startswith("program.guide") or action == "program.view_guidance":
        team = MentorTeam.objects.create(name="Konsultan uji", kind="consultancy")
        team.members.add(users["partner"])
        participation.mentor_team = team
        participation.save()
        return participation
    return None


def _user(users: dict[str, Any], key: str) -> Any:
    return AnonymousUser() if key == "public" else users[key]


def test_every_rule_is_in_the_matrix() -> None:
    assert set(MATRIX) == set(permissions.RULES)


@pytest.mark.parametrize("action", sorted(MATRIX))
def test_allowed_and_denied(users: dict[str, Any], participation_a: Any, action: str) -> None:
    allowed, denied = MATRIX[action]
    obj = _object_for(action, users, participation_a)
    for key in allowed:
        assert permissions.can(_user(users, key), action, obj), f"{key} should be allowed {action}"
    for key in denied:
        assert not permissions.can(_user(users, key), action, obj), f"{key} should be denied {action}"


def test_public_rules_still_have_a_denied_case_for_unknown_actions(users: dict[str, Any]) -> None:
    assert not permissions.can(users["national_admin"], "no.such.action")


def test_tokens_of_others_only_for_national_admins(users: dict[str, Any]) -> None:
    token, _ = ApiToken.issue(users["partner"])
    assert permissions.can(users["partner"], "tokens.manage", token)
    assert permissions.can(users["national_admin"], "tokens.manage", token)
    assert not permissions.can(users["officer_a"], "tokens.manage", token)


def test_inactive_users_are_the_public(users: dict[str, Any]) -> None:
    admin = users["national_admin"]
    admin.is_active = False
    assert not permissions.can(admin, "audit.view")


def test_officer_binding(users: dict[str, Any]) -> None:
    from kotacerdas.regions.models import Region

    luwu, depok = Region.objects.get(code="73.22"), Region.objects.get(code="32.76")
    assert permissions.is_officer_of(users["officer_a"], luwu)
    assert not permissions.is_officer_of(users["officer_a"], depok)
    assert not permissions.is_officer_of(users["national_admin"], luwu)


def test_regional_officer_must_have_a_region(make_user: Any) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        make_user("regional_officer", None, username="lost")
    with pytest.raises(ValidationError):
        make_user("partner", "73.22", username="bound-partner")


@pytest.mark.parametrize(
    ("who", "status"), [("national_admin", 200), ("national_reviewer", 302), (None, 302)]
)
def test_django_admin_is_for_national_admins(client_as: Any, who: str | None, status: int) -> None:
    response = client_as(who).get("/admin/regions/region/")
    assert response.status_code == status


def test_approved_published_plans_are_public(users: dict[str, Any]) -> None:
    from kotacerdas.masterplan.models import MasterPlan

    plan = MasterPlan(
        region_id="73.22", title="x", period_start=2025, period_end=2034, status="approved", published=True
    )
    assert permissions.can(AnonymousUser(), "masterplan.view", plan)
    assert permissions.can(users["officer_b"], "masterplan.view", plan)
    plan.published = False
    assert not permissions.can(AnonymousUser(), "masterplan.view", plan)
