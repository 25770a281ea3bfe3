"""What the generated tests of tests/core share: every URL pattern of the product, filled in from the demo
data (a region, a cohort year, a plan, ...). A new pattern whose argument is not known here makes them fail,
so the nets grow with the product."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

SKIP_PREFIXES = ("admin/", "static/", "media/", "i18n/", "account/logout")


def url_patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found += url_patterns(entry, route)
        else:
            found.append((route, entry))
    return found


@pytest.fixture
def demo_values(users: dict[str, Any]) -> dict[str, str]:
    from kotacerdas.core.demo import seed_demo_users
    from kotacerdas.masterplan.demo import seed_plans
    from kotacerdas.masterplan.models import MasterPlan
    from kotacerdas.program.demo import current_year, seed_program
    from kotacerdas.program.models import GuidanceSession, Participation

    seed_demo_users()
    seed_program()
    seed_plans()
    from kotacerdas.monitoring.demo import seed_evaluation

    seed_evaluation()
    from kotacerdas.harmonisation.demo import seed_clusters
    from kotacerdas.harmonisation.models import Cluster
    from kotacerdas.matchmaking.demo import seed_matchmaking
    from kotacerdas.matchmaking.models import Proposal

    seed_matchmaking()
    seed_clusters()
    participation = Participation.objects.filter(submission__isnull=False).first()
    session = GuidanceSession.objects.first()
    plan = MasterPlan.objects.filter(is_example=True, region_id="73.22").first()
    return {
        "code": "73.22",
        "year": str(current_year()),
        "pk": "",
        "key": "vision",
        "pillar": "living",
        "kind": "pdf",
        "action": "submit",
        "initiative_id": str(plan.initiatives.first().pk),
        "version": "2024-default",
        "uidb64": "MQ",
        "token": "not-a-token",
        "_participation": str(participation.pk),
        "_submission": str(participation.submission.pk),
        "_session": str(session.pk),
        "_plan": str(plan.pk),
        # NGSI-LD (tenant-less requests see the default tenant, where these do not exist: 404, not 5xx)
        "entity_id": "urn:ngsi-ld:WaterObserved:73.22:rongkong-01",
        "attr": "waterLevel",
        "type_name": "WaterObserved",
        "subscription_id": "urn:ngsi-ld:Subscription:demo",
        "instance_id": "urn:ngsi-ld:attribute:instance:demo",
        # devices, alerts, KPIs: ids that do not exist (404 problem, not 5xx)
        "device_id": "masamba-01",
        "rule_id": "999999",
        "alert_id": "999999",
        "binding_id": "999999",
        # monitoring, evaluation, open data
        "report_id": "999999",
        "region": "73.22",
        "slug": "hasil-evaluasi",
        "fmt": "csv",
        "_initiative": str(plan.initiatives.first().pk),
        # matchmaking, clusters (the demo's published proposal and the IKN cluster)
        "_proposal": str(Proposal.objects.filter(status="published").first().pk),
        "_cluster": str(Cluster.objects.first().pk),
        "proposal_id": str(Proposal.objects.filter(status="published").first().pk),
        "cluster_id": str(Cluster.objects.first().pk),
        "partner_id": "999999",
        "interest_id": "999999",
        "event_id": "999999",
    }


# which demo object a `pk` of a route means; any other pk is a missing one (it must answer 404/405, not 5xx)
PK_BY_PREFIX = [
    ("program/session", "_session"),
    ("program/participation", "_participation"),
    ("assessment/", "_submission"),
    ("plans/", "_plan"),
    ("api/participations", "_participation"),
    ("api/submissions", "_submission"),
    ("api/masterplans", "_plan"),
    ("monitoring/initiative", "_initiative"),
    ("matchmaking/proposal", "_proposal"),
    ("clusters/", "_cluster"),
]
MISSING = "999999"


def fill_route(route: str, values: dict[str, str]) -> str | None:
    """The route with its arguments replaced, or None for patterns outside this net."""
    import re

    if route.startswith(SKIP_PREFIXES) or "(?P" in route:
        return None
    pk_key = next((key for prefix, key in PK_BY_PREFIX if route.startswith(prefix)), None)

    def replace(match: re.Match[str]) -> str:
        name = match.group(2)
        if name == "pk":
            return values[pk_key] if pk_key else MISSING
        return values[name]

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", replace, route)


def routes_to_visit(values: dict[str, str]) -> list[str]:
    """Every GET-able URL of the product, filled in (document downloads left out: they are slow)."""
    urls = []
    for route, _pattern in url_patterns(get_resolver()):
        url = fill_route(route, values)
        if url is not None and not url.endswith((".pdf", ".docx")):
            urls.append(url)
    return urls
