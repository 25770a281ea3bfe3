"""Implementation monitoring: progress reports with realised budget and evidence, verification, the
computed lateness of every initiative of an approved plan, and the weekly digest of late or unreported
items. The API, the pages and the CLI all call these functions."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Prefetch, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.core import notify
from kotacerdas.core.permissions import require
from kotacerdas.core.text import translated
from kotacerdas.core.uploads import WORKSHEETS, check_upload
from kotacerdas.masterplan.checks import BUDGET_SOURCES
from kotacerdas.masterplan.models import Initiative, PlanStatus

from . import progress
from .models import BudgetRealisation, Milestone, ProgressEvidence, ProgressReport, ProgressStatus

log = logging.getLogger("kotacerdas.monitoring")
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


def approved_initiatives(region: str | None = None) -> QuerySet[Initiative]:
    """Initiatives of approved master plans (of one region), with what lateness needs prefetched."""
    initiatives = Initiative.objects.filter(plan__status=PlanStatus.APPROVED).select_related(
        "plan__region", "element__pillar"
    )
    if region is not None:
        initiatives = initiatives.filter(plan__region_id=region)
    return initiatives.prefetch_related(
        "milestones",
        Prefetch("progress_reports", queryset=ProgressReport.objects.order_by("-reported_on", "-pk")),
    )


def region_of(initiative: Initiative) -> str:
    return str(initiative.plan.region_id)


# --- reporting ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Realised:
    year: int
    source: str
    amount: int


def report_progress(
    user: Any,
    initiative: Initiative,
    data: Mapping[str, Any],
    budget: Sequence[Realised] = (),
    files: Iterable[UploadedFile] = (),
) -> ProgressReport:
    """Record a progress report for an initiative of the officer's own approved plan. Refused with
    field errors: progress outside 0–100 %, a dropped item without a reason, done below 100 %, a budget
    line that is negative or of an unknown source, spending above the plan without a justification."""
    require(user, "monitoring.report", initiative.plan.region_id)
    _check_report(initiative, data, budget)
    uploads = [(f, check_upload(f, WORKSHEETS, MAX_EVIDENCE_BYTES)) for f in files]
    with transaction.atomic():
        report = ProgressReport.objects.create(
            initiative=initiative,
            reported_on=data.get("reported_on") or timezone.localdate(),
            percent=int(data["percent"]),
            status=data["status"],
            narrative=data["narrative"],
            drop_reason=data.get("drop_reason", ""),
            budget_justification=data.get("budget_justification", ""),
            reported_by=user,
        )
        BudgetRealisation.objects.bulk_create(
            BudgetRealisation(report=report, year=b.year, source=b.source, amount=b.amount) for b in budget
        )
        for upload, content_type in uploads:
            ProgressEvidence.objects.create(
                report=report,
                file=upload,
                original_name=upload.name or "",
                content_type=content_type,
                size=upload.size or 0,
            )
    log.info("progress reported", extra={"initiative": initiative.pk, "percent": report.percent})
    return report


def _check_report(initiative: Initiative, data: Mapping[str, Any], budget: Sequence[Realised]) -> None:
    errors: dict[str, list[str]] = defaultdict(list)
    if initiative.plan.status != PlanStatus.APPROVED:
        errors["initiative"].append(_("Progress is reported on initiatives of an approved master plan."))
    percent = _number(data.get("percent"))
    if percent is None:
        errors["percent"].append(_("Enter the progress as a whole number of percent."))
    elif not 0 <= percent <= 100:
        errors["percent"].append(
            _("Progress is between 0 and 100 %%; %(value)s is not.") % {"value": percent}
        )
    status = data.get("status")
    if status not in ProgressStatus.values:
        errors["status"].append(_("Choose a status."))
    if status == ProgressStatus.DROPPED and not str(data.get("drop_reason", "")).strip():
        errors["drop_reason"].append(_("Say why the initiative is dropped."))
    if status == ProgressStatus.DONE and percent is not None and percent < 100:
        errors["status"].append(_("A done initiative is at 100 %."))
    reported_on = data.get("reported_on")
    if isinstance(reported_on, date) and reported_on > timezone.localdate():
        errors["reported_on"].append(_("A report cannot describe a day in the future."))
    if not str(data.get("narrative", "")).strip():
        errors["narrative"].append(_("Describe what was done."))
    errors["budget"].extend(_budget_errors(initiative, budget, str(data.get("budget_justification", ""))))
    if any(errors.values()):
        raise ValidationError({k: v for k, v in errors.items() if v})


def _number(value: Any) -> int | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def _budget_errors(initiative: Initiative, budget: Sequence[Realised], justification: str) -> list[str]:
    errors = []
    for line in budget:
        if line.source not in BUDGET_SOURCES:
            errors.append(_("Unknown budget source %(source)s.") % {"source": line.source})
        if line.amount < 0:
            errors.append(_("A realised amount cannot be negative."))
    over = over_plan(initiative, budget)
    if over and not justification.strip():
        errors.append(
            _("The realised budget is above the plan (%(years)s); add a justification.")
            % {"years": ", ".join(str(y) for y in over)}
        )
    return errors


def over_plan(initiative: Initiative, budget: Sequence[Realised]) -> list[int]:
    """Years in which this report's realised total exceeds the plan's indicative budget for that year."""
    planned = dict(
        initiative.budget_lines.values("year").annotate(total=Sum("amount")).values_list("year", "total")
    )
    realised: dict[int, int] = defaultdict(int)
    for line in budget:
        realised[line.year] += line.amount
    return sorted(year for year, total in realised.items() if total > planned.get(year, 0))


def verify_report(user: Any, report: ProgressReport, note: str = "") -> ProgressReport:
    """A national reviewer confirms a report; from then on it counts in the evaluation."""
    require(user, "monitoring.verify", report)
    report.verified_by, report.verified_at, report.verification_note = user, timezone.now(), note
    report.save(update_fields=["verified_by", "verified_at", "verification_note"])
    return report


def add_milestone(user: Any, initiative: Initiative, title: str, due_on: date) -> Milestone:
    require(user, "monitoring.report", initiative.plan.region_id)
    if not title.strip():
        raise ValidationError({"title": [_("Name the milestone.")]})
    return Milestone.objects.create(initiative=initiative, title=title.strip(), due_on=due_on)


def complete_milestone(user: Any, milestone: Milestone, done_on: date) -> Milestone:
    require(user, "monitoring.report", milestone.initiative.plan.region_id)
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    return milestone


# --- lateness -----------------------------------------------------------------------------------------


def latest_report(
    initiative: Initiative, verified_only: bool = False, until: date | None = None
) -> ProgressReport | None:
    """The newest report (uses the prefetched, newest-first list)."""
    for report in initiative.progress_reports.all():
        if verified_only and report.verified_at is None:
            continue
        if until is not None and report.reported_on > until:
            continue
        return report
    return None


def as_report(report: ProgressReport | None) -> progress.Report | None:
    return None if report is None else progress.Report(report.reported_on, report.percent, report.status)


def lateness(initiative: Initiative, today: date | None = None) -> progress.Lateness:
    """The computed state of an initiative against its roadmap on a day (default today)."""
    milestones = [progress.Milestone(m.title, m.due_on, m.done_on) for m in initiative.milestones.all()]
    latest = as_report(latest_report(initiative))
    return progress.assess(
        initiative.start_year, initiative.end_year, latest, milestones, today or timezone.localdate()
    )


@dataclass(frozen=True)
class Tracked:
    """An initiative with its newest report and its computed state (the rows of a monitoring page)."""

    initiative: Initiative
    latest: ProgressReport | None
    state: progress.Lateness


def tracked(region: str | None = None, today: date | None = None) -> list[Tracked]:
    return [Tracked(i, latest_report(i), lateness(i, today)) for i in approved_initiatives(region)]


def flagged(region: str | None = None, today: date | None = None) -> list[Tracked]:
    """Late or unreported initiatives (of one region, or of every region)."""
    return [t for t in tracked(region, today) if t.state.flagged]


# --- the weekly digest --------------------------------------------------------------------------------


DIGEST_EVERY_DAYS = 7


def digest_due(now: Any = None) -> dict[str, int] | None:
    """Send the weekly digest when none was sent in the last seven days (the worker asks every hour)."""
    from kotacerdas.core.models import Notification

    now = now or timezone.now()
    recent = Notification.objects.filter(
        kind="monitoring.digest", created__gte=now - timedelta(days=DIGEST_EVERY_DAYS)
    )
    if recent.exists():
        return None
    return weekly_digest(timezone.localdate(now))


def weekly_digest(today: date | None = None) -> dict[str, int]:
    """Email (and notify in-app) each region's officers about their late and unreported items, and the
    national admins about the totals. Returns the number of flagged items per region."""
    by_region: dict[str, list[Tracked]] = defaultdict(list)
    for item in flagged(None, today):
        by_region[region_of(item.initiative)].append(item)
    for code, items in sorted(by_region.items()):
        notify.notify(
            notify.officers_of([code]),
            "monitoring.digest",
            _("%(count)d initiatives need attention") % {"count": len(items)},
            "\n".join(
                f"- {t.initiative.title}: {'; '.join(translated(r, _) for r in t.state.reasons)}"
                for t in items
            ),
            reverse("monitoring:region", args=[code]),
        )
    if by_region:
        lines = [f"- {code}: {len(items)}" for code, items in sorted(by_region.items())]
        notify.notify(
            notify.national_admins(),
            "monitoring.digest",
            _("Weekly monitoring digest: %(count)d regions with late or unreported items")
            % {"count": len(by_region)},
            "\n".join(lines),
            reverse("monitoring:overview"),
        )
    return {code: len(items) for code, items in by_region.items()}
