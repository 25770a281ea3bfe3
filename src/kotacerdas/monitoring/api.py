"""/api/evaluations (the yearly index and its trace) and /api/monitoring (progress reports, flags)."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from kotacerdas.core.permissions import require
from kotacerdas.core.schemas import Year, YearPath

from . import evaluation, services
from .models import Evaluation, EvaluationRound, ProgressReport
from .services import Realised

router = Router(tags=["monitoring and evaluation"])


class EvaluationOut(Schema):
    region_code: str
    region_name: str
    province: str
    year: int
    score: float | None
    maturity_level: int | None
    pillars: dict[str, float | None]
    rank: int | None
    change: float | None
    coverage: float

    @staticmethod
    def resolve_region_code(obj: Evaluation) -> str:
        return str(obj.region_id)

    @staticmethod
    def resolve_region_name(obj: Evaluation) -> str:
        return obj.region.name

    @staticmethod
    def resolve_province(obj: Evaluation) -> str:
        return obj.region.province.name


class EvaluationList(Schema):
    count: int
    items: list[EvaluationOut]


class YearQuery(Schema):
    year: Year | None = None


@router.get("/evaluations", response=EvaluationList)
def list_evaluations(request: HttpRequest, query: Query[YearQuery]) -> dict[str, Any]:
    """Every evaluated region of a year (default: the newest computed) with score, maturity level, six
    pillar scores and national rank (regions without enough data have score and rank null)."""
    year = query.year or next(iter(evaluation.years()), timezone.localdate().year)
    items = evaluation.results(year)
    return {"count": len(items), "items": items}


@router.get("/evaluations/{year}/regions/{region}", response=dict[str, Any])
def explain(request: HttpRequest, year: YearPath, region: str) -> dict[str, Any]:
    """Why this score: every dimension with its source and weight, every pillar with the normalised
    indicators (raw value, goalposts, score) and what is missing."""
    return evaluation.explanation(get_object_or_404(Evaluation, year=year, region_id=region))


@router.post("/evaluations/{year}/compute", response=EvaluationList)
def compute(request: HttpRequest, year: YearPath) -> dict[str, Any]:
    """Recompute a year from the stored values, reports, assessments and surveys (national admins)."""
    evaluation.recompute(request.user, year)
    items = evaluation.results(year)
    return {"count": len(items), "items": items}


class SensitivityOut(Schema):
    region: str
    rank: int | None
    ranks: dict[str, int | None]
    largest_shift: int | None


@router.get("/evaluations/{year}/sensitivity", response=list[SensitivityOut])
def sensitivity(request: HttpRequest, year: YearPath) -> list[Any]:
    """Ranks under alternative weights, aggregation and normalisation (national admins)."""
    return evaluation.sensitivity(request.user, year)


class RoundIn(Schema):
    year: Year
    opens_on: date
    closes_on: date
    weights: dict[str, float] | None = None
    scale_max: float = 5.0


class RoundOut(Schema):
    year: int
    opens_on: date
    closes_on: date
    weights: dict[str, float]
    scale_max: float

    @staticmethod
    def resolve_weights(obj: EvaluationRound) -> dict[str, float]:
        return obj.weight_map()


@router.post("/evaluations/rounds", response={201: RoundOut})
def open_round(request: HttpRequest, body: RoundIn) -> Status[EvaluationRound]:
    """Open the evaluation window of a year with its weights (default 10/20/30/30/10) and scale."""
    found = evaluation.open_round(
        request.user, body.year, body.opens_on, body.closes_on, body.weights, body.scale_max
    )
    return Status(201, found)


# --- progress -----------------------------------------------------------------------------------------


class BudgetIn(Schema):
    year: Year
    source: str
    amount: int


class ReportIn(Schema):
    percent: int
    status: str
    narrative: str
    reported_on: date | None = None
    drop_reason: str = ""
    budget_justification: str = ""
    budget: list[BudgetIn] = []


class ReportOut(Schema):
    id: int
    initiative: int
    reported_on: date
    percent: int
    status: str
    narrative: str
    verified: bool

    @staticmethod
    def resolve_initiative(obj: ProgressReport) -> int:
        return int(obj.initiative_id)

    @staticmethod
    def resolve_verified(obj: ProgressReport) -> bool:
        return obj.verified_at is not None


@router.post("/monitoring/initiatives/{initiative_id}/reports", response={201: ReportOut})
def report(request: HttpRequest, initiative_id: int, body: ReportIn) -> Status[ProgressReport]:
    """A progress report (officers of the initiative's region); over 100 %, a budget above the plan
    without justification or another region's initiative are refused."""
    initiative = get_object_or_404(services.approved_initiatives(), pk=initiative_id)
    data = body.dict(exclude={"budget"})
    budget = [Realised(b.year, b.source, b.amount) for b in body.budget]
    return Status(201, services.report_progress(request.user, initiative, data, budget))


class VerifyIn(Schema):
    note: str = ""


@router.post("/monitoring/reports/{report_id}/verify", response=ReportOut)
def verify(request: HttpRequest, report_id: int, body: VerifyIn) -> ProgressReport:
    """A national reviewer verifies a report (only verified reports count in the evaluation)."""
    return services.verify_report(request.user, get_object_or_404(ProgressReport, pk=report_id), body.note)


class TrackedOut(Schema):
    initiative: int
    title: str
    region: str
    pillar: str
    quick_win: bool
    expected_percent: float
    reported_percent: float | None
    lateness_days: int
    late: bool
    at_risk: bool
    unreported: bool
    reasons: list[str]


class RegionQuery(Schema):
    region: str | None = None
    flagged: bool = False


@router.get("/monitoring/initiatives", response=list[TrackedOut])
def tracked(request: HttpRequest, query: Query[RegionQuery]) -> list[dict[str, Any]]:
    """Initiatives of approved plans with their computed lateness (national staff; officers: their region)."""
    require(request.user, "monitoring.view", query.region)
    items = services.flagged(query.region) if query.flagged else services.tracked(query.region)
    return [tracked_row(t) for t in items]


def tracked_row(item: services.Tracked) -> dict[str, Any]:
    state, initiative = item.state, item.initiative
    return {
        "initiative": initiative.pk,
        "title": initiative.title,
        "region": str(initiative.plan.region_id),
        "pillar": initiative.element.pillar.key,
        "quick_win": initiative.is_quick_win,
        "expected_percent": round(state.expected_percent, 1),
        "reported_percent": state.reported_percent,
        "lateness_days": state.lateness_days,
        "late": state.late,
        "at_risk": state.at_risk,
        "unreported": state.unreported,
        "reasons": list(state.reasons),
    }
