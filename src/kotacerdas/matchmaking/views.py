"""Matchmaking pages: proposals (list, new, one proposal with everything the viewer may do on it), the
partner's page (registration, ranked proposals), partners to verify, the pipeline and its twins, events."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from ninja.errors import ValidationError as FilterError
from pydantic import ValidationError as PydanticError

from kotacerdas.core import twins
from kotacerdas.core.http import attempt
from kotacerdas.core.permissions import can, permission_required, require

from . import services
from .filters import ProposalFilter
from .forms import (
    DecisionForm,
    DocumentForm,
    EventForm,
    InterestForm,
    MeetingForm,
    PartnerForm,
    ProposalForm,
    StageForm,
)
from .models import Interest, MatchmakingEvent, Partner, Pipeline, Scheme


def _filters(request: HttpRequest) -> ProposalFilter:
    fields = ProposalFilter.model_fields
    try:
        return ProposalFilter(**{k: v for k, v in request.GET.items() if k in fields and v})
    except (PydanticError, FilterError):
        return ProposalFilter()


def proposals(request: HttpRequest) -> HttpResponse:
    """Published proposals for everyone (filtered like GET /api/proposals); drafts for the region and
    national staff."""
    filters = _filters(request)
    found = filters.filter(services.visible_proposals(request.user))[:500]
    context = {
        "proposals": found,
        "filters": filters,
        "schemes": Scheme.choices,
        "statuses": Pipeline.choices,
        "can_propose": bool(request.user.is_authenticated and services.officer_region(request.user)),
        "partner": services.partner_of(request.user),
    }
    return render(request, "matchmaking/proposals.html", context)


def new_proposal(request: HttpRequest) -> HttpResponse:
    """A regional officer turns initiatives of the region's approved plan into a draft proposal."""
    region = services.officer_region(request.user)
    if region is None:
        raise PermissionDenied("matchmaking.propose")
    choices = [(i.pk, i.title) for i in services.region_initiatives(region)]
    form = ProposalForm(request.POST or None, initiatives=choices)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            proposal = services.create_proposal(request.user, region, data, data.pop("initiatives"))
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("The draft proposal is saved; add its readiness documents."))
            return redirect("matchmaking:proposal", pk=proposal.pk)
    status = 400 if form.errors else 200
    return render(request, "matchmaking/new.html", {"form": form, "empty": not choices}, status=status)


def proposal(request: HttpRequest, pk: int) -> HttpResponse:
    """One proposal; what the viewer sees and may do depends on who it is."""
    found = get_object_or_404(services.visible_proposals(request.user), pk=pk)
    return render(request, "matchmaking/proposal.html", _proposal_context(request, found))


def _proposal_context(request: HttpRequest, found: Any, **forms: Any) -> dict[str, Any]:
    user, region = request.user, found.region_id
    tracks = can(user, "matchmaking.track", region)
    accepted = [
        (i.partner_id, i.partner.name) for i in found.interests.filter(status=Interest.Status.ACCEPTED)
    ]
    partner = services.partner_of(user)
    return {
        "proposal": found,
        "contact": services.sees_contact(user, found),
        "interests": services.visible_interests(user, found),
        "matches": _matches(services.partners_for(user, found)) if tracks else [],
        "steps": found.steps.select_related("partner"),
        "meetings": found.meetings.select_related("partner", "event") if tracks else [],
        "files": found.files.all() if tracks else [],
        "tracks": tracks,
        "can_edit": found.status == Pipeline.DRAFT and can(user, "matchmaking.propose", region),
        "can_publish": found.status == Pipeline.DRAFT and can(user, "matchmaking.publish"),
        "can_decide": can(user, "matchmaking.decide", region),
        "partner": partner,
        "may_express": partner is not None and found.status in services.OPEN,
        "document_form": forms.get("document_form") or DocumentForm(),
        "interest_form": forms.get("interest_form") or InterestForm(),
        "decision_form": DecisionForm(),
        "stage_form": forms.get("stage_form") or StageForm(partners=accepted),
        "meeting_form": forms.get("meeting_form") or MeetingForm(partners=accepted),
    }


def _matches(found: list[Any]) -> list[tuple[Partner, Any]]:
    partners = Partner.objects.in_bulk([m.partner for m in found])
    return [(partners[m.partner], m) for m in found]


def _post_form(request: HttpRequest, pk: int, name: str, form: Any, action: Any, done: str) -> HttpResponse:
    """Run a service with a valid form; a refusal shows the proposal again with the errors at the form."""
    found = get_object_or_404(services.visible_proposals(request.user), pk=pk)
    if form.is_valid():
        try:
            action(found, form.cleaned_data)
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, done)
            return redirect("matchmaking:proposal", pk=pk)
    context = _proposal_context(request, found, **{name: form})
    return render(request, "matchmaking/proposal.html", context, status=400)


@require_POST
def upload_document(request: HttpRequest, pk: int) -> HttpResponse:
    form = DocumentForm(request.POST, request.FILES)
    return _post_form(
        request,
        pk,
        "document_form",
        form,
        lambda p, d: services.add_document(request.user, p, d["kind"], d["file"]),
        _("The document is added."),
    )


@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(services.visible_proposals(request.user), pk=pk)
    attempt(request, lambda: services.publish(request.user, found), _("The proposal is published."))
    return redirect("matchmaking:proposal", pk=pk)


@require_POST
def express_interest(request: HttpRequest, pk: int) -> HttpResponse:
    form = InterestForm(request.POST)
    return _post_form(
        request,
        pk,
        "interest_form",
        form,
        lambda p, d: services.express_interest(request.user, p, d["message"]),
        _("Your interest is sent to the region."),
    )


@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Interest.objects.select_related("proposal__region", "partner__user"), pk=pk)
    require(request.user, "matchmaking.track", found.proposal.region_id)
    accept = request.POST.get("decision") == "accept"
    done = _("The interest is accepted.") if accept else _("The interest is declined.")
    attempt(
        request,
        lambda: services.decide_interest(request.user, found, accept, request.POST.get("reply", "")),
        done,
    )
    return redirect("matchmaking:proposal", pk=found.proposal_id)


def _accepted(pk: int) -> list[tuple[int, str]]:
    return [
        (i.partner_id, i.partner.name)
        for i in Interest.objects.filter(proposal_id=pk, status=Interest.Status.ACCEPTED).select_related(
            "partner"
        )
    ]


@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    form = StageForm(request.POST, partners=_accepted(pk))
    return _post_form(
        request,
        pk,
        "stage_form",
        form,
        lambda p, d: services.advance(request.user, p, d["to"], d["on"], d["note"], d["partner"]),
        _("The pipeline is updated."),
    )


@require_POST
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    form = MeetingForm(request.POST, partners=_accepted(pk))
    return _post_form(
        request,
        pk,
        "meeting_form",
        form,
        lambda p, d: services.record_meeting(
            request.user, p, d["partner"], d["held_on"], d["notes"], d["event"]
        ),
        _("The meeting is recorded."),
    )


def partner_home(request: HttpRequest) -> HttpResponse:
    """A partner account registers its company here, then sees the open proposals ranked for it."""
    require(request.user, "matchmaking.register")
    partner = services.partner_of(request.user)
    form = PartnerForm(request.POST or None)
    if partner is None and request.method == "POST" and form.is_valid():
        try:
            services.register_partner(request.user, form.data_for_service())
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("Your company is registered; the national office verifies it."))
            return redirect("matchmaking:partner")
    ranked = services.proposals_for(partner) if partner else []
    found = services.open_proposals().in_bulk([m.proposal for m in ranked])
    context = {"partner": partner, "form": form, "ranked": [(found[m.proposal], m) for m in ranked]}
    return render(request, "matchmaking/partner.html", context, status=400 if form.errors else 200)


@permission_required("matchmaking.verify_partner")
def partners(request: HttpRequest) -> HttpResponse:
    return render(request, "matchmaking/partners.html", {"partners": Partner.objects.select_related("user")})


@require_POST
def verify_partner(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Partner, pk=pk)
    attempt(request, lambda: services.verify_partner(request.user, found), _("The partner is verified."))
    return redirect("matchmaking:partners")


def pipeline(request: HttpRequest) -> HttpResponse:
    """The pipeline table (national staff: every region; officers: their own) and its JSON/CSV/XLSX twins."""
    rows = services.pipeline_rows(_filters(request).filter(services.tracked_proposals(request.user)))
    data = services.pipeline_data(rows)
    return twins.respond(
        request,
        "matchmaking/pipeline.html",
        data,
        lambda: (services.PIPELINE_HEADER, rows),
        "pipeline-kpbu",
        {"rows": rows, "header": services.PIPELINE_HEADER},
    )


@permission_required("matchmaking.events")
def events(request: HttpRequest) -> HttpResponse:
    """Matchmaking events and their meetings; national staff record them."""
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_event(request.user, form.cleaned_data)
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("The event is recorded."))
            return redirect("matchmaking:events")
    found = MatchmakingEvent.objects.prefetch_related("meetings__partner", "meetings__proposal")
    return render(
        request,
        "matchmaking/events.html",
        {"events": found, "form": form},
        status=400 if form.errors else 200,
    )
