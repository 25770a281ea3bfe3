"""Assessment pages: the region fills and submits; reviewers score; the office returns or reopens."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.core import permissions
from kotacerdas.core.http import attempt, flash_errors
from kotacerdas.core.permissions import permission_required
from kotacerdas.core.tabular import XLSX_TYPE, TabularError, read_rows, xlsx_bytes
from kotacerdas.program.models import Participation

from . import questionnaires, services
from .models import Evidence, Questionnaire, ReviewAssignment, Submission


def _submission(pk: int) -> Submission:
    return get_object_or_404(
        Submission.objects.select_related("participation__cohort", "participation__region", "questionnaire"),
        pk=pk,
    )


def _int(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() else None


def open_for_participation(request: HttpRequest, pk: int) -> HttpResponse:
    """Open (creating if needed) the submission of a participation."""
    participation = get_object_or_404(Participation, pk=pk)
    submission = services.submission_for(participation)
    permissions.require(request.user, "assessment.view_submission", submission)
    return redirect("assessment:submission", pk=submission.pk)


def submission_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The questionnaire: editable by the region's officer until submitted; read-only for others."""
    submission = _submission(pk)
    permissions.require(request.user, "assessment.view_submission", submission)
    editable = services.is_editable(submission) and permissions.can(
        request.user, "assessment.edit_submission", submission
    )
    errors: dict[str, list[str]] = {}
    if request.method == "POST" and editable:
        answers = [
            services.AnswerInput(
                c.pk, _int(request.POST.get(f"value_{c.pk}")), request.POST.get(f"narrative_{c.pk}", "")
            )
            for c in services.criteria_of(submission.questionnaire)
        ]
        try:
            services.save_answers(request.user, submission, answers, _int(request.POST.get("version")) or 0)
            messages.success(request, _("Draft saved."))
            return redirect("assessment:submission", pk=pk)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _render_submission(request, submission, editable, errors)


def _render_submission(
    request: HttpRequest, submission: Submission, editable: bool, errors: dict[str, list[str]]
) -> HttpResponse:
    answers = {a.criterion_id: a for a in submission.answers.prefetch_related("evidence")}
    rows = []
    for criterion in services.criteria_of(submission.questionnaire):
        answer = answers.get(criterion.pk)
        posted = request.POST.get(f"value_{criterion.pk}") if errors else None
        rows.append(
            {
                "c": criterion,
                "answer": answer,
                "value": posted or (answer.value if answer else None),
                "scale": range(criterion.scale_min, criterion.scale_max + 1),
                "errors": errors.get(f"value_{criterion.pk}", []),
            }
        )
    context = {
        "submission": submission,
        "rows": rows,
        "editable": editable,
        "form_errors": errors.get("__all__", []),
        "deadline": services.deadline_of(submission),
        "problems": services.completeness(submission),
        "can_manage": permissions.can(request.user, "program.manage"),
        "result": services.breakdown(submission)
        if permissions.can(request.user, "program.view_funnel")
        else None,
    }
    return render(request, "assessment/submission.html", context, status=400 if errors else 200)


@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission(pk)
    attempt(
        request,
        lambda: services.submit(request.user, submission),
        _("Assessment submitted. It is now read-only for your region."),
    )
    return redirect("assessment:submission", pk=pk)


@require_POST
def upload_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission(pk)
    upload = request.FILES.get("file")
    criterion = _int(request.POST.get("criterion"))
    try:
        if upload is None or criterion is None:
            raise ValidationError(_("Choose a file to upload."))
        services.attach_evidence(request.user, submission, criterion, upload)
        messages.success(request, _("Evidence uploaded."))
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("assessment:submission", pk=pk)


@require_POST
@permission_required("program.manage")
def return_or_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission(pk)
    try:
        if request.POST.get("action") == "reopen":
            until = parse_datetime(request.POST.get("until", "") or "")
            if until is None:
                raise ValidationError(_("Give the date and time until which the assessment is reopened."))
            services.reopen(request.user, submission, _aware(until))
            messages.success(request, _("Assessment reopened."))
        else:
            services.return_submission(request.user, submission, request.POST.get("note", ""))
            messages.success(request, _("Assessment returned to the region."))
    except ValidationError as exc:
        flash_errors(request, exc)
    return redirect("assessment:submission", pk=pk)


def _aware(value: datetime) -> datetime:
    return value if timezone.is_aware(value) else timezone.make_aware(value)


@permission_required("program.view_funnel")
def my_reviews(request: HttpRequest) -> HttpResponse:
    assignments = (
        ReviewAssignment.objects.filter(reviewer=request.user)
        .select_related("submission__participation__region", "submission__participation__cohort")
        .order_by("completed_at", "-assigned_at")
    )
    return render(request, "assessment/my_reviews.html", {"assignments": assignments})


def review_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The assigned reviewer scores every criterion with a comment, seeing the region's answers."""
    assignment = get_object_or_404(
        ReviewAssignment.objects.select_related("submission__questionnaire"), pk=pk
    )
    permissions.require(request.user, "assessment.score", assignment)
    submission = assignment.submission
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        scores = [
            services.ScoreInput(
                c.pk, _int(request.POST.get(f"score_{c.pk}")), request.POST.get(f"comment_{c.pk}", "")
            )
            for c in services.criteria_of(submission.questionnaire)
        ]
        try:
            services.save_scores(request.user, assignment, scores)
            messages.success(request, _("Scores saved."))
            return redirect("assessment:review", pk=pk)
        except ValidationError as exc:
            errors = exc.message_dict
    mine = {s.criterion_id: s for s in assignment.scores.all()}
    answers = {a.criterion_id: a for a in submission.answers.prefetch_related("evidence")}
    rows = [
        {
            "c": c,
            "answer": answers.get(c.pk),
            "mine": mine.get(c.pk),
            "scale": range(c.scale_min, c.scale_max + 1),
            "errors": errors.get(f"score_{c.pk}", []),
        }
        for c in services.criteria_of(submission.questionnaire)
    ]
    return render(
        request, "assessment/review.html", {"a": assignment, "rows": rows}, status=400 if errors else 200
    )


@permission_required("program.manage")
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    services.ensure_default_questionnaire()
    error = ""
    if request.method == "POST" and request.FILES.get("file"):
        upload = request.FILES["file"]
        try:
            q = questionnaires.import_rows(
                request.user,
                request.POST.get("version", ""),
                request.POST.get("title", ""),
                read_rows(upload, upload.name),
            )
            messages.success(request, _("Questionnaire %(v)s imported.") % {"v": q.version})
            return redirect("assessment:questionnaires")
        except (TabularError, ValidationError) as exc:
            error = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    return render(
        request,
        "assessment/questionnaires.html",
        {"questionnaires": Questionnaire.objects.all(), "error": error},
        status=400 if error else 200,
    )


@permission_required("program.manage")
def questionnaire_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    header, rows = questionnaires.export_rows(questionnaire)
    response = HttpResponse(xlsx_bytes(questionnaire.version, header, rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="questionnaire-{questionnaire.version}.xlsx"'
    return response


def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """An evidence file, for those who may see its submission (never a public media URL)."""
    evidence = get_object_or_404(Evidence.objects.select_related("answer__submission__participation"), pk=pk)
    permissions.require(request.user, "assessment.view_submission", evidence.answer.submission)
    return FileResponse(
        evidence.file.open("rb"), filename=evidence.original_name, content_type=evidence.content_type
    )
