"""/api/proposals, /api/partners, /api/events, /api/pipeline: KPBU proposals, partners, matches, interest,
the pipeline and matchmaking events."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from kotacerdas.core.permissions import can, require
from kotacerdas.core.schemas import Pages
from kotacerdas.core.tabular import XLSX_TYPE, xlsx_bytes
from kotacerdas.core.text import translated

from . import services
from .filters import ProposalFilter
from .models import Interest, MatchmakingEvent, Meeting, Partner, PipelineStep, Proposal, ProposalDocument

router = Router(tags=["matchmaking"])


class ProposalOut(Schema):
    id: int
    region_code: str
    title: str
    pillar: str
    sector: str
    scheme: str
    capex_idr: int
    opex_idr: int
    stage: str
    status: str
    published_at: Any = None

    @staticmethod
    def resolve_region_code(obj: Proposal) -> str:
        return str(obj.region_id)

    @staticmethod
    def resolve_pillar(obj: Proposal) -> str:
        return obj.pillar.key


@router.get("/proposals", response=list[ProposalOut])
@paginate(Pages)
def list_proposals(request: HttpRequest, filters: Query[ProposalFilter]) -> Any:
    """Published proposals (whatever their stage since), for anyone; drafts are never listed here."""
    return filters.filter(services.published())


class StepOut(Schema):
    status: str
    on: date
    note: str
    partner: str | None = None

    @staticmethod
    def resolve_partner(obj: PipelineStep) -> str | None:
        return obj.partner.name if obj.partner else None


class InterestOut(Schema):
    id: int
    proposal: int
    partner: str
    message: str
    status: str
    reply: str

    @staticmethod
    def resolve_proposal(obj: Interest) -> int:
        return int(obj.proposal_id)

    @staticmethod
    def resolve_partner(obj: Interest) -> str:
        return obj.partner.name


class ProposalDetail(ProposalOut):
    scope: str
    location: str
    revenue_model: str
    cost_items: list[dict[str, Any]]
    documents: list[str]
    initiatives: list[int]
    contact_name: str | None = None
    contact_email: str | None = None
    closed_reason: str
    steps: list[StepOut]
    interests: list[InterestOut]

    @staticmethod
    def resolve_initiatives(obj: Proposal) -> list[int]:
        return sorted(i.pk for i in obj.initiatives.all())

    @staticmethod
    def resolve_steps(obj: Proposal) -> list[PipelineStep]:
        return list(obj.steps.select_related("partner"))

    @staticmethod
    def resolve_interests(obj: Proposal, context: dict[str, Any]) -> list[Interest]:
        return list(services.visible_interests(context["request"].user, obj))

    @staticmethod
    def resolve_contact_name(obj: Proposal, context: dict[str, Any]) -> str | None:
        return obj.contact_name if services.sees_contact(context["request"].user, obj) else None

    @staticmethod
    def resolve_contact_email(obj: Proposal, context: dict[str, Any]) -> str | None:
        return obj.contact_email if services.sees_contact(context["request"].user, obj) else None


@router.get("/proposals/{proposal_id}", response=ProposalDetail)
def proposal_detail(request: HttpRequest, proposal_id: int) -> Proposal:
    """One proposal: contact details only for verified partners, the region and national staff; a partner
    sees its own interest, never another partner's."""
    return _visible(request, proposal_id)


def _visible(request: HttpRequest, proposal_id: int) -> Proposal:
    return get_object_or_404(services.visible_proposals(request.user), pk=proposal_id)


class CostItem(Schema):
    item: str
    kind: str
    amount: int


class ProposalIn(Schema):
    region: str
    initiatives: list[int]
    title: str
    scope: str
    pillar: str
    sector: str
    location: str
    capex_idr: int
    opex_idr: int = 0
    cost_items: list[CostItem] = []
    scheme: str
    revenue_model: str
    stage: str = "planning"
    contact_name: str
    contact_email: str


@router.post("/proposals", response={201: ProposalOut})
def create_proposal(request: HttpRequest, body: ProposalIn) -> Status[Proposal]:
    """A draft proposal from initiatives of the region's approved plan (the region's officers); cost items,
    when given, must add up to the declared costs."""
    data = body.dict(exclude={"region", "initiatives"})
    return Status(201, services.create_proposal(request.user, body.region, data, body.initiatives))


class DocumentOut(Schema):
    id: int
    kind: str
    original_name: str
    size: int


@router.post("/proposals/{proposal_id}/documents", response={201: DocumentOut})
def upload_document(
    request: HttpRequest, proposal_id: int, kind: Form[str], file: File[UploadedFile]
) -> Status[ProposalDocument]:
    """A readiness document (kind `prefeasibility_study` or `support_letter`; PDF or image)."""
    proposal = _visible(request, proposal_id)
    return Status(201, services.add_document(request.user, proposal, kind, file))


@router.post("/proposals/{proposal_id}/publish", response=ProposalOut)
def publish(request: HttpRequest, proposal_id: int) -> Proposal:
    """National reviewers check completeness and publish."""
    return services.publish(request.user, _visible(request, proposal_id))


class MatchOut(Schema):
    proposal: int
    partner: int
    score: float
    parts: list[dict[str, Any]]

    @staticmethod
    def resolve_parts(obj: Any) -> list[dict[str, Any]]:
        return [
            {"criterion": p.criterion, "points": p.points, "reason": translated(p.reason, gettext)}
            for p in obj.parts
        ]


@router.get("/proposals/{proposal_id}/partners", response=list[MatchOut])
def matches(request: HttpRequest, proposal_id: int) -> list[Any]:
    """Verified partners ranked for a proposal, each score with its parts (national staff, the region)."""
    return services.partners_for(request.user, _visible(request, proposal_id))


class InterestIn(Schema):
    message: str


@router.get("/proposals/{proposal_id}/interests", response=list[InterestOut])
def interests(request: HttpRequest, proposal_id: int) -> Any:
    """All interests for the region and national staff; a partner gets its own only."""
    return services.visible_interests(request.user, _visible(request, proposal_id))


@router.post("/proposals/{proposal_id}/interests", response={201: InterestOut})
def interest(request: HttpRequest, proposal_id: int, body: InterestIn) -> Status[Interest]:
    """A verified partner's interest in an open proposal (closed or unpublished: refused)."""
    proposal = _visible(request, proposal_id)
    return Status(201, services.express_interest(request.user, proposal, body.message))


class DecisionIn(Schema):
    accept: bool
    reply: str = ""


@router.post("/interests/{interest_id}/decision", response=InterestOut)
def decide(request: HttpRequest, interest_id: int, body: DecisionIn) -> Interest:
    """The region accepts or declines (with a reply) a partner's interest; the partner is notified."""
    found = get_object_or_404(Interest.objects.select_related("proposal__region", "partner"), pk=interest_id)
    if not can(request.user, "matchmaking.track", found.proposal.region_id):
        raise Http404
    return services.decide_interest(request.user, found, body.accept, body.reply)


class StageIn(Schema):
    to: str
    on: date
    note: str = ""
    partner: int | None = None


@router.post("/proposals/{proposal_id}/stage", response=ProposalOut)
def stage(request: HttpRequest, proposal_id: int, body: StageIn) -> Proposal:
    """Move along the pipeline: interest → meetings → loi → kpbu-process → contracted, or closed (with the
    reason in `note`); a letter of intent and later stages name a partner whose interest was accepted."""
    proposal = _visible(request, proposal_id)
    return services.advance(request.user, proposal, body.to, body.on, body.note, body.partner)


class MeetingIn(Schema):
    partner: int
    held_on: date
    notes: str = ""
    event: int | None = None


class MeetingOut(Schema):
    id: int
    proposal: int
    partner: str
    held_on: date
    notes: str
    event: int | None = None

    @staticmethod
    def resolve_proposal(obj: Meeting) -> int:
        return int(obj.proposal_id)

    @staticmethod
    def resolve_partner(obj: Meeting) -> str:
        return obj.partner.name

    @staticmethod
    def resolve_event(obj: Meeting) -> int | None:
        return obj.event_id


@router.post("/proposals/{proposal_id}/meetings", response={201: MeetingOut})
def meeting(request: HttpRequest, proposal_id: int, body: MeetingIn) -> Status[Meeting]:
    """A meeting with a partner whose interest was accepted, at an event or on its own."""
    proposal = _visible(request, proposal_id)
    event = get_object_or_404(MatchmakingEvent, pk=body.event) if body.event else None
    return Status(
        201, services.record_meeting(request.user, proposal, body.partner, body.held_on, body.notes, event)
    )


@router.get("/pipeline", response=dict[str, Any])
def pipeline(request: HttpRequest, filters: Query[ProposalFilter]) -> dict[str, Any]:
    """The pipeline (national staff: every region; officers: their own), a row per proposal with the date
    each stage was reached."""
    rows = services.pipeline_rows(filters.filter(_tracked(request)))
    return services.pipeline_data(rows)


@router.get("/pipeline.xlsx", response={200: None})
def pipeline_xlsx(request: HttpRequest, filters: Query[ProposalFilter]) -> HttpResponse:
    """The same pipeline as an XLSX workbook."""
    rows = services.pipeline_rows(filters.filter(_tracked(request)))
    response = HttpResponse(
        xlsx_bytes("Pipeline KPBU", services.PIPELINE_HEADER, rows), content_type=XLSX_TYPE
    )
    response["Content-Disposition"] = 'attachment; filename="pipeline-kpbu.xlsx"'
    return response


def _tracked(request: HttpRequest) -> Any:
    return services.tracked_proposals(request.user)


class PartnerIn(Schema):
    name: str
    nib: str
    npwp: str
    sectors: list[str] = []
    pillars: list[str] = []
    schemes: list[str] = []
    ticket_min_idr: int = 0
    ticket_max_idr: int | None = None
    regions: list[str] = []


class PartnerOut(Schema):
    id: int
    name: str
    sectors: list[str]
    schemes: list[str]
    verified: bool

    @staticmethod
    def resolve_verified(obj: Partner) -> bool:
        return obj.verified_at is not None


@router.get("/partners", response=list[PartnerOut])
@paginate(Pages)
def list_partners(request: HttpRequest) -> Any:
    """Registered partners (national admins, who verify them)."""
    require(request.user, "matchmaking.verify_partner")
    return Partner.objects.all()


@router.post("/partners", response={201: PartnerOut})
def register(request: HttpRequest, body: PartnerIn) -> Status[Partner]:
    """A partner account registers its company (NIB 13 digits, NPWP 15 or 16 digits)."""
    return Status(201, services.register_partner(request.user, body.dict()))


@router.post("/partners/{partner_id}/verify", response=PartnerOut)
def verify(request: HttpRequest, partner_id: int) -> Partner:
    """A national admin verifies a partner."""
    return services.verify_partner(request.user, get_object_or_404(Partner, pk=partner_id))


@router.get("/partners/me/proposals", response=list[MatchOut])
def my_matches(request: HttpRequest) -> list[Any]:
    """Open proposals ranked for the calling partner's company."""
    partner = services.partner_of(request.user)
    if partner is None:
        raise PermissionDenied("matchmaking.register")
    return services.proposals_for(partner)


class EventIn(Schema):
    name: str
    held_on: date
    place: str
    description: str = ""


class EventOut(Schema):
    id: int
    name: str
    held_on: date
    place: str
    description: str


@router.get("/events", response=list[EventOut])
@paginate(Pages)
def list_events(request: HttpRequest) -> Any:
    """Matchmaking events (forums), newest first."""
    return MatchmakingEvent.objects.all()


@router.post("/events", response={201: EventOut})
def create_event(request: HttpRequest, body: EventIn) -> Status[MatchmakingEvent]:
    """Record a matchmaking event (national staff)."""
    return Status(201, services.create_event(request.user, body.dict()))


@router.get("/events/{event_id}/meetings", response=list[MeetingOut])
def event_meetings(request: HttpRequest, event_id: int) -> Any:
    """The meetings held at an event (national staff)."""
    require(request.user, "matchmaking.events")
    event = get_object_or_404(MatchmakingEvent, pk=event_id)
    return event.meetings.select_related("partner")
