"""Monitoring pages: every flagged initiative (national staff), a region's initiatives, an initiative's
reports (report, verify, milestones), and a region's evaluation (self-assessment, impact survey,
verification)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.core.http import attempt, flash_errors
from kotacerdas.core.permissions import can, permission_required, require
from kotacerdas.core.tabular import TabularError, read_rows
from kotacerdas.pillars.models import Element
from kotacerdas.regions.models import Region

from . import evaluation, services
from .forms import (
    AssessorForm,
    MilestoneForm,
    ProgressForm,
    SelfAssessmentForm,
    SurveyAnswerForm,
    SurveyUploadForm,
    VerifyForm,
)
from .models import EvaluationRound, Milestone, ProgressReport, SelfAssessment


@permission_required("monitoring.verify")
def overview(request: HttpRequest) -> HttpResponse:
    """Late and unreported initiatives of every region, and reports waiting for verification."""
    waiting = ProgressReport.objects.filter(verified_at=None).select_related("initiative__plan__region")[:200]
    return render(request, "monitoring/overview.html", {"flagged": services.flagged(), "waiting": waiting})


def region(request: HttpRequest, code: str) -> HttpResponse:
    found = get_object_or_404(Region, code=code)
    require(request.user, "monitoring.view", code)
    return render(request, "monitoring/region.html", {"region": found, "tracked": services.tracked(code)})


def initiative(request: HttpRequest, pk: int) -> HttpResponse:
    """An initiative's reports and milestones; its region's officers report, reviewers verify."""
    found = get_object_or_404(services.approved_initiatives(), pk=pk)
    code = services.region_of(found)
    require(request.user, "monitoring.view", code)
    form = ProgressForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            files = [request.FILES["evidence"]] if "evidence" in request.FILES else []
            services.report_progress(request.user, found, form.cleaned_data, form.budget(), files)
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("The progress report is saved."))
            return redirect("monitoring:initiative", pk=pk)
    context = {
        "initiative": found,
        "state": services.lateness(found),
        "form": form,
        "reports": found.progress_reports.select_related("reported_by", "verified_by").prefetch_related(
            "budget", "evidence"
        ),
        "milestone_form": MilestoneForm(),
        "verify_form": VerifyForm(),
        "can_report": can(request.user, "monitoring.report", code),
        "can_verify": can(request.user, "monitoring.verify"),
    }
    return render(request, "monitoring/initiative.html", context, status=400 if form.errors else 200)


@require_POST
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(ProgressReport, pk=pk)
    attempt(
        request,
        lambda: services.verify_report(request.user, report, request.POST.get("note", "")),
        _("The report is verified."),
    )
    return redirect("monitoring:initiative", pk=report.initiative_id)


@require_POST
def add_milestone(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(services.approved_initiatives(), pk=pk)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: services.add_milestone(request.user, found, **form.cleaned_data),
            _("The milestone is added."),
        )
    else:
        messages.error(request, _("Give the milestone a title and a due date."))
    return redirect("monitoring:initiative", pk=pk)


@require_POST
def complete_milestone(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone.objects.select_related("initiative__plan"), pk=pk)
    attempt(
        request,
        lambda: services.complete_milestone(request.user, milestone, timezone.localdate()),
        _("The milestone is done."),
    )
    return redirect("monitoring:initiative", pk=milestone.initiative_id)


def region_evaluation(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The region's self-assessment and impact survey for a round; assessors verify here."""
    found = get_object_or_404(Region, code=code)
    require(request.user, "monitoring.view", code)
    round_ = EvaluationRound.objects.filter(year=year).first()
    if round_ is None:
        raise Http404(_("No evaluation window for %(year)d.") % {"year": year})
    form = SelfAssessmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and "dimension" in request.POST and form.is_valid():
        data = form.cleaned_data
        if attempt(
            request,
            lambda: evaluation.self_assess(
                request.user,
                round_,
                code,
                data["dimension"],
                data["score"],
                data["narrative"],
                request.FILES.get("evidence"),
            ),
            _("The self-assessment is saved."),
        ):
            return redirect(request.path)
    context = {
        "region": found,
        "round": round_,
        "form": form,
        "upload_form": SurveyUploadForm(),
        "answer_form": SurveyAnswerForm(elements=element_choices()),
        "assessor_form": AssessorForm(),
        "assessments": SelfAssessment.objects.filter(round=round_, region=found),
        "surveys": round_.surveys.filter(region=found)
        .select_related("element")
        .prefetch_related("responses"),
        "can_assess": can(request.user, "evaluation.self_assess", code),
        "can_verify": can(request.user, "monitoring.verify"),
    }
    return render(request, "monitoring/evaluation.html", context)


@require_POST
def upload_survey(request: HttpRequest, code: str, year: int) -> HttpResponse:
    round_ = get_object_or_404(EvaluationRound, year=year)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationError(_("Choose a file."))
        rows = read_rows(upload, upload.name or "")
        stored = evaluation.import_survey(request.user, round_, code, rows)
    except TabularError as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("%(count)d answers are stored.") % {"count": stored})
    return redirect("monitoring:evaluation", code=code, year=year)


@require_POST
def enter_answers(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """One respondent's answers typed in; checked exactly like an imported row."""
    round_ = get_object_or_404(EvaluationRound, year=year)
    form = SurveyAnswerForm(request.POST, elements=element_choices())
    if not form.is_valid():
        messages.error(request, _("Fill in the element, program, respondent and answers."))
    else:
        attempt(
            request,
            lambda: evaluation.import_survey(request.user, round_, code, [form.row()]),
            _("%(count)d answers are stored.") % {"count": 1},
        )
    return redirect("monitoring:evaluation", code=code, year=year)


def element_choices() -> list[tuple[str, str]]:
    return [(e.key, f"{e.pillar.name}: {e.name}") for e in Element.objects.select_related("pillar")]


@require_POST
def verify_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(SelfAssessment.objects.select_related("round"), pk=pk)
    form = AssessorForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: evaluation.verify_assessment(
                request.user, assessment, form.cleaned_data["score"], form.cleaned_data["notes"]
            ),
            _("The score is verified."),
        )
    else:
        messages.error(request, _("Enter the verified score and the interview notes."))
    return redirect("monitoring:evaluation", code=assessment.region_id, year=assessment.round.year)
