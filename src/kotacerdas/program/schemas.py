"""Public shapes of the program in the JSON API."""

from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from kotacerdas.core.schemas import Moment


class CohortOut(Schema):
    year: int
    title: str
    quota_kabkota: int
    quota_provinces: int
    selected_kabkota: int
    selected_provinces: int
    submission_deadline: datetime | None
    max_per_province: int | None
    min_eastern: int | None
    selection_published: bool
    is_example: bool


class CohortIn(Schema):
    year: int = Field(ge=2017, le=2100)
    title: str = Field(min_length=1, max_length=200)
    quota_kabkota: int = Field(50, ge=0, le=514)
    quota_provinces: int = Field(0, ge=0, le=38)
    submission_deadline: Moment | None = None
    reviewers_per_submission: int = Field(2, ge=1, le=5)
    max_per_province: int | None = Field(None, ge=1)
    min_eastern: int | None = Field(None, ge=1)


class SummaryOut(Schema):
    cumulative_kabkota: dict[str, int]
    cohorts: int


class InvitationsIn(Schema):
    codes: list[str] = Field(min_length=1, max_length=600)


class ParticipationOut(Schema):
    id: int
    code: str
    name: str
    province_code: str
    invited_via: str
    selected: bool
    selection_reason: str
    submission_status: str | None
    final_score: float | None
    mou_signed_on: date | None


class RankRowOut(Schema):
    rank: int
    code: str
    name: str
    province_code: str
    total: float
    dimensions: dict[str, float]
    tie_broken_by: str
    selected: bool
    reason: str


class SelectionIn(Schema):
    force_in: dict[str, str] = {}
    force_out: dict[str, str] = {}


class MouIn(Schema):
    signed_on: date
    signatories: str = Field(min_length=1, max_length=2000)


class MouOut(Schema):
    signed_on: date
    signatories: str


class SessionIn(Schema):
    kind: str = Field(pattern=r"^(bimtek_[1-4]|fgd)$")
    title: str = Field("", max_length=200)
    starts_at: Moment
    place: str = Field("", max_length=200)
    link: str = Field("", max_length=200)
    agenda: str = Field("", max_length=5000)


class SessionOut(Schema):
    id: int
    kind: str
    title: str
    starts_at: datetime
    place: str
    held: bool
    outputs: dict[str, str]

    @staticmethod
    def resolve_outputs(obj: object) -> dict[str, str]:
        return {o.kind: o.content for o in obj.outputs.all()}  # type: ignore[attr-defined]
