"""Business rules of the master plan; pages, API, documents and the CLI call these.

The plan's JSON snapshot (`snapshot`) is the one description of a plan: the API returns it, versions store it,
the checks, the diff and the PDF/DOCX documents read it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.core import permissions
from kotacerdas.core.models import User
from kotacerdas.indicators.models import Indicator
from kotacerdas.pillars.models import Pillar

from . import checks
from .models import (
    BudgetLine,
    Initiative,
    MasterPlan,
    PillarGoal,
    PlanStatus,
    PlanVersion,
    ReviewComment,
    Section,
    Target,
)

EDITABLE = (PlanStatus.DRAFT, PlanStatus.REVISION)


def list_plans(user: Any) -> QuerySet[MasterPlan]:
    """Plans the user may see: all for national staff, the own region's for officers, approved and published
    ones for everybody."""
    qs = MasterPlan.objects.select_related("region", "region__province").order_by(
        "region_id", "-period_start"
    )
    if permissions.is_national_staff(user):
        return qs
    public = qs.filter(status=PlanStatus.APPROVED, published=True)
    if permissions.role_of(user) == "regional_officer":
        return qs.filter(region_id=user.region_id) | public
    return public


@transaction.atomic
def create_plan(
    user: User, region_id: str, period_start: int, period_end: int, title: str = ""
) -> MasterPlan:
    """An empty skeleton: every section and a goal row for every pillar."""
    plan = MasterPlan(
        region_id=region_id,
        period_start=period_start,
        period_end=period_end,
        title=title or f"Rencana Induk Smart City {period_start}–{period_end}",
    )
    permissions.require(user, "masterplan.create", plan)
    if period_end < period_start or period_end - period_start > 19:
        raise ValidationError(
            {"period_end": [_("Give a period of at most 20 years that ends after it starts.")]}
        )
    plan.save()
    Section.objects.bulk_create(Section(plan=plan, key=key) for key, _label in Section.KEYS)
    PillarGoal.objects.bulk_create(PillarGoal(plan=plan, pillar=p) for p in Pillar.objects.all())
    return plan


def _editable(user: User, plan: MasterPlan) -> None:
    permissions.require(user, "masterplan.edit", plan)
    if plan.status not in EDITABLE:
        raise ValidationError(
            _("This version of the plan is %(status)s and can no longer be edited.")
            % {"status": plan.get_status_display()}
        )


STALE = gettext_lazy(
    "Someone saved this part after you opened it. Reload to see their version; your text was not saved."
)


def save_section(user: User, plan: MasterPlan, key: str, content: str, row_version: int) -> Section:
    """Save one section; refused if someone else saved it since `row_version` was read."""
    _editable(user, plan)
    updated = Section.objects.filter(plan=plan, key=key, row_version=row_version).update(
        content=content.strip(), row_version=row_version + 1, updated_by=user, updated_at=timezone.now()
    )
    if not updated:
        raise ValidationError(str(STALE))
    return Section.objects.get(plan=plan, key=key)


def save_goal(
    user: User, plan: MasterPlan, pillar_key: str, goal: str, justification: str, row_version: int
) -> PillarGoal:
    _editable(user, plan)
    updated = PillarGoal.objects.filter(plan=plan, pillar__key=pillar_key, row_version=row_version).update(
        goal=goal.strip(), justification=justification.strip(), row_version=row_version + 1
    )
    if not updated:
        raise ValidationError(str(STALE))
    return PillarGoal.objects.get(plan=plan, pillar__key=pillar_key)


@dataclass(frozen=True)
class InitiativeInput:
    element_id: int
    layer: str
    title: str
    start_year: int
    end_year: int
    description: str = ""
    lead_opd: str = ""
    partners: str = ""
    location: str = ""
    budget: tuple[tuple[int, str, int], ...] = ()  # (year, source, rupiah)
    depends_on: tuple[int, ...] = ()
    indicator_ids: tuple[int, ...] = ()
    is_quick_win: bool = False
    quick_win_owner: str = ""
    quick_win_deadline: date | None = None
    visible_effect: bool = False
    rpjmd_aligned: bool = False


def _validate_initiative(plan: MasterPlan, data: InitiativeInput) -> None:
    errors: dict[str, list[str]] = {}
    if not data.title.strip():
        errors["title"] = [_("Give the initiative a title.")]
    if not plan.period_start <= data.start_year <= data.end_year <= plan.period_end:
        errors["end_year"] = [
            _("The years must lie inside the plan period %(a)d–%(b)d, the first before the last.")
            % {"a": plan.period_start, "b": plan.period_end}
        ]
    for year, source, amount in data.budget:
        if amount < 0:
            errors.setdefault("budget", []).append(
                _("A budget cannot be negative (%(year)d).") % {"year": year}
            )
        if source not in checks.BUDGET_SOURCES:
            errors.setdefault("budget", []).append(_("Unknown budget source %(s)s.") % {"s": source})
        if not data.start_year <= year <= data.end_year:
            errors.setdefault("budget", []).append(
                _("Budget year %(year)d is outside the initiative's years.") % {"year": year}
            )
    if errors:
        raise ValidationError(errors)


_SCALARS = (
    "element_id",
    "layer",
    "title",
    "start_year",
    "end_year",
    "description",
    "lead_opd",
    "partners",
    "location",
    "is_quick_win",
    "quick_win_owner",
    "quick_win_deadline",
    "visible_effect",
    "rpjmd_aligned",
)


def save_initiative(
    user: User,
    plan: MasterPlan,
    data: InitiativeInput,
    initiative: Initiative | None = None,
    row_version: int | None = None,
) -> Initiative:
    """Create or update an initiative with its budget lines (all or nothing; a stale form is refused)."""
    _editable(user, plan)
    _validate_initiative(plan, data)
    values = {name: getattr(data, name) for name in _SCALARS}
    with transaction.atomic():
        if initiative is None:
            order = (plan.initiatives.aggregate(m=Max("order"))["m"] or 0) + 1
            initiative = Initiative.objects.create(plan=plan, order=order, **values)
        else:
            updated = Initiative.objects.filter(pk=initiative.pk, plan=plan, row_version=row_version).update(
                row_version=F("row_version") + 1, **values
            )
            if not updated:
                raise ValidationError(str(STALE))
            initiative.refresh_from_db()
        initiative.budget_lines.all().delete()
        BudgetLine.objects.bulk_create(
            BudgetLine(initiative=initiative, year=y, source=s, amount=a) for y, s, a in data.budget
        )
        initiative.depends_on.set(plan.initiatives.filter(pk__in=data.depends_on).exclude(pk=initiative.pk))
        initiative.indicators.set(data.indicator_ids)
    return initiative


def copy_initiatives(user: User, plan: MasterPlan, source_ids: Iterable[int]) -> list[Initiative]:
    """Copy initiatives from other regions' approved, published plans, keeping the attribution."""
    _editable(user, plan)
    sources = (
        Initiative.objects.filter(
            pk__in=list(source_ids), plan__status=PlanStatus.APPROVED, plan__published=True
        )
        .exclude(plan=plan)
        .select_related("plan__region")
    )
    copies = []
    with transaction.atomic():
        for src in sources:
            start = max(plan.period_start, min(src.start_year, plan.period_end))
            end = min(plan.period_end, start + (src.end_year - src.start_year))
            copies.append(
                Initiative.objects.create(
                    plan=plan,
                    element=src.element,
                    layer=src.layer,
                    title=src.title,
                    description=src.description,
                    start_year=start,
                    end_year=end,
                    copied_from=src,
                )
            )
    return copies


# --- the snapshot: the one description of a plan ----------------------------------------------------


def _initiatives_qs(plan: MasterPlan) -> QuerySet[Initiative]:
    return plan.initiatives.select_related("element__pillar", "copied_from__plan__region").prefetch_related(
        "budget_lines", "depends_on", "indicators"
    )


def snapshot(plan: MasterPlan) -> dict[str, Any]:
    """The whole plan as JSON-ready data."""
    goals = plan.goals.select_related("pillar").prefetch_related(
        Prefetch("targets", queryset=Target.objects.select_related("indicator"))
    )
    return {
        "id": plan.pk,
        "region_code": plan.region_id,
        "region_name": plan.region.name,
        "title": plan.title,
        "status": plan.status,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "region_facts": region_facts(plan.region_id),
        "sections": {s.key: s.content for s in plan.sections.all()},
        "pillars": {
            g.pillar.key: {
                "goal": g.goal,
                "justification": g.justification,
                "targets": [
                    {
                        "id": t.pk,
                        "indicator": t.indicator.code,
                        "indicator_name": t.indicator.name,
                        "unit": t.indicator.unit,
                        "baseline_year": t.baseline_year,
                        "baseline_value": t.baseline_value,
                        "yearly": {str(k): v for k, v in sorted(t.yearly.items())},
                    }
                    for t in g.targets.all()
                ],
            }
            for g in goals.order_by("pillar__order")
        },
        "initiatives": [_initiative_json(i) for i in _initiatives_qs(plan)],
    }


def _initiative_json(i: Initiative) -> dict[str, Any]:
    return {
        "id": i.pk,
        "title": i.title,
        "description": i.description,
        "pillar": i.element.pillar.key,
        "element": i.element.key,
        "layer": i.layer,
        "lead_opd": i.lead_opd,
        "partners": i.partners,
        "location": i.location,
        "start_year": i.start_year,
        "end_year": i.end_year,
        "budget": [{"year": b.year, "source": b.source, "amount": b.amount} for b in i.budget_lines.all()],
        "depends_on": sorted(d.pk for d in i.depends_on.all()),
        "indicators": sorted(x.code for x in i.indicators.all()),
        "quick_win": i.is_quick_win,
        "quick_win_owner": i.quick_win_owner,
        "quick_win_deadline": i.quick_win_deadline.isoformat() if i.quick_win_deadline else None,
        "visible_effect": i.visible_effect,
        "rpjmd_aligned": i.rpjmd_aligned,
        "copied_from": (
            {"plan": i.copied_from.plan_id, "region": i.copied_from.plan.region.name}
            if i.copied_from_id
            else None
        ),
    }


def plan_data(snap: dict[str, Any]) -> checks.PlanData:
    """The snapshot as the pure checks module sees it."""
    initiatives = [
        checks.InitiativeData(
            key=str(i["id"]),
            title=i["title"],
            pillar=i["pillar"],
            layer=i["layer"],
            start_year=i["start_year"],
            end_year=i["end_year"],
            lead_opd=i["lead_opd"],
            budget=tuple(checks.BudgetLine(b["year"], b["source"], b["amount"]) for b in i["budget"]),
            depends_on=tuple(str(d) for d in i["depends_on"]),
            quick_win=i["quick_win"],
            quick_win_owner=i["quick_win_owner"],
            quick_win_deadline_year=int(i["quick_win_deadline"][:4]) if i["quick_win_deadline"] else None,
            visible_effect=i["visible_effect"],
            rpjmd_aligned=i["rpjmd_aligned"],
        )
        for i in snap["initiatives"]
    ]
    targets = [
        checks.TargetData(
            str(t["id"]),
            t["indicator"],
            t["baseline_year"],
            t["baseline_value"],
            {int(y): v for y, v in t["yearly"].items()},
        )
        for p in snap["pillars"].values()
        for t in p["targets"]
    ]
    return checks.PlanData(
        period_start=snap["period_start"],
        period_end=snap["period_end"],
        vision=snap["sections"].get("vision", ""),
        initiatives=initiatives,
        targets=targets,
        pillar_justifications={k: v["justification"] for k, v in snap["pillars"].items()},
        goals={k: v["goal"] for k, v in snap["pillars"].items()},
    )


def findings(plan: MasterPlan) -> list[checks.Finding]:
    """The plan's checklist, worded in the active language."""
    return checks.check(plan_data(snapshot(plan)), _)


# --- review and approval ---------------------------------------------------------------------------


def new_version(user: User, plan: MasterPlan, event: str) -> PlanVersion:
    number = (plan.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    return PlanVersion.objects.create(
        plan=plan, number=number, snapshot=snapshot(plan), event=event, created_by=user
    )


@transaction.atomic
def submit_plan(user: User, plan: MasterPlan) -> PlanVersion:
    """Submit for review: blocking findings must be fixed first; the submitted version is kept."""
    _editable(user, plan)
    blocking = checks.errors(findings(plan))
    if blocking:
        raise ValidationError([f.message for f in blocking])
    plan.status = PlanStatus.SUBMITTED
    plan.save(update_fields=["status"])
    return new_version(user, plan, "submitted")


def add_comment(user: User, plan: MasterPlan, anchor: str, text: str) -> ReviewComment:
    permissions.require(user, "masterplan.review", plan)
    if not text.strip():
        raise ValidationError({"text": [_("Write the comment.")]})
    return ReviewComment.objects.create(
        plan=plan, version=plan.versions.last(), anchor=anchor[:80], text=text.strip(), author=user
    )


def return_for_revision(user: User, plan: MasterPlan) -> MasterPlan:
    permissions.require(user, "masterplan.review", plan)
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted plan can be returned for revision."))
    plan.status = PlanStatus.REVISION
    plan.save(update_fields=["status"])
    return plan


@transaction.atomic
def approve(user: User, plan: MasterPlan, publish: bool = True) -> PlanVersion:
    """Approve the submitted plan (national admins): its version is frozen for monitoring."""
    permissions.require(user, "masterplan.approve", plan)
    if plan.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted plan can be approved."))
    version = new_version(user, plan, "approved")
    plan.status, plan.approved_version, plan.published = PlanStatus.APPROVED, version, publish
    plan.save(update_fields=["status", "approved_version", "published"])
    if plan.participation_id:
        plan.participation.plan_approved_on = timezone.localdate()
        plan.participation.save(update_fields=["plan_approved_on"])
    return version


def budget_summary(snap: dict[str, Any]) -> dict[str, Any]:
    """Budget totals by year and source from a snapshot (for the document and the API)."""
    years = list(range(snap["period_start"], snap["period_end"] + 1))
    table = {source: dict.fromkeys(years, 0) for source in checks.BUDGET_SOURCES}
    for initiative in snap["initiatives"]:
        for line in initiative["budget"]:
            if line["year"] in table[line["source"]]:
                table[line["source"]][line["year"]] += line["amount"]
    rows = {s: v for s, v in table.items() if any(v.values())}
    totals = {y: sum(v[y] for v in rows.values()) for y in years}
    return {"years": years, "rows": rows, "totals": totals, "grand_total": sum(totals.values())}


def parse_yearly(text: str) -> dict[str, float]:
    """ "2026: 30; 2028: 40" -> {"2026": 30.0, "2028": 40.0}; ValidationError names the bad part."""
    values: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        year, _sep, value = part.partition(":")
        try:  # a decimal comma (Indonesian) or point
            values[str(int(year))] = float(value.replace(" ", "").replace(",", "."))
        except ValueError as exc:
            raise ValidationError(
                {
                    "yearly": [
                        _("Write targets as “year: value; year: value”, not “%(part)s”.") % {"part": part}
                    ]
                }
            ) from exc
    return values


def save_target(
    user: User,
    plan: MasterPlan,
    pillar_key: str,
    indicator_id: int,
    baseline_year: int | None,
    baseline_value: float | None,
    yearly: dict[str, float],
) -> Target:
    """Add an indicator target to a pillar goal: a baseline, and values for years inside the plan period."""
    _editable(user, plan)
    outside = [y for y in yearly if not plan.period_start <= int(y) <= plan.period_end]
    errors: dict[str, list[str]] = {}
    if outside:
        errors["yearly"] = [
            _("Target years %(years)s are outside the plan period %(a)d–%(b)d.")
            % {"years": ", ".join(outside), "a": plan.period_start, "b": plan.period_end}
        ]
    if baseline_year is None or baseline_value is None:
        errors["baseline_value"] = [_("Give the baseline year and value.")]
    if not Indicator.objects.filter(pk=indicator_id).exists():
        errors["indicator"] = [_("Choose an indicator from the catalogue.")]
    if errors:
        raise ValidationError(errors)
    goal = plan.goals.get(pillar__key=pillar_key)
    return goal.targets.create(
        indicator_id=indicator_id,
        baseline_year=baseline_year,
        baseline_value=baseline_value,
        yearly=dict(sorted(yearly.items())),
    )


def delete_target(user: User, plan: MasterPlan, target_id: int) -> None:
    _editable(user, plan)
    Target.objects.filter(pk=target_id, goal__plan=plan).delete()


def region_facts(region_code: str) -> dict[str, Any]:
    """What the plan's regional profile pulls from the registry and the readiness assessment."""
    from kotacerdas.assessment.models import Submission
    from kotacerdas.regions.models import ProfileFact

    facts: dict[str, Any] = {}
    for fact in ProfileFact.objects.filter(region_id=region_code).order_by("metric", "-year"):
        facts.setdefault(
            fact.metric,
            {
                "value": fact.value_text or float(fact.value_number or 0),
                "year": fact.year,
                "source": fact.source,
            },
        )
    readiness = (
        Submission.objects.filter(participation__region_id=region_code, final_score__isnull=False)
        .select_related("participation__cohort")
        .order_by("-participation__cohort__year")
        .first()
    )
    if readiness:
        facts["readiness_score"] = {
            "value": round(readiness.final_score or 0, 2),
            "year": readiness.participation.cohort.year,
            "source": "kotacerdas",
        }
    return facts
