"""Business rules of the readiness assessment; pages, API and CLI call these. Scoring is in scoring.py."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.core import notify, permissions, uploads
from kotacerdas.core.models import Role, User

from . import data, scoring
from .models import (
    Answer,
    Criterion,
    Dimension,
    Evidence,
    Questionnaire,
    ReviewAssignment,
    ReviewScore,
    Submission,
    SubmissionStatus,
)

log = logging.getLogger(__name__)

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EDITABLE = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


# --- questionnaire ---------------------------------------------------------------------------------


@transaction.atomic
def ensure_default_questionnaire() -> Questionnaire:
    """The default questionnaire (assessment.data), created once and published."""
    questionnaire, created = Questionnaire.objects.get_or_create(
        version=data.DEFAULT_VERSION, defaults={"title": data.DEFAULT_TITLE, "published": True}
    )
    if created:
        for d_order, (key, name, weight, criteria) in enumerate(data.DIMENSIONS):
            dimension = Dimension.objects.create(
                questionnaire=questionnaire, key=key, name=name, weight=weight, order=d_order
            )
            Criterion.objects.bulk_create(
                Criterion(
                    dimension=dimension,
                    code=code,
                    sub_element=sub,
                    question=q,
                    evidence_required=ev,
                    order=c_order,
                )
                for c_order, (code, sub, q, ev) in enumerate(criteria)
            )
    return questionnaire


def criteria_of(questionnaire: Questionnaire) -> QuerySet[Criterion]:
    return Criterion.objects.filter(dimension__questionnaire=questionnaire).select_related("dimension")


def structure_of(questionnaire: Questionnaire) -> scoring.Structure:
    """The pure scoring structure of a questionnaire (criterion keys are database ids as strings)."""
    criteria = [
        scoring.Criterion(str(c.pk), c.dimension.key, c.sub_element, c.scale_min, c.scale_max, c.weight)
        for c in criteria_of(questionnaire)
    ]
    weights = {d.key: d.weight for d in questionnaire.dimensions.order_by("order")}
    return scoring.Structure(criteria, weights)


# --- the region's submission -----------------------------------------------------------------------


def submission_for(participation: Any) -> Submission:
    """The participant's submission, created as a draft on first use with the cohort's questionnaire."""
    questionnaire = participation.cohort.questionnaire or ensure_default_questionnaire()
    submission, _created = Submission.objects.get_or_create(
        participation=participation, defaults={"questionnaire": questionnaire}
    )
    return submission


def is_editable(submission: Submission) -> bool:
    return submission.status in EDITABLE


def deadline_of(submission: Submission) -> datetime | None:
    """The effective deadline: the admin's reopening if later than the cohort's."""
    deadline = submission.participation.cohort.submission_deadline
    reopened = submission.reopened_until
    if reopened and (deadline is None or reopened > deadline):
        return reopened
    return deadline


@dataclass(frozen=True)
class AnswerInput:
    criterion_id: int
    value: int | None
    narrative: str


def save_answers(user: User, submission: Submission, answers: list[AnswerInput], version: int) -> Submission:
    """Save a draft's answers; ValidationError lists every field error, nothing is saved then.

    `version` is the submission version the form was loaded with: a stale form is refused.
    """
    permissions.require(user, "assessment.edit_submission", submission)
    errors: dict[str, list[str]] = {}
    criteria = {c.pk: c for c in criteria_of(submission.questionnaire)}
    for item in answers:
        criterion = criteria.get(item.criterion_id)
        if criterion is None:
            errors.setdefault("__all__", []).append(
                _("Unknown criterion %(id)s.") % {"id": item.criterion_id}
            )
        elif item.value is not None and not criterion.scale_min <= item.value <= criterion.scale_max:
            errors[f"value_{criterion.pk}"] = [
                _("Choose a value from %(lo)d to %(hi)d.")
                % {"lo": criterion.scale_min, "hi": criterion.scale_max}
            ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.version != version:
            raise ValidationError(
                _("Someone saved this assessment after you opened it. Reload the page to see their changes.")
            )
        if not is_editable(locked):
            raise ValidationError(_("This assessment was submitted and can no longer be changed."))
        for item in answers:
            Answer.objects.update_or_create(
                submission=locked,
                criterion_id=item.criterion_id,
                defaults={"value": item.value, "narrative": item.narrative.strip()},
            )
        locked.version += 1
        locked.save(update_fields=["version"])
    return locked


def check_evidence_file(upload: UploadedFile) -> str:
    """The content type of an acceptable evidence file (PDF, PNG, JPEG; at most 10 MB)."""
    return uploads.check_upload(upload, uploads.DOCUMENTS, MAX_EVIDENCE_BYTES)


def attach_evidence(user: User, submission: Submission, criterion_id: int, upload: UploadedFile) -> Evidence:
    permissions.require(user, "assessment.edit_submission", submission)
    if not is_editable(submission):
        raise ValidationError(_("This assessment was submitted and can no longer be changed."))
    content_type = check_evidence_file(upload)
    criterion = criteria_of(submission.questionnaire).filter(pk=criterion_id).first()
    if criterion is None:
        raise ValidationError(_("Unknown criterion %(id)s.") % {"id": criterion_id})
    with transaction.atomic():
        answer, _created = Answer.objects.get_or_create(submission=submission, criterion=criterion)
        return Evidence.objects.create(
            answer=answer,
            file=upload,
            original_name=(upload.name or "")[:200],
            content_type=content_type,
            size=upload.size or 0,
            uploaded_by=user,
        )


def completeness(submission: Submission) -> list[str]:
    """What still blocks submission: unanswered criteria and missing required evidence."""
    answers = {a.criterion_id: a for a in submission.answers.prefetch_related("evidence")}
    problems = []
    for criterion in criteria_of(submission.questionnaire):
        answer = answers.get(criterion.pk)
        if answer is None or answer.value is None:
            problems.append(_("%(code)s is not answered.") % {"code": criterion.code})
        elif criterion.evidence_required and not answer.evidence.all():
            problems.append(_("%(code)s needs an evidence file.") % {"code": criterion.code})
    return problems


def submit(user: User, submission: Submission, now: datetime | None = None) -> Submission:
    """Submit a complete draft before the deadline; it becomes read-only for the region."""
    permissions.require(user, "assessment.edit_submission", submission)
    now = now or timezone.now()
    deadline = deadline_of(submission)
    if deadline and now > deadline:
        raise ValidationError(
            _("The deadline (%(deadline)s) has passed. Ask the national office to reopen your assessment.")
            % {"deadline": timezone.localtime(deadline).strftime("%d-%m-%Y %H:%M")}
        )
    if not is_editable(submission):
        raise ValidationError(_("This assessment was already submitted."))
    problems = completeness(submission)
    if problems:
        raise ValidationError(problems)
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = now
    submission.version += 1
    submission.save()
    notify.notify(
        notify.national_admins(),
        "assessment_submitted",
        _("%(region)s submitted its readiness assessment")
        % {"region": submission.participation.participant_name},
    )
    return submission


def reopen(user: User, submission: Submission, until: datetime) -> Submission:
    """A national admin accepts a late submission until the given time (audited)."""
    permissions.require(user, "program.manage")
    submission.reopened_until = until
    if submission.status == SubmissionStatus.SUBMITTED:
        submission.status = SubmissionStatus.RETURNED
    submission.save()
    return submission


def return_submission(user: User, submission: Submission, note: str) -> Submission:
    """Send a submitted assessment back to the region for correction, with a note."""
    permissions.require(user, "program.manage")
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted assessment can be returned."))
    if not note.strip():
        raise ValidationError({"note": [_("Say what the region must correct.")]})
    submission.status, submission.return_note = SubmissionStatus.RETURNED, note.strip()
    submission.save()
    region = submission.participation.region_id
    notify.notify(
        notify.officers_of([region] if region else []),
        "assessment_returned",
        _("Your readiness assessment was returned for correction"),
        note,
    )
    return submission


# --- reviews ---------------------------------------------------------------------------------------


def reviewer_conflict(reviewer: User, submission: Submission) -> str:
    """Why this reviewer may not score this submission ("" when allowed)."""
    if reviewer.role != Role.NATIONAL_REVIEWER:
        return _("%(user)s is not a national reviewer.") % {"user": reviewer.username}
    cohort = submission.participation.cohort
    if cohort.exclude_own_province and reviewer.home_province_id == submission.participation.province_code:
        return _("%(user)s may not score a region of their own province.") % {"user": reviewer.username}
    return ""


def assign(user: User, submission: Submission, reviewer: User, third: bool = False) -> ReviewAssignment:
    permissions.require(user, "program.manage")
    conflict = reviewer_conflict(reviewer, submission)
    if conflict:
        raise ValidationError(conflict)
    if submission.status not in (SubmissionStatus.SUBMITTED, SubmissionStatus.SCORED):
        raise ValidationError(_("Only submitted assessments are reviewed."))
    assignment, _created = ReviewAssignment.objects.get_or_create(
        submission=submission, reviewer=reviewer, defaults={"is_third_review": third}
    )
    notify.notify(
        [reviewer],
        "review_assigned",
        _("New assessment to score: %(region)s") % {"region": submission.participation.participant_name},
    )
    return assignment


def auto_assign(user: User, cohort: Any) -> int:
    """Give every submitted assessment of the cohort its reviewers, balancing load, respecting conflicts."""
    permissions.require(user, "program.manage")
    reviewers = list(User.objects.filter(role=Role.NATIONAL_REVIEWER, is_active=True).order_by("pk"))
    load = Counter(
        ReviewAssignment.objects.filter(submission__participation__cohort=cohort).values_list(
            "reviewer", flat=True
        )
    )
    created = 0
    submitted = Submission.objects.filter(participation__cohort=cohort, status=SubmissionStatus.SUBMITTED)
    for submission in submitted.select_related("participation__region", "participation__cohort"):
        have = set(submission.assignments.values_list("reviewer_id", flat=True))
        need = cohort.reviewers_per_submission - len(have)
        eligible = [r for r in reviewers if r.pk not in have and not reviewer_conflict(r, submission)]
        for reviewer in sorted(eligible, key=lambda r: (load[r.pk], r.pk))[: max(need, 0)]:
            assign(user, submission, reviewer)
            load[reviewer.pk] += 1
            created += 1
    return created


@dataclass(frozen=True)
class ScoreInput:
    criterion_id: int
    score: int | None
    comment: str


def save_scores(user: User, assignment: ReviewAssignment, scores: list[ScoreInput]) -> ReviewAssignment:
    """The assigned reviewer scores criteria (with comments); complete when every criterion has a score."""
    permissions.require(user, "assessment.score", assignment)
    criteria = {c.pk: c for c in criteria_of(assignment.submission.questionnaire)}
    errors = {}
    for item in scores:
        c = criteria.get(item.criterion_id)
        if c is None or (item.score is not None and not c.scale_min <= item.score <= c.scale_max):
            lo, hi = (c.scale_min, c.scale_max) if c else (1, 5)
            errors[f"score_{item.criterion_id}"] = [
                _("Choose a score from %(lo)d to %(hi)d.") % {"lo": lo, "hi": hi}
            ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for item in scores:
            if item.score is None:
                ReviewScore.objects.filter(assignment=assignment, criterion_id=item.criterion_id).delete()
                continue
            ReviewScore.objects.update_or_create(
                assignment=assignment,
                criterion_id=item.criterion_id,
                defaults={"score": item.score, "comment": item.comment.strip()},
            )
        done = assignment.scores.count() == len(criteria)
        assignment.completed_at = assignment.completed_at or timezone.now() if done else None
        assignment.save(update_fields=["completed_at"])
        recompute(assignment.submission)
    return assignment


def reviews_of(submission: Submission) -> dict[str, dict[str, float | None]]:
    """{reviewer username: {criterion id: score}} of the completed reviews."""
    reviews: dict[str, dict[str, float | None]] = {}
    for assignment in submission.assignments.exclude(completed_at=None).select_related("reviewer"):
        reviews[assignment.reviewer.username] = {
            str(cid): float(score) for cid, score in assignment.scores.values_list("criterion_id", "score")
        }
    return reviews


def recompute(submission: Submission) -> Submission:
    """Store the aggregated result (scoring.aggregate) once enough reviews are complete."""
    reviews = reviews_of(submission)
    cohort = submission.participation.cohort
    if len(reviews) < min(cohort.reviewers_per_submission, 2) or not reviews:
        submission.final_score, submission.needs_third_review = None, False
        submission.save(update_fields=["final_score", "needs_third_review"])
        return submission
    result = scoring.aggregate(
        structure_of(submission.questionnaire), reviews, submission.questionnaire.disagreement_threshold
    )
    submission.final_score = round(result.total, 4)
    submission.dimension_scores = {k: round(v, 4) for k, v in result.dimensions.items()}
    submission.disagreement = round(result.disagreement, 4)
    submission.needs_third_review = result.needs_third_review
    submission.status = SubmissionStatus.SCORED
    submission.save()
    return submission


def breakdown(submission: Submission) -> scoring.FinalResult | None:
    """The full result with each reviewer's numbers ("why this score?")."""
    reviews = reviews_of(submission)
    if not reviews:
        return None
    return scoring.aggregate(
        structure_of(submission.questionnaire), reviews, submission.questionnaire.disagreement_threshold
    )


def scores_by_criterion(submission: Submission) -> Mapping[int, list[ReviewScore]]:
    result: dict[int, list[ReviewScore]] = {}
    for score in ReviewScore.objects.filter(assignment__submission=submission).select_related(
        "assignment__reviewer"
    ):
        result.setdefault(score.criterion_id, []).append(score)
    return result


def recompute_cohort(cohort: Any) -> int:
    """Re-score every reviewed submission of a cohort in memory (one query for all scores), e.g. after a
    change of weights; returns how many submissions have a final score."""
    submissions = {
        s.pk: s
        for s in Submission.objects.filter(participation__cohort=cohort).select_related("questionnaire")
    }
    reviews: dict[int, dict[str, dict[str, float | None]]] = {}
    rows = ReviewScore.objects.filter(
        assignment__submission__in=list(submissions), assignment__completed_at__isnull=False
    ).values_list("assignment__submission_id", "assignment__reviewer_id", "criterion_id", "score")
    for submission_id, reviewer, criterion_id, score in rows.iterator(chunk_size=10_000):
        reviews.setdefault(submission_id, {}).setdefault(str(reviewer), {})[str(criterion_id)] = float(score)
    structures: dict[int, scoring.Structure] = {}
    changed = []
    for pk, submission in submissions.items():
        given = reviews.get(pk, {})
        if len(given) < min(cohort.reviewers_per_submission, 2):
            continue
        if submission.questionnaire_id not in structures:
            structures[submission.questionnaire_id] = structure_of(submission.questionnaire)
        structure = structures[submission.questionnaire_id]
        result = scoring.aggregate(structure, given, submission.questionnaire.disagreement_threshold)
        submission.final_score = round(result.total, 4)
        submission.dimension_scores = {k: round(v, 4) for k, v in result.dimensions.items()}
        submission.disagreement = round(result.disagreement, 4)
        submission.needs_third_review = result.needs_third_review
        submission.status = SubmissionStatus.SCORED
        changed.append(submission)
    fields = ["final_score", "dimension_scores", "disagreement", "needs_third_review", "status"]
    with transaction.atomic():  # one UPDATE per row is cheaper than bulk_update's CASE for these few fields
        for submission in changed:
            Submission.objects.filter(pk=submission.pk).update(**{f: getattr(submission, f) for f in fields})
    return len(changed)


REMINDER_DAYS = (7, 1)


def deadline_reminders(now: datetime | None = None) -> int:
    """Remind the officers of every unsubmitted assessment 7 days and 1 day before its cohort's deadline.

    Run daily (`kotacerdas manage send_deadline_reminders`); a reminder is sent once per submission and step.
    """
    from kotacerdas.core.models import Notification
    from kotacerdas.program.models import Participation

    now = now or timezone.now()
    sent = 0
    open_parts = (
        Participation.objects.filter(cohort__submission_deadline__gt=now, region__isnull=False)
        .exclude(submission__status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.SCORED])
        .select_related("cohort")
    )
    for participation in open_parts:
        left = participation.cohort.submission_deadline - now
        step = next((d for d in sorted(REMINDER_DAYS) if left <= timedelta(days=d)), None)
        if step is None:
            continue
        kind = f"deadline_{participation.cohort.year}_{step}d"
        officers = [
            u
            for u in notify.officers_of([participation.region_id])
            if not Notification.objects.filter(user=u, kind=kind).exists()
        ]
        notify.notify(
            officers,
            kind,
            _("The readiness assessment is due in %(days)d day(s)") % {"days": step},
            _("Submit before %(deadline)s.")
            % {
                "deadline": timezone.localtime(participation.cohort.submission_deadline).strftime(
                    "%d-%m-%Y %H:%M"
                )
            },
            f"/program/{participation.cohort.year}/",
        )
        sent += len(officers)
    return sent
