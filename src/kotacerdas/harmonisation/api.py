"""/api/clusters: clusters of regions, their plans side by side, overlaps between members' initiatives and
joint initiatives; /api/regions/{code}/overlaps: overlaps with neighbouring regions."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from kotacerdas.core.schemas import Pages
from kotacerdas.core.text import translated
from kotacerdas.regions.models import Region

from . import services
from .models import Cluster, JointInitiative

router = Router(tags=["harmonisation"])


class ClusterOut(Schema):
    id: int
    name: str
    kind: str
    description: str
    members: list[str]

    @staticmethod
    def resolve_members(obj: Cluster) -> list[str]:
        return services.member_codes(obj)


class ClusterIn(Schema):
    name: str
    kind: str = "other"
    description: str = ""
    members: list[str]


@router.get("/clusters", response=list[ClusterOut])
@paginate(Pages)
def list_clusters(request: HttpRequest) -> Any:
    """Clusters of regions that plan together (public: they show approved plans only)."""
    return Cluster.objects.prefetch_related("members")


@router.post("/clusters", response={201: ClusterOut})
def create_cluster(request: HttpRequest, body: ClusterIn) -> Status[Cluster]:
    """Define a cluster (national admins): a unique name, at least two region codes."""
    return Status(201, services.save_cluster(request.user, body.dict(), body.members))


@router.put("/clusters/{cluster_id}", response=ClusterOut)
def change_cluster(request: HttpRequest, cluster_id: int, body: ClusterIn) -> Cluster:
    """Change a cluster's name, kind, description or members (national admins)."""
    cluster = get_object_or_404(Cluster, pk=cluster_id)
    return services.save_cluster(request.user, body.dict(), body.members, cluster)


class InitiativeBrief(Schema):
    id: int
    region_code: str
    title: str
    pillar: str
    element: str
    layer: str


def _brief(initiative: Any) -> dict[str, Any]:
    return {
        "id": initiative.pk,
        "region_code": str(initiative.plan.region_id),
        "title": initiative.title,
        "pillar": initiative.element.pillar.key,
        "element": initiative.element.key,
        "layer": initiative.layer,
    }


class PillarColumns(Schema):
    pillar: str
    members: dict[str, list[InitiativeBrief]]


class ClusterDetail(Schema):
    id: int
    name: str
    kind: str
    description: str
    members: list[str]
    pillars: list[PillarColumns]


@router.get("/clusters/{cluster_id}", response=ClusterDetail)
def cluster_detail(request: HttpRequest, cluster_id: int) -> dict[str, Any]:
    """A cluster with every member's approved-plan initiatives side by side per pillar."""
    cluster = get_object_or_404(Cluster, pk=cluster_id)
    regions, rows = services.side_by_side(cluster)
    pillars = [
        {
            "pillar": row.pillar.key,
            "members": {
                r.code: [_brief(i) for i in cell] for r, cell in zip(regions, row.cells, strict=True)
            },
        }
        for row in rows
    ]
    return {**ClusterOut.from_orm(cluster).dict(), "pillars": pillars}


class OverlapOut(Schema):
    a: InitiativeBrief
    b: InitiativeBrief
    score: float
    text_similarity: float
    shared_words: list[str]
    same: list[str]
    reasons: list[str]
    proposed_joint: dict[str, Any]


class Overlaps(Schema):
    count: int
    items: list[OverlapOut]


def _overlaps(total: int, pairs: list[services.Pair]) -> dict[str, Any]:
    items = [
        {
            "a": _brief(p.a),
            "b": _brief(p.b),
            "score": p.found.score,
            "text_similarity": p.found.text,
            "shared_words": list(p.found.shared_words),
            "same": list(p.found.same),
            "reasons": [translated(r, gettext) for r in p.found.reasons],
            "proposed_joint": {**p.joint, "why": [translated(r, gettext) for r in p.found.reasons]},
        }
        for p in pairs
    ]
    return {"count": total, "items": items}


class OverlapQuery(Schema):
    limit: int = 200


@router.get("/clusters/{cluster_id}/overlaps", response=Overlaps)
def cluster_overlaps(request: HttpRequest, cluster_id: int, query: Query[OverlapQuery]) -> dict[str, Any]:
    """Pairs of initiatives of different members that do the same thing, best first: the score (0–1), the
    text similarity, the shared words and which of element, pillar and layer agree; `count` is every such
    pair, `items` the best `limit` (at most 1,000) with a proposed joint initiative each."""
    cluster = get_object_or_404(Cluster, pk=cluster_id)
    return _overlaps(*services.cluster_overlaps(cluster, max(1, min(query.limit, 1000))))


@router.get("/regions/{code}/overlaps", response=Overlaps)
def neighbour_overlaps(request: HttpRequest, code: str, query: Query[OverlapQuery]) -> dict[str, Any]:
    """Overlaps between a region's plan and the plans of the regions within 100 km of it."""
    get_object_or_404(Region, code=code)
    return _overlaps(*services.neighbour_overlaps(code, max(1, min(query.limit, 1000))))


class JointIn(Schema):
    title: str
    description: str = ""
    pillar: str
    lead_region: str
    initiatives: list[int]
    reasons: list[str] = []


class JointOut(Schema):
    id: int
    cluster: int
    title: str
    description: str
    pillar: str
    lead_region: str
    initiatives: list[int]
    reasons: list[str]

    @staticmethod
    def resolve_cluster(obj: JointInitiative) -> int:
        return int(obj.cluster_id)

    @staticmethod
    def resolve_pillar(obj: JointInitiative) -> str:
        return obj.pillar.key

    @staticmethod
    def resolve_lead_region(obj: JointInitiative) -> str:
        return str(obj.lead_region_id)

    @staticmethod
    def resolve_initiatives(obj: JointInitiative) -> list[int]:
        return sorted(i.pk for i in obj.initiatives.all())


@router.get("/clusters/{cluster_id}/joint-initiatives", response=list[JointOut])
def list_joint(request: HttpRequest, cluster_id: int) -> Any:
    """A cluster's joint initiatives (shared services) with the members' initiatives they link."""
    cluster = get_object_or_404(Cluster, pk=cluster_id)
    return cluster.joint_initiatives.select_related("pillar").prefetch_related("initiatives")


@router.post("/clusters/{cluster_id}/joint-initiatives", response={201: JointOut})
def create_joint(request: HttpRequest, cluster_id: int, body: JointIn) -> Status[JointInitiative]:
    """Record a joint initiative (national admins, officers of a member region), linked to initiatives of
    at least two members' approved plans."""
    cluster = get_object_or_404(Cluster, pk=cluster_id)
    return Status(201, services.create_joint(request.user, cluster, body.dict(), body.initiatives))
