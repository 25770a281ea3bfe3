"""Master plan pages: list, the plan with its checklist, section and initiative editing, review, versions,
documents. Thin: every rule is in services.py, documents.py and checks.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.core import permissions
from kotacerdas.core.http import attempt, flash_errors
from kotacerdas.pillars.models import Pillar
from kotacerdas.reports import svg

from . import checks, documents, services
from .diff import diff
from .forms import InitiativeForm, NewPlanForm, initial_for
from .models import Initiative, MasterPlan, PlanStatus, Section


def _plan(request: HttpRequest, pk: int) -> MasterPlan:
    plan = MasterPlan.objects.select_related("region", "region__province").filter(pk=pk).first()
    if plan is None or not permissions.can(request.user, "masterplan.view", plan):
        raise Http404(_("No master plan %(pk)s that you may see.") % {"pk": pk})
    return plan


def plan_list(request: HttpRequest) -> HttpResponse:
    form = NewPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.create_plan(
                request.user, data["region"].strip(), data["period_start"], data["period_end"], data["title"]
            )
            return redirect("masterplan:detail", pk=plan.pk)
        except ValidationError as exc:
            flash_errors(request, exc)
    can_create = permissions.role_of(request.user) in ("regional_officer", "national_admin")
    return render(
        request,
        "masterplan/plan_list.html",
        {
            "plans": services.list_plans(request.user),
            "form": form if can_create else None,
            "own_region": getattr(request.user, "region_id", None),
        },
    )


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    snap = services.snapshot(plan)
    findings = checks.check(services.plan_data(snap), _)
    pillars = {p.key: p for p in Pillar.objects.all()}
    sections = {s.key: s for s in plan.sections.all()}
    goals = {g.pillar.key: g for g in plan.goals.select_related("pillar")}
    by_pillar = {k: [i for i in snap["initiatives"] if i["pillar"] == k] for k in pillars}
    quick = [
        (i, checks.quick_win_problems(d, plan.period_start, _))
        for i, d in zip(snap["initiatives"], services.plan_data(snap).initiatives, strict=True)
        if i["quick_win"]
    ]
    user = request.user
    context = {
        "plan": plan,
        "snap": snap,
        "findings": findings,
        "blocking": checks.errors(findings),
        "section_rows": [(key, label, sections.get(key)) for key, label in Section.KEYS],
        "pillar_rows": [(pillars[k], goals.get(k), by_pillar[k]) for k in pillars],
        "quick_wins": quick,
        "budget": services.budget_summary(snap),
        "roadmap_svg": svg.roadmap(
            [
                (i["title"], pillars[i["pillar"]].colour, i["start_year"], i["end_year"], i["quick_win"])
                for i in snap["initiatives"]
            ],
            plan.period_start,
            plan.period_end,
        )
        if snap["initiatives"]
        else "",
        "comments": plan.comments.select_related("author"),
        "versions": plan.versions.all(),
        "can_edit": permissions.can(user, "masterplan.edit", plan) and plan.status in services.EDITABLE,
        "can_review": permissions.can(user, "masterplan.review", plan),
        "can_approve": permissions.can(user, "masterplan.approve", plan),
    }
    return render(request, "masterplan/plan_detail.html", context)


def _act(request: HttpRequest, plan: MasterPlan, anchor: str, action: Callable[[], object]) -> HttpResponse:
    """Run one change of the plan, say how it went, and return to the changed part of the page."""
    attempt(request, action, _("Saved."))
    return redirect(f"{plan_url(plan)}#{anchor}")


def _version(request: HttpRequest) -> int:
    raw = request.POST.get("row_version", "")
    return int(raw) if raw.isdigit() else 0


@require_POST
def save_section(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    plan = _plan(request, pk)
    content = request.POST.get("content", "")
    return _act(
        request,
        plan,
        f"section-{key}",
        lambda: services.save_section(request.user, plan, key, content, _version(request)),
    )


@require_POST
def save_goal(request: HttpRequest, pk: int, pillar: str) -> HttpResponse:
    plan = _plan(request, pk)
    post = request.POST
    return _act(
        request,
        plan,
        f"pillar-{pillar}",
        lambda: services.save_goal(
            request.user, plan, pillar, post.get("goal", ""), post.get("justification", ""), _version(request)
        ),
    )


@require_POST
def target(request: HttpRequest, pk: int, pillar: str) -> HttpResponse:
    """Add (or, with delete=<id>, remove) an indicator target of a pillar goal."""
    plan = _plan(request, pk)
    post = request.POST
    if post.get("delete", "").isdigit():
        return _act(
            request,
            plan,
            f"goal-{pillar}",
            lambda: services.delete_target(request.user, plan, int(post["delete"])),
        )
    return _act(
        request,
        plan,
        f"goal-{pillar}",
        lambda: services.save_target(
            request.user,
            plan,
            pillar,
            int(post["indicator"]) if post.get("indicator", "").isdigit() else 0,
            int(post["baseline_year"]) if post.get("baseline_year", "").isdigit() else None,
            _float(post.get("baseline_value")),
            services.parse_yearly(post.get("yearly", "")),
        ),
    )


def _float(raw: str | None) -> float | None:
    try:
        return float((raw or "").replace(",", "."))
    except ValueError:
        return None


def plan_url(plan: MasterPlan) -> str:
    return reverse("masterplan:detail", args=[plan.pk])


def initiative_form(request: HttpRequest, pk: int, initiative_id: int | None = None) -> HttpResponse:
    """Create or edit an initiative; every error is shown next to its field and nothing is saved."""
    plan = _plan(request, pk)
    if not permissions.can(request.user, "masterplan.edit", plan):
        raise PermissionDenied("masterplan.edit")
    initiative = get_object_or_404(Initiative, pk=initiative_id, plan=plan) if initiative_id else None
    form = InitiativeForm(
        request.POST or None,
        plan=plan,
        initial=initial_for(initiative)
        if initiative
        else {"start_year": plan.period_start, "end_year": plan.period_start + 1},
    )
    if request.method == "POST" and form.is_valid():
        budget = form.budget()
        if not form.errors:
            saved = _save_initiative(request, plan, form, budget, initiative)
            if saved:
                return redirect(f"{plan_url(plan)}#initiative-{saved.pk}")
    status = 400 if form.errors else 200
    return render(
        request,
        "masterplan/initiative_form.html",
        {"plan": plan, "form": form, "initiative": initiative},
        status=status,
    )


def _save_initiative(
    request: HttpRequest, plan: MasterPlan, form: InitiativeForm, budget: Any, initiative: Initiative | None
) -> Initiative | None:
    d = form.cleaned_data
    data = services.InitiativeInput(
        element_id=d["element"].pk,
        layer=d["layer"],
        title=d["title"],
        start_year=d["start_year"],
        end_year=d["end_year"],
        description=d["description"],
        lead_opd=d["lead_opd"],
        partners=d["partners"],
        location=d["location"],
        budget=budget,
        depends_on=tuple(i.pk for i in d["depends_on"]),
        indicator_ids=tuple(i.pk for i in d["indicators"]),
        is_quick_win=d["is_quick_win"],
        quick_win_owner=d["quick_win_owner"],
        quick_win_deadline=d["quick_win_deadline"],
        visible_effect=d["visible_effect"],
        rpjmd_aligned=d["rpjmd_aligned"],
    )
    try:
        saved = services.save_initiative(request.user, plan, data, initiative, d.get("row_version"))
        messages.success(request, _("Initiative saved."))
        return saved
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
    return None


@require_POST
def workflow(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """submit | return | approve | comment"""
    plan = _plan(request, pk)
    try:
        if action == "submit":
            services.submit_plan(request.user, plan)
            messages.success(request, _("The plan was submitted for review."))
        elif action == "return":
            services.return_for_revision(request.user, plan)
            messages.success(request, _("The plan was returned for revision."))
        elif action == "approve":
            services.approve(request.user, plan, publish=request.POST.get("publish") == "1")
            messages.success(request, _("The plan is approved; this version is frozen for monitoring."))
        elif action == "comment":
            services.add_comment(
                request.user, plan, request.POST.get("anchor", ""), request.POST.get("text", "")
            )
            messages.success(request, _("Comment added."))
        else:
            raise Http404(action)
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect(plan_url(plan))


def version_diff(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    versions = {v.number: v for v in plan.versions.all()}
    a, b = request.GET.get("a", ""), request.GET.get("b", "")
    old = versions.get(int(a)) if a.isdigit() else None
    new = versions.get(int(b)) if b.isdigit() else None
    current = services.snapshot(plan)
    changes = diff(old.snapshot if old else {}, new.snapshot if new else current) if old else []
    return render(
        request,
        "masterplan/diff.html",
        {"plan": plan, "versions": versions.values(), "old": old, "new": new, "changes": changes},
    )


def copy_initiatives(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy initiatives from other regions' approved, published plans (attributed)."""
    plan = _plan(request, pk)
    if not permissions.can(request.user, "masterplan.edit", plan):
        raise PermissionDenied("masterplan.edit")
    if request.method == "POST":
        try:
            copies = services.copy_initiatives(
                request.user, plan, [int(i) for i in request.POST.getlist("initiative") if i.isdigit()]
            )
            messages.success(request, _("%(n)d initiatives copied.") % {"n": len(copies)})
        except ValidationError as exc:
            flash_errors(request, exc)
        return redirect(plan_url(plan))
    sources = (
        Initiative.objects.filter(plan__status=PlanStatus.APPROVED, plan__published=True)
        .exclude(plan=plan)
        .select_related("plan__region", "element__pillar")
    )
    return render(request, "masterplan/copy.html", {"plan": plan, "sources": sources})


def document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """POST: queue the document; GET: its progress fragment (htmx polls it) or, when ready, the file."""
    plan = _plan(request, pk)
    if kind not in ("pdf", "docx"):
        raise Http404(kind)
    doc = documents.request_document(request.user, plan, kind)
    if request.GET.get("download") and doc.status == doc.Status.DONE:
        return FileResponse(
            doc.file.open("rb"), filename=doc.file.name.rsplit("/", 1)[-1], as_attachment=True
        )
    return render(request, "masterplan/_document.html", {"plan": plan, "doc": doc, "kind": kind})
