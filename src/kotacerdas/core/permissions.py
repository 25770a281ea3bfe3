"""The one place that decides every access: `can(user, action, obj)`.

Views, the API, the admin site and the CLI all ask this module; nothing else checks roles. Each rule is a
small function of (user, obj); tests/core/test_permissions.py has an allowed and a denied case for each.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied

from .models import Role

Rule = Callable[[Any, Any], bool]
RULES: dict[str, Rule] = {}


def rule(action: str) -> Callable[[Rule], Rule]:
    """Register the function as the rule for an action name such as "regions.edit_profile"."""

    def register(fn: Rule) -> Rule:
        RULES[action] = fn
        return fn

    return register


def role_of(user: Any) -> str | None:
    """The role of an authenticated, active user; None for the public (anonymous or inactive)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return str(user.role)


def is_national_admin(user: Any) -> bool:
    return role_of(user) == Role.NATIONAL_ADMIN


def is_national_staff(user: Any) -> bool:
    return role_of(user) in {Role.NATIONAL_ADMIN, Role.NATIONAL_REVIEWER}


def is_officer_of(user: Any, region: Any) -> bool:
    """True for a regional officer bound to this region."""
    return role_of(user) == Role.REGIONAL_OFFICER and region is not None and user.region_id == region.pk


def can(user: Any, action: str, obj: Any = None) -> bool:
    """Whether the user may perform the action (on the object). Unknown actions are denied."""
    check = RULES.get(action)
    return bool(check and check(user, obj))


def require(user: Any, action: str, obj: Any = None) -> None:
    """Raise PermissionDenied unless `can(user, action, obj)`."""
    if not can(user, action, obj):
        raise PermissionDenied(action)


def permission_required(action: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """View decorator: the public is sent to the login page, a signed-in user without the right gets 403."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            if not can(request.user, action):
                if not request.user.is_authenticated:
                    from django.contrib.auth.views import redirect_to_login

                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied(action)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def may_scrape_metrics(request: Any) -> bool:
    """GET /metrics: a scraper on this host (loopback), one sending KOTACERDAS_METRICS_TOKEN as a bearer
    token, or a signed-in national admin."""
    import hmac
    import ipaddress

    from django.conf import settings

    token = settings.METRICS_TOKEN
    sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token and sent and hmac.compare_digest(token, sent):
        return True
    try:
        if ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback:
            return True
    except ValueError:
        pass
    return is_national_admin(request.user)


# --- the rules ---------------------------------------------------------------------------------------


@rule("regions.view")
def _view_regions(user: Any, obj: Any) -> bool:
    return True  # the registry is public data


@rule("pillars.view")
def _view_pillars(user: Any, obj: Any) -> bool:
    return True


@rule("regions.edit_profile")
def _edit_profile(user: Any, obj: Any) -> bool:
    return is_national_admin(user)


@rule("regions.import")
def _import_regions(user: Any, obj: Any) -> bool:
    return is_national_admin(user)


@rule("audit.view")
def _view_audit(user: Any, obj: Any) -> bool:
    return is_national_admin(user)


@rule("admin.access")
def _admin_site(user: Any, obj: Any) -> bool:
    return is_national_admin(user)


@rule("tokens.manage")
def _manage_tokens(user: Any, obj: Any) -> bool:
    """Any signed-in user manages its own tokens; a national admin manages everyone's."""
    if role_of(user) is None:
        return False
    return obj is None or obj.user_id == user.pk or is_national_admin(user)


# --- the program (issue #3) ---------------------------------------------------------------------------


@rule("program.manage")
def _manage_program(user: Any, obj: Any) -> bool:
    """Cohorts, invitations, reviewer assignment, selection, MoU: the national office."""
    return is_national_admin(user)


@rule("program.view_funnel")
def _view_funnel(user: Any, obj: Any) -> bool:
    return is_national_staff(user)


@rule("program.nominate")
def _nominate(user: Any, obj: Any) -> bool:
    """A regional officer nominates its own region (obj: the cohort)."""
    return role_of(user) == Role.REGIONAL_OFFICER


@rule("assessment.view_submission")
def _view_submission(user: Any, obj: Any) -> bool:
    """National staff, or an officer of the submission's region."""
    if is_national_staff(user):
        return True
    return obj is not None and is_officer_of(user, obj.participation.region)


@rule("assessment.edit_submission")
def _edit_submission(user: Any, obj: Any) -> bool:
    """Only an officer of the submission's own region fills it in."""
    return obj is not None and is_officer_of(user, obj.participation.region)


@rule("assessment.score")
def _score(user: Any, obj: Any) -> bool:
    """Only the reviewer assigned (obj: the assignment), and never while the review is not theirs."""
    return role_of(user) == Role.NATIONAL_REVIEWER and obj is not None and obj.reviewer_id == user.pk


def _mentor_of(user: Any, participation: Any) -> bool:
    team = participation.mentor_team if participation is not None else None
    return team is not None and team.members.filter(pk=user.pk).exists()


@rule("program.guide")
def _guide(user: Any, obj: Any) -> bool:
    """Schedule sessions, record minutes and outputs: national admins and the participant's mentor team."""
    return is_national_admin(user) or (role_of(user) is not None and _mentor_of(user, obj))


@rule("program.view_guidance")
def _view_guidance(user: Any, obj: Any) -> bool:
    """Sessions of a participant: national staff, its mentors and the region's officers."""
    if is_national_staff(user) or (role_of(user) is not None and _mentor_of(user, obj)):
        return True
    return obj is not None and is_officer_of(user, obj.region)


# --- master plans (issue #4) ---------------------------------------------------------------------------


@rule("masterplan.create")
def _create_plan(user: Any, obj: Any) -> bool:
    """National admins, or an officer for its own region (obj: the unsaved plan)."""
    return is_national_admin(user) or (
        obj is not None and role_of(user) == Role.REGIONAL_OFFICER and user.region_id == obj.region_id
    )


@rule("masterplan.edit")
def _edit_plan(user: Any, obj: Any) -> bool:
    """The regional team (officers of the plan's region) writes the plan."""
    return obj is not None and role_of(user) == Role.REGIONAL_OFFICER and user.region_id == obj.region_id


@rule("masterplan.view")
def _view_plan(user: Any, obj: Any) -> bool:
    """Everybody sees approved, published plans; drafts only their region's officers and national staff."""
    if obj is None:
        return False
    if obj.status == "approved" and obj.published:
        return True
    return is_national_staff(user) or (
        role_of(user) == Role.REGIONAL_OFFICER and user.region_id == obj.region_id
    )


@rule("masterplan.review")
def _review_plan(user: Any, obj: Any) -> bool:
    """National reviewers and admins comment on and return submitted plans."""
    return is_national_staff(user)


@rule("masterplan.approve")
def _approve_plan(user: Any, obj: Any) -> bool:
    return is_national_admin(user)


@rule("context.write")
def _write_context(user: Any, tenant: Any) -> bool:
    """NGSI-LD writes: national admins anywhere; a regional officer in its own region's tenant; anyone in
    the default tenant when KOTACERDAS_NGSI_LD_OPEN=1 (tests and tools only)."""
    from django.conf import settings

    if tenant is None:
        return False
    if tenant.name == "" and settings.NGSI_LD_OPEN:
        return True
    return is_national_admin(user) or _officer_of_tenant(user, tenant)


@rule("context.read_private")
def _read_private_context(user: Any, tenant: Any) -> bool:
    """Entity types not listed in KOTACERDAS_NGSI_LD_PUBLIC_TYPES: national staff, and the officers of the
    tenant's region."""
    return is_national_staff(user) or (tenant is not None and _officer_of_tenant(user, tenant))


def _officer_of_tenant(user: Any, tenant: Any) -> bool:
    """A regional officer of the region a tenant is named after (tenant "73.22" → Luwu Utara)."""
    return (
        role_of(user) == Role.REGIONAL_OFFICER
        and tenant.region_id is not None
        and user.region_id == tenant.region_id
    )


def _officer_of_code(user: Any, region: Any) -> bool:
    """A regional officer of this region (a region code or Region)."""
    code = getattr(region, "pk", region)
    return role_of(user) == Role.REGIONAL_OFFICER and code is not None and user.region_id == code


def _national_or_officer_of(user: Any, region_code: Any) -> bool:
    """A national admin, or a regional officer of this region (a region code or Region)."""
    return is_national_admin(user) or _officer_of_code(user, region_code)


@rule("devices.provision")
def _provision_devices(user: Any, region: Any) -> bool:
    """Service groups, devices and their dead letters: national admins, and the officers of the region
    (obj None: may the user provision anywhere at all?)."""
    if region is None:
        return is_national_admin(user) or role_of(user) == Role.REGIONAL_OFFICER
    return _national_or_officer_of(user, region)


@rule("alerts.manage")
def _manage_alerts(user: Any, region: Any) -> bool:
    """Alert rules, acknowledging and resolving alerts: national admins anywhere; regional officers in
    their region (a rule for every region, region None, is national only)."""
    if region is None:
        return is_national_admin(user)
    return _national_or_officer_of(user, region)


@rule("alerts.operate")
def _operate(user: Any, obj: Any) -> bool:
    """The operations page (live levels, alerts): national staff and regional officers."""
    return is_national_staff(user) or role_of(user) == Role.REGIONAL_OFFICER


# --- monitoring, evaluation, indicators, open data (issue #7) -----------------------------------------


@rule("monitoring.report")
def _report_progress(user: Any, region: Any) -> bool:
    """Progress reports and milestones: only the officers of the initiative's region (obj: region)."""
    return _officer_of_code(user, region)


@rule("monitoring.view")
def _view_monitoring(user: Any, region: Any) -> bool:
    """A region's monitoring page (reports, flags): national staff and the region's officers."""
    return is_national_staff(user) or (region is not None and _officer_of_code(user, region))


@rule("monitoring.verify")
def _verify_progress(user: Any, obj: Any) -> bool:
    """Progress reports and self-assessments are verified by national reviewers and admins."""
    return is_national_staff(user)


@rule("evaluation.manage")
def _manage_evaluation(user: Any, obj: Any) -> bool:
    """Open evaluation rounds, set weights, recompute, see the sensitivity check: national admins."""
    return is_national_admin(user)


@rule("evaluation.self_assess")
def _self_assess(user: Any, region: Any) -> bool:
    """A region self-assesses and enters its impact survey: its own officers (obj: region)."""
    return _officer_of_code(user, region)


@rule("indicators.enter")
def _enter_values(user: Any, region: Any) -> bool:
    """Indicator values: national admins anywhere, officers for their own region (obj None: anywhere at
    all?)."""
    if region is None:
        return is_national_admin(user) or role_of(user) == Role.REGIONAL_OFFICER
    return _national_or_officer_of(user, region)


@rule("indicators.manage")
def _manage_catalogue(user: Any, obj: Any) -> bool:
    """National indicators and goalposts: national admins."""
    return is_national_admin(user)


@rule("opendata.manage")
def _manage_opendata(user: Any, obj: Any) -> bool:
    """Publish or withdraw datasets of the open data catalogue: national admins."""
    return is_national_admin(user)


# --- matchmaking (issue #8) ---------------------------------------------------------------------------


@rule("matchmaking.propose")
def _propose(user: Any, region: Any) -> bool:
    """A region's officers turn its initiatives into proposals (obj: region)."""
    return _officer_of_code(user, region)


@rule("matchmaking.publish")
def _publish_proposal(user: Any, obj: Any) -> bool:
    """National reviewers and admins check completeness and publish."""
    return is_national_staff(user)


@rule("matchmaking.register")
def _register_partner(user: Any, obj: Any) -> bool:
    """Partner accounts register their company."""
    return role_of(user) == Role.PARTNER


@rule("matchmaking.verify_partner")
def _verify_partner(user: Any, obj: Any) -> bool:
    """Partners are verified by national admins."""
    return is_national_admin(user)


@rule("matchmaking.track")
def _track_pipeline(user: Any, region: Any) -> bool:
    """A proposal's matches, interests, meetings and pipeline: national staff and the region's officers
    (obj: region)."""
    return is_national_staff(user) or _officer_of_code(user, region)


@rule("matchmaking.decide")
def _decide_interest(user: Any, region: Any) -> bool:
    """Accepting or declining a partner's interest: the region's officers (obj: region)."""
    return _officer_of_code(user, region)


@rule("matchmaking.events")
def _record_events(user: Any, obj: Any) -> bool:
    """Matchmaking forums (events) the ministry organises: national staff."""
    return is_national_staff(user)


# --- harmonisation (issue #8) ------------------------------------------------------------------------


@rule("harmonisation.manage")
def _manage_clusters(user: Any, obj: Any) -> bool:
    """Clusters of regions that plan together: national admins."""
    return is_national_admin(user)


@rule("harmonisation.joint")
def _record_joint(user: Any, cluster: Any) -> bool:
    """Joint initiatives of a cluster: national admins, and the officers of a member region (obj: cluster)."""
    if is_national_admin(user):
        return True
    region = getattr(user, "region_id", None)
    return (
        bool(region)
        and cluster is not None
        and _officer_of_code(user, region)
        and (cluster.members.filter(code=region).exists())
    )
