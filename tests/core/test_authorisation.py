"""The authorisation matrix, generated: every URL pattern of the product (pages, /api/ operations, NGSI-LD,
IoT) is visited as each role, filled in once with region A's objects and once with region B's, and the
answers are searched for canaries planted in objects that only some roles may see. A denied role that ever
receives a canary is a leak; every canary must reach at least one role allowed to see it (so the net is not
empty). A second net sends every write operation as region A's officer at region B's objects and checks
that nothing of the database changed outside the log tables.

Roles: the public, a partner, the officers of region A (Luwu Utara, 73.22) and B (Kota Depok, 32.76), a
national reviewer, a national admin.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.core.conftest import fill_route, url_patterns

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

ROLES = [None, "partner", "officer_a", "officer_b", "national_reviewer", "national_admin"]

# canary -> (roles that must never see it, roles of which at least one must see it somewhere)
CANARIES = {
    # region B's draft master plan: its region's officers and national staff only
    "KANARI-RENCANA-DRAF-DEPOK": ([None, "partner", "officer_a"], ["officer_b", "national_admin"]),
    # region B's readiness answers: its officers, reviewers and admins
    "KANARI-JAWABAN-DEPOK": ([None, "partner", "officer_a"], ["officer_b", "national_reviewer"]),
    # region A's draft KPBU proposal: not for partners, the public or another region
    "KANARI-PROPOSAL-DRAF-LUTRA": ([None, "partner", "officer_b"], ["officer_a", "national_admin"]),
    # a partner's tax number: the partner itself and national staff
    "KANARINPWP7788": ([None, "officer_a", "officer_b"], ["partner", "national_admin"]),
    # an API token's name: its owner (and national admins)
    "KANARI-TOKEN-DEPOK": ([None, "partner", "officer_a", "national_reviewer"], ["officer_b"]),
}


@pytest.fixture
def region_b_values(demo_values: dict[str, str], users: dict[str, Any]) -> dict[str, str]:
    """Plant the canaries; the URL values of region B's objects (and region A's draft proposal)."""
    from kotacerdas.assessment.models import Answer, Submission
    from kotacerdas.core.models import ApiToken
    from kotacerdas.masterplan.models import MasterPlan
    from kotacerdas.matchmaking.models import Partner, Pipeline, Proposal

    plan = MasterPlan.objects.get(region_id="32.76", status="draft")
    MasterPlan.objects.filter(pk=plan.pk).update(title=f"{plan.title} KANARI-RENCANA-DRAF-DEPOK")
    submission = Submission.objects.get(participation__region_id="32.76")
    Answer.objects.filter(submission=submission).update(narrative="Jawaban KANARI-JAWABAN-DEPOK.")
    draft = Proposal.objects.get(status=Pipeline.DRAFT, region_id="73.22")
    Proposal.objects.filter(pk=draft.pk).update(title="Kios KANARI-PROPOSAL-DRAF-LUTRA")
    Partner.objects.update_or_create(
        user=users["partner"],
        defaults={"name": "PT Uji Kanari", "npwp": "KANARINPWP7788", "nib": "1234567890123"},
    )
    ApiToken.issue(users["officer_b"], "KANARI-TOKEN-DEPOK")
    return {
        **demo_values,
        "code": "32.76",
        "region": "32.76",
        "_plan": str(plan.pk),
        "_submission": str(submission.pk),
        "_participation": str(submission.participation_id),
        "_proposal": str(draft.pk),
        "proposal_id": str(draft.pk),
    }


def _urls(values: dict[str, str]) -> list[str]:
    urls = []
    for route, _pattern in url_patterns(__import__("django.urls").urls.get_resolver()):
        url = fill_route(route, values)
        if url is not None:
            urls.append(url)
    return urls


def _client(who: str | None, users: dict[str, Any]) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="id")
    if who:
        client.force_login(users[who])
    return client


def test_no_role_reads_what_it_may_not(
    users: dict[str, Any], demo_values: dict[str, str], region_b_values: dict[str, str]
) -> None:
    urls = sorted(set(_urls(demo_values)) | set(_urls(region_b_values)))
    seen: dict[str, set[str | None]] = {canary: set() for canary in CANARIES}
    leaks = []
    documents_leaked = []
    for who in ROLES:
        client = _client(who, users)
        for url in urls:
            if url.endswith((".pdf", ".docx")):
                if who in (None, "partner", "officer_a") and f"/{region_b_values['_plan']}/" in url:
                    status = client.get(url).status_code
                    if status == 200:
                        documents_leaked.append(f"{who or 'public'} downloaded {url}")
                continue
            body = client.get(url).content.decode(errors="ignore")
            for canary, (denied, _shown) in CANARIES.items():
                if canary in body:
                    seen[canary].add(who)
                    if who in denied:
                        leaks.append(f"{who or 'public'} saw {canary} at {url}")
    assert not leaks and not documents_leaked, "\n".join(leaks + documents_leaked)
    for canary, (_denied, shown) in CANARIES.items():
        assert seen[canary] & set(shown), f"no allowed role saw {canary}: the net does not reach it"
    assert len(urls) > 250


def _region_b_data(users: dict[str, Any]) -> dict[str, frozenset[str]]:
    """Every row that belongs to region B (Kota Depok) or its officer, as it is now."""
    from kotacerdas.assessment.models import Answer, ReviewScore, Submission
    from kotacerdas.context.models import Entity, Tenant
    from kotacerdas.core.models import ApiToken, Notification, User
    from kotacerdas.devices.models import Device, ServiceGroup
    from kotacerdas.masterplan.models import (
        BudgetLine,
        Initiative,
        MasterPlan,
        PillarGoal,
        PlanVersion,
        ReviewComment,
        Section,
        Target,
    )
    from kotacerdas.matchmaking.models import Proposal
    from kotacerdas.monitoring.models import ProgressReport
    from kotacerdas.program.models import Participation
    from kotacerdas.regions.models import ProfileFact, Region

    b, officer = "32.76", users["officer_b"]
    plan = {"plan__region_id": b}
    querysets = {
        "region": Region.objects.filter(code=b),
        "profile": ProfileFact.objects.filter(region_id=b),
        "participations": Participation.objects.filter(region_id=b),
        "submissions": Submission.objects.filter(participation__region_id=b),
        "answers": Answer.objects.filter(submission__participation__region_id=b),
        "scores": ReviewScore.objects.filter(assignment__submission__participation__region_id=b),
        "plans": MasterPlan.objects.filter(region_id=b),
        "sections": Section.objects.filter(**plan),
        "goals": PillarGoal.objects.filter(**plan),
        "targets": Target.objects.filter(goal__plan__region_id=b),
        "initiatives": Initiative.objects.filter(**plan),
        "budget": BudgetLine.objects.filter(initiative__plan__region_id=b),
        "versions": PlanVersion.objects.filter(**plan),
        "comments": ReviewComment.objects.filter(**plan),
        "reports": ProgressReport.objects.filter(initiative__plan__region_id=b),
        "proposals": Proposal.objects.filter(region_id=b),
        "tenants": Tenant.objects.filter(name=b),
        "entities": Entity.objects.filter(tenant__name=b),
        "groups": ServiceGroup.objects.filter(region_id=b),
        "devices": Device.objects.filter(group__region_id=b),
        "officer": User.objects.filter(pk=officer.pk).exclude(last_login=None).values_list("pk"),
        "tokens": ApiToken.objects.filter(user=officer).values_list("pk", "name", "revoked"),
        "notifications": Notification.objects.filter(user=officer).values_list("pk", "kind", "read_at"),
    }
    return {
        name: frozenset(map(repr, qs if name in ("officer", "tokens", "notifications") else qs.values_list()))
        for name, qs in querysets.items()
    }


def _schema_body(schema: dict[str, Any], components: dict[str, Any], depth: int = 0) -> Any:
    """A plausible value for a JSON schema: required members filled with simple values of their type."""
    if "$ref" in schema:
        return _schema_body(components[schema["$ref"].rsplit("/", 1)[-1]], components, depth)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return _schema_body(schema[key][0], components, depth)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if depth > 4:
            return {}
        props = schema.get("properties", {})
        return {name: _schema_body(props[name], components, depth + 1) for name in props}
    if kind == "array":
        return [_schema_body(schema.get("items", {}), components, depth + 1)]
    if kind == "integer":
        return 1
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    if schema.get("format") == "date":
        return "2026-01-15"
    if schema.get("format") == "date-time":
        return "2026-01-15T08:00:00Z"
    return "KANARI-TULIS"


def _api_writes(values: dict[str, str]) -> list[tuple[str, str, Any]]:
    """Every unsafe /api/ operation with its path filled with region B's objects and a plausible body."""
    import re

    from kotacerdas.api import api

    schema = api.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method == "get":
                continue
            route = re.sub(r"\{(\w+)\}", r"<\1>", path.removeprefix("/"))
            url = fill_route(route, values)
            if url is None:
                continue
            content = operation.get("requestBody", {}).get("content", {})
            body_schema = content.get("application/json", {}).get("schema")
            body = _schema_body(body_schema, components) if body_schema else {}
            found.append((method, url, body))
    return found


def test_officer_a_never_writes_region_b_data(
    users: dict[str, Any], demo_values: dict[str, str], region_b_values: dict[str, str]
) -> None:
    officer = _client("officer_a", users)
    before = _region_b_data(users)
    assert sum(map(len, before.values())) > 50  # region B has data to protect
    written = []
    writes = _api_writes(region_b_values)
    for method, url, body in writes:
        response = getattr(officer, method)(url, json.dumps(body), content_type="application/json")
        if response.status_code < 300:
            written.append(f"{method.upper()} {url}: {response.status_code}")
    pages = [u for u in _urls(region_b_values) if not u.startswith(("/api/", "/ngsi-ld/", "/iot/"))]
    for url in pages:
        response = officer.post(url, {"title": "KANARI-TULIS", "content": "KANARI-TULIS", "row_version": "1"})
        if response.status_code in (201, 204, 302):  # listed with the failure, to find the write
            written.append(f"POST {url}: {response.status_code}")
    entity = {"id": "urn:ngsi-ld:Building:kanari", "type": "Building"}
    ngsi = officer.post(
        "/ngsi-ld/v1/entities",
        json.dumps(entity),
        content_type="application/json",
        headers={"NGSILD-Tenant": "32.76"},
    )
    assert ngsi.status_code in (401, 403), ngsi.content
    after = _region_b_data(users)
    changed = {t: sorted(after[t] ^ before[t])[:4] for t in before if before[t] != after[t]}
    assert len(writes) > 30
    assert not changed, f"rows changed by officer A's writes at region B: {changed}\n" + "\n".join(written)
