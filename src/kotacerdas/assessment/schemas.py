"""Public shapes of the assessment in the JSON API."""

from datetime import datetime

from ninja import Schema
from pydantic import Field


class CriterionOut(Schema):
    id: int
    code: str
    dimension: str
    sub_element: str
    question: str
    scale_min: int
    scale_max: int
    weight: float
    evidence_required: bool


class QuestionnaireOut(Schema):
    version: str
    title: str
    published: bool
    dimension_weights: dict[str, float]
    criteria: list[CriterionOut]


class AnswerOut(Schema):
    criterion_id: int
    criterion_code: str
    value: int | None
    narrative: str
    evidence: list[str]


class SubmissionOut(Schema):
    id: int
    participant_code: str
    cohort_year: int
    status: str
    version: int
    submitted_at: datetime | None
    deadline: datetime | None
    final_score: float | None
    dimension_scores: dict[str, float]
    needs_third_review: bool
    missing: list[str]
    answers: list[AnswerOut]


class AnswerIn(Schema):
    criterion_id: int
    value: int | None = None
    narrative: str = Field("", max_length=5000)


class AnswersIn(Schema):
    version: int
    answers: list[AnswerIn] = Field(max_length=500)


class ReviewOut(Schema):
    id: int
    submission_id: int
    participant_code: str
    cohort_year: int
    is_third_review: bool
    completed_at: datetime | None


class ScoreIn(Schema):
    criterion_id: int
    score: int | None = None
    comment: str = Field("", max_length=5000)


class ScoresIn(Schema):
    scores: list[ScoreIn] = Field(max_length=500)
