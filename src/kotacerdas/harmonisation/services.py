"""Harmonisation: clusters of regions, their plans side by side, overlap detection (the pure `overlap.py`)
and joint initiatives linked to each member's plan."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kotacerdas.core.permissions import require
from kotacerdas.masterplan.models import Initiative, PlanStatus
from kotacerdas.pillars.models import Pillar
from kotacerdas.regions.models import Region

from . import overlap
from .models import Cluster, JointInitiative

log = logging.getLogger("kotacerdas.harmonisation")
NEIGHBOUR_KM = 100.0


def save_cluster(
    user: Any, data: Mapping[str, Any], members: Sequence[str], cluster: Cluster | None = None
) -> Cluster:
    """Create or change a cluster (national admins): a unique name and at least two known regions."""
    require(user, "harmonisation.manage")
    errors: dict[str, list[str]] = {}
    name = str(data.get("name") or "").strip()
    taken = Cluster.objects.filter(name=name).exclude(pk=getattr(cluster, "pk", None)).exists()
    if not name or taken:
        errors["name"] = [_("Give the cluster a name of its own.") if taken else _("This field is required.")]
    if data.get("kind", Cluster.Kind.OTHER) not in Cluster.Kind.values:
        errors["kind"] = [_("Choose a kind of cluster.")]
    codes = sorted(set(members))
    known = set(Region.objects.filter(code__in=codes).values_list("code", flat=True))
    if len(codes) < 2:
        errors["members"] = [_("A cluster has at least two regions.")]
    elif set(codes) - known:
        errors["members"] = [
            _("Unknown region codes: %(codes)s.") % {"codes": ", ".join(sorted(set(codes) - known))}
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        cluster = cluster or Cluster(created_by=user)
        cluster.name, cluster.description = name, str(data.get("description") or "")
        cluster.kind = data.get("kind", Cluster.Kind.OTHER)
        cluster.save()
        cluster.members.set(codes)
    return cluster


def member_codes(cluster: Cluster) -> list[str]:
    return sorted(cluster.members.values_list("code", flat=True))


def approved_initiatives(codes: Sequence[str]) -> QuerySet[Initiative]:
    """Initiatives of the approved plans of these regions."""
    return (
        Initiative.objects.filter(plan__region_id__in=list(codes), plan__status=PlanStatus.APPROVED)
        .select_related("element__pillar", "plan__region")
        .order_by("pk")
    )


@dataclass(frozen=True)
class PillarRow:
    pillar: Pillar
    cells: list[list[Initiative]]  # one list per member, in the order of `side_by_side`'s regions


def side_by_side(cluster: Cluster) -> tuple[list[Region], list[PillarRow]]:
    """Every member's approved-plan initiatives per pillar: one row per pillar, one column per member."""
    regions = list(cluster.members.order_by("code"))
    column = {r.code: i for i, r in enumerate(regions)}
    rows = {p.key: PillarRow(p, [[] for _ in regions]) for p in Pillar.objects.order_by("order")}
    for initiative in approved_initiatives(list(column)):
        rows[initiative.element.pillar.key].cells[column[initiative.plan.region_id]].append(initiative)
    return regions, list(rows.values())


@dataclass(frozen=True)
class Pair:
    """An overlap with both initiatives and the joint initiative it suggests."""

    found: overlap.Overlap
    a: Initiative
    b: Initiative
    joint: dict[str, object]


def overlaps_in(codes: Sequence[str], together: Any, limit: int | None = 200) -> tuple[int, list[Pair]]:
    """Overlapping initiatives of these regions' approved plans, best first (how many, the best `limit`).
    The facts are read as plain rows; only the initiatives of the reported pairs are loaded as objects."""
    rows = approved_initiatives(codes).values_list(
        "pk", "plan__region_id", "element__pillar__key", "element__key", "layer", "title", "description"
    )
    items = [overlap.Initiative(*row) for row in rows]
    found = overlap.overlaps(items, together, limit=limit)
    shown = {pk for pair in found.pairs for pk in (pair.a, pair.b)}
    by_id = approved_initiatives(codes).in_bulk(shown)
    facts_by_id = {i.id: i for i in items if i.id in shown}
    pairs = [Pair(p, by_id[p.a], by_id[p.b], overlap.joint_initiative(p, facts_by_id)) for p in found.pairs]
    log.info("overlaps found", extra={"regions": len(codes), "initiatives": len(items), "pairs": found.total})
    return found.total, pairs


def cluster_overlaps(cluster: Cluster, limit: int | None = 200) -> tuple[int, list[Pair]]:
    codes = member_codes(cluster)
    return overlaps_in(codes, overlap.in_cluster(codes), limit)


def neighbours(code: str, km: float = NEIGHBOUR_KM) -> list[str]:
    """Regions whose centre lies within `km` of this region's centre (regions without coordinates have no
    neighbours: the official codes carry no adjacency)."""
    here = Region.objects.filter(code=code).values_list("latitude", "longitude").first()
    if not here or here[0] is None:
        return []
    found = []
    for other, lat, lon in (
        Region.objects.exclude(code=code).exclude(latitude=None).values_list("code", "latitude", "longitude")
    ):
        if distance_km(here[0], here[1], lat, lon) <= km:
            found.append(other)
    return sorted(found)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, Earth radius 6,371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def neighbour_overlaps(code: str, limit: int | None = 200) -> tuple[int, list[Pair]]:
    """Overlaps between a region's plan and the plans of its neighbours (not among the neighbours)."""
    codes = [code, *neighbours(code)]
    return overlaps_in(codes, lambda a, b: code in (a, b), limit)


def create_joint(
    user: Any, cluster: Cluster, data: Mapping[str, Any], initiative_ids: Sequence[int]
) -> JointInitiative:
    """A joint initiative (shared service) of a cluster, linked to initiatives of at least two members'
    approved plans; led by a member."""
    require(user, "harmonisation.joint", cluster)
    codes = member_codes(cluster)
    errors: dict[str, list[str]] = {}
    if not str(data.get("title") or "").strip():
        errors["title"] = [_("This field is required.")]
    pillar = Pillar.objects.filter(key=data.get("pillar")).first()
    if pillar is None:
        errors["pillar"] = [_("Choose one of the six pillars.")]
    if data.get("lead_region") not in codes:
        errors["lead_region"] = [_("The lead region is a member of the cluster.")]
    linked = list(approved_initiatives(codes).filter(pk__in=list(initiative_ids)))
    if len(linked) != len(set(initiative_ids)) or len({i.plan.region_id for i in linked}) < 2:
        errors["initiatives"] = [
            _("Link initiatives of the approved plans of at least two members of the cluster.")
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        joint = JointInitiative.objects.create(
            cluster=cluster,
            title=data["title"],
            description=data.get("description", ""),
            pillar=pillar,
            lead_region_id=data["lead_region"],
            reasons=list(data.get("reasons") or []),
            created_by=user,
        )
        joint.initiatives.set(linked)
    return joint
