"""The readiness assessment in the JSON API: questionnaires, a region's submission, reviewers' scores."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router

from kotacerdas.core import permissions

from . import services
from .models import Questionnaire, ReviewAssignment, Submission
from .schemas import AnswerOut, AnswersIn, QuestionnaireOut, ReviewOut, ScoresIn, SubmissionOut

router = Router(tags=["assessment"])


@router.get("/questionnaires/{version}", response=QuestionnaireOut)
def get_questionnaire(request: HttpRequest, version: str) -> QuestionnaireOut:
    """A questionnaire version with its dimension weights and criteria (public: regions prepare with it)."""
    questionnaire = get_object_or_404(Questionnaire, version=version)
    criteria = [
        {
            "id": c.pk,
            "code": c.code,
            "dimension": c.dimension.key,
            "sub_element": c.sub_element,
            "question": c.question,
            "scale_min": c.scale_min,
            "scale_max": c.scale_max,
            "weight": c.weight,
            "evidence_required": c.evidence_required,
        }
        for c in services.criteria_of(questionnaire)
    ]
    weights = {d.key: d.weight for d in questionnaire.dimensions.all()}
    return QuestionnaireOut(
        version=questionnaire.version,
        title=questionnaire.title,
        published=questionnaire.published,
        dimension_weights=weights,
        criteria=criteria,
    )


def _submission(request: HttpRequest, pk: int) -> Submission:
    submission = get_object_or_404(
        Submission.objects.select_related("participation__cohort", "participation__region", "questionnaire"),
        pk=pk,
    )
    permissions.require(request.user, "assessment.view_submission", submission)
    return submission


def _out(submission: Submission) -> SubmissionOut:
    answers = [
        AnswerOut(
            criterion_id=a.criterion_id,
            criterion_code=a.criterion.code,
            value=a.value,
            narrative=a.narrative,
            evidence=[e.original_name for e in a.evidence.all()],
        )
        for a in submission.answers.select_related("criterion").prefetch_related("evidence")
    ]
    return SubmissionOut(
        id=submission.pk,
        participant_code=submission.participation.participant_code,
        cohort_year=submission.participation.cohort.year,
        status=submission.status,
        version=submission.version,
        submitted_at=submission.submitted_at,
        deadline=services.deadline_of(submission),
        final_score=submission.final_score,
        dimension_scores=submission.dimension_scores,
        needs_third_review=submission.needs_third_review,
        missing=services.completeness(submission),
        answers=answers,
    )


@router.get("/submissions/{pk}", response=SubmissionOut)
def get_submission(request: HttpRequest, pk: int) -> SubmissionOut:
    """A submission with its answers and what still blocks submitting (national staff, the region)."""
    return _out(_submission(request, pk))


@router.put("/submissions/{pk}/answers", response=SubmissionOut)
def save_answers(request: HttpRequest, pk: int, payload: AnswersIn) -> SubmissionOut:
    """Save draft answers; `version` must be the version you read (a stale write is refused)."""
    submission = _submission(request, pk)
    items = [services.AnswerInput(a.criterion_id, a.value, a.narrative) for a in payload.answers]
    return _out(services.save_answers(request.user, submission, items, payload.version))


@router.post("/submissions/{pk}/submit", response=SubmissionOut)
def submit(request: HttpRequest, pk: int) -> SubmissionOut:
    """Submit before the deadline; afterwards the submission is read-only for the region."""
    return _out(services.submit(request.user, _submission(request, pk)))


@router.get("/reviews", response=list[ReviewOut])
def my_reviews(request: HttpRequest) -> list[ReviewOut]:
    """The signed-in reviewer's assignments."""
    permissions.require(request.user, "program.view_funnel")
    assignments = ReviewAssignment.objects.filter(reviewer=request.user).select_related(
        "submission__participation__cohort",
        "submission__participation__region",
        "submission__participation__province",
    )
    return [
        ReviewOut(
            id=a.pk,
            submission_id=a.submission_id,
            participant_code=a.submission.participation.participant_code,
            cohort_year=a.submission.participation.cohort.year,
            is_third_review=a.is_third_review,
            completed_at=a.completed_at,
        )
        for a in assignments
    ]


@router.put("/reviews/{pk}/scores", response=SubmissionOut)
def save_scores(request: HttpRequest, pk: int, payload: ScoresIn) -> SubmissionOut:
    """Score criteria (only the assigned reviewer); the submission's result is recomputed."""
    assignment = get_object_or_404(ReviewAssignment.objects.select_related("submission"), pk=pk)
    items = [services.ScoreInput(s.criterion_id, s.score, s.comment) for s in payload.scores]
    services.save_scores(request.user, assignment, items)
    submission = Submission.objects.select_related(
        "participation__cohort", "participation__region", "questionnaire"
    ).get(pk=assignment.submission_id)
    return _out(submission)
