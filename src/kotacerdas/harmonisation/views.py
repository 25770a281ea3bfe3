"""Cluster pages: the clusters (admins define them), a cluster's plans side by side per pillar with its
joint initiatives, and the overlaps between members' initiatives with a proposed joint initiative each."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kotacerdas.core.permissions import can, require

from . import services
from .forms import ClusterForm, JointForm
from .models import Cluster


def clusters(request: HttpRequest) -> HttpResponse:
    """Every cluster; national admins define new ones here."""
    form = ClusterForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "harmonisation.manage")
    if request.method == "POST" and form.is_valid():
        try:
            cluster = services.save_cluster(request.user, form.cleaned_data, form.codes())
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("The cluster is saved."))
            return redirect("harmonisation:cluster", pk=cluster.pk)
    context = {
        "clusters": Cluster.objects.prefetch_related("members"),
        "form": form,
        "can_manage": can(request.user, "harmonisation.manage"),
    }
    return render(request, "harmonisation/clusters.html", context, status=400 if form.errors else 200)


def _joint_form(cluster: Cluster, data: Any = None, initial: Any = None) -> JointForm:
    choices = [
        (i.pk, f"{i.plan.region.name}: {i.title}")
        for i in services.approved_initiatives(services.member_codes(cluster))
    ]
    return JointForm(data, cluster=cluster, initiatives=choices, initial=initial)


def cluster(request: HttpRequest, pk: int) -> HttpResponse:
    """The members' plans side by side per pillar, the joint initiatives, and a form to record one."""
    found = get_object_or_404(Cluster, pk=pk)
    form = _joint_form(found, request.POST or None)
    if request.method == "POST":
        require(request.user, "harmonisation.joint", found)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "reasons": [r for r in form.cleaned_data["reasons"].split("|") if r]}
        try:
            services.create_joint(request.user, found, data, data["initiatives"])
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("The joint initiative is recorded."))
            return redirect("harmonisation:cluster", pk=pk)
    regions, rows = services.side_by_side(found)
    context = {
        "cluster": found,
        "regions": regions,
        "rows": rows,
        "joint": found.joint_initiatives.select_related("pillar", "lead_region").prefetch_related(
            "initiatives__plan__region"
        ),
        "form": form,
        "can_record": can(request.user, "harmonisation.joint", found),
    }
    return render(request, "harmonisation/cluster.html", context, status=400 if form.errors else 200)


def overlaps(request: HttpRequest, pk: int) -> HttpResponse:
    """Overlapping initiatives of the members, best first, each explained, with a proposed joint initiative
    that a member's officer or an admin can record as it is."""
    found = get_object_or_404(Cluster, pk=pk)
    total, pairs = services.cluster_overlaps(found, limit=100)
    context = {
        "cluster": found,
        "total": total,
        "pairs": pairs,
        "can_record": can(request.user, "harmonisation.joint", found),
    }
    return render(request, "harmonisation/overlaps.html", context)
