"""The program in the JSON API: cohorts, the national summary, funnel, participants, ranking, selection."""

from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from kotacerdas.core import permissions
from kotacerdas.core.schemas import Pages, YearPath

from . import services
from .models import Cohort, Participation
from .schemas import (
    CohortIn,
    CohortOut,
    InvitationsIn,
    MouIn,
    MouOut,
    ParticipationOut,
    RankRowOut,
    SelectionIn,
    SessionIn,
    SessionOut,
    SummaryOut,
)

router = Router(tags=["program"])


def _cohort(year: int) -> Cohort:
    try:
        return services.get_cohort(year)
    except Cohort.DoesNotExist as exc:
        raise Http404(f"No cohort for {year}.") from exc


@router.get("/cohorts", response=list[CohortOut])
@paginate(Pages)
def list_cohorts(request: HttpRequest) -> object:
    """Every cohort with its quotas and how many kab/kota and provinces were selected."""
    return services.list_cohorts()


@router.post("/cohorts", response={201: CohortOut})
def create_cohort(request: HttpRequest, payload: CohortIn) -> Status[Cohort]:
    """Create a cohort (national admins)."""
    if Cohort.objects.filter(year=payload.year).exists():
        raise HttpError(409, f"A cohort for {payload.year} exists already.")
    cohort = services.create_cohort(request.user, **payload.dict())
    return Status(201, services.get_cohort(cohort.year))


@router.get("/cohorts/{year}", response=CohortOut)
def get_cohort(request: HttpRequest, year: YearPath) -> Cohort:
    return _cohort(year)


@router.get("/program/summary", response=SummaryOut)
def summary(request: HttpRequest) -> dict[str, object]:
    """Distinct kab/kota that have taken part up to and including each cohort year."""
    return {"cumulative_kabkota": services.cumulative_kabkota(), "cohorts": Cohort.objects.count()}


@router.get("/cohorts/{year}/funnel", response=dict[str, int])
def funnel(request: HttpRequest, year: YearPath) -> dict[str, int]:
    """invited → submitted → scored → selected → MoU signed → guided → master plan approved."""
    permissions.require(request.user, "program.view_funnel")
    return services.funnel(_cohort(year))


def _participation_out(p: Participation) -> ParticipationOut:
    submission = getattr(p, "submission", None)
    mou = getattr(p, "mou", None)
    return ParticipationOut(
        id=p.pk,
        code=p.participant_code,
        name=p.participant_name,
        province_code=p.province_code,
        invited_via=p.invited_via,
        selected=p.selected,
        selection_reason=p.selection_reason,
        submission_status=submission.status if submission else None,
        final_score=submission.final_score if submission else None,
        mou_signed_on=mou.signed_on if mou else None,
    )


@router.get("/cohorts/{year}/participants", response=list[ParticipationOut])
@paginate(Pages)
def participants(request: HttpRequest, year: YearPath) -> list[ParticipationOut]:
    permissions.require(request.user, "program.view_funnel")
    return [_participation_out(p) for p in services.participations(_cohort(year))]


@router.get("/cohorts/{year}/selection", response=list[ParticipationOut])
@paginate(Pages)
def selection(request: HttpRequest, year: YearPath) -> list[ParticipationOut]:
    """The selected participants: public once the selection is published."""
    cohort = _cohort(year)
    if not cohort.selection_published and not permissions.can(request.user, "program.view_funnel"):
        raise Http404(f"The selection of {year} is not published yet.")
    return [_participation_out(p) for p in services.participations(cohort).filter(selected=True)]


@router.post("/cohorts/{year}/invitations", response={201: list[ParticipationOut]})
def invite(request: HttpRequest, year: YearPath, payload: InvitationsIn) -> Status[list[ParticipationOut]]:
    """Invite kab/kota (dotted codes) or provinces (two digits); already invited ones are skipped."""
    created = services.invite(request.user, _cohort(year), payload.codes, via="import")
    return Status(201, [_participation_out(p) for p in created])


def _rank_rows(cohort: Cohort) -> list[RankRowOut]:
    return [
        RankRowOut(
            rank=r.rank,
            code=r.participation.participant_code,
            name=r.participation.participant_name,
            province_code=r.participation.province_code,
            total=round(r.total, 4),
            dimensions=r.dimensions,
            tie_broken_by=r.tie_broken_by,
            selected=r.participation.selected,
            reason=r.participation.selection_reason,
        )
        for r in services.cohort_ranking(cohort)
    ]


@router.get("/cohorts/{year}/ranking", response=list[RankRowOut])
def ranking(request: HttpRequest, year: YearPath) -> list[RankRowOut]:
    """The kab/kota ranking with the breakdown per dimension (national staff)."""
    permissions.require(request.user, "program.view_funnel")
    return _rank_rows(_cohort(year))


@router.post("/cohorts/{year}/selection", response=list[RankRowOut])
def run_selection(request: HttpRequest, year: YearPath, payload: SelectionIn) -> list[RankRowOut]:
    """Run the selection within quota and rules; overrides map a code to the written reason."""
    cohort = _cohort(year)
    services.run_selection(request.user, cohort, payload.force_in, payload.force_out)
    return _rank_rows(cohort)


def _participation(request: HttpRequest, pk: int, action: str) -> Participation:
    participation = (
        Participation.objects.select_related("cohort", "region", "mentor_team").filter(pk=pk).first()
    )
    if participation is None:
        raise Http404(f"No participation {pk}.")
    permissions.require(request.user, action, participation)
    return participation


@router.put("/participations/{pk}/mou", response=MouOut)
def record_mou(request: HttpRequest, pk: int, payload: MouIn) -> object:
    """Record the signed MoU of a selected participant (national admins)."""
    participation = _participation(request, pk, "program.view_guidance")
    return services.record_mou(request.user, participation, payload.signed_on, payload.signatories)


@router.get("/participations/{pk}/sessions", response=list[SessionOut])
def list_sessions(request: HttpRequest, pk: int) -> object:
    """The participant's bimtek rounds and FGDs with their outputs."""
    return _participation(request, pk, "program.view_guidance").sessions.prefetch_related("outputs")


@router.post("/participations/{pk}/sessions", response={201: SessionOut})
def schedule_session(request: HttpRequest, pk: int, payload: SessionIn) -> Status[object]:
    """Schedule a bimtek round or an FGD (national admins and the participant's mentor team)."""
    participation = _participation(request, pk, "program.view_guidance")
    return Status(201, services.schedule_session(request.user, participation, **payload.dict()))
