"""KPBU matchmaking: proposals (checked, published), partners (identifiers checked, verified), matches from
the pure `scoring.py`, and expressions of interest."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.core import notify
from kotacerdas.core.permissions import can, require
from kotacerdas.core.uploads import DOCUMENTS as DOCUMENT_FILES
from kotacerdas.core.uploads import check_upload, upload_errors
from kotacerdas.masterplan.models import Initiative, PlanStatus
from kotacerdas.pillars.models import Pillar

from . import scoring
from .models import (
    OPEN,
    VISIBLE,
    Interest,
    MatchmakingEvent,
    Meeting,
    Partner,
    Pipeline,
    PipelineStep,
    Proposal,
    ProposalDocument,
    Scheme,
    Stage,
)

NIB = re.compile(r"\d{13}")
NPWP = re.compile(r"\d{15,16}")
DOCUMENTS = scoring.READINESS_DOCUMENTS
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


def published() -> QuerySet[Proposal]:
    """Proposals that have been published (whatever their stage since): what anyone may see."""
    return Proposal.objects.filter(status__in=VISIBLE).select_related("pillar", "region")


def open_proposals() -> QuerySet[Proposal]:
    """Published proposals still open to interest."""
    return Proposal.objects.filter(status__in=OPEN).select_related("pillar", "region")


def cost_errors(capex: int, opex: int, items: Sequence[Mapping[str, Any]]) -> list[str]:
    """The cost items, when given, must add up to the declared capital and yearly operating costs."""
    if not items:
        return []
    totals = {"capex": 0, "opex": 0}
    for item in items:
        kind, amount = item.get("kind"), item.get("amount")
        if kind not in totals or not isinstance(amount, int) or amount < 0:
            return [_("Each cost item needs a kind (capex or opex) and an amount in whole rupiah.")]
        totals[kind] += amount
    errors = []
    if totals["capex"] != capex:
        errors.append(
            _("The capital cost items add up to Rp %(sum)s, not Rp %(total)s.")
            % {"sum": totals["capex"], "total": capex}
        )
    if totals["opex"] != opex:
        errors.append(
            _("The operating cost items add up to Rp %(sum)s, not Rp %(total)s.")
            % {"sum": totals["opex"], "total": opex}
        )
    return errors


PROPOSAL_FIELDS = (
    "title",
    "scope",
    "sector",
    "location",
    "capex_idr",
    "opex_idr",
    "cost_items",
    "scheme",
    "revenue_model",
    "stage",
    "contact_name",
    "contact_email",
)


def create_proposal(
    user: Any, region: str, data: Mapping[str, Any], initiative_ids: Sequence[int]
) -> Proposal:
    """A draft proposal from initiatives of the region's approved plan (the region's officers). Readiness
    documents are uploaded to the draft afterwards."""
    require(user, "matchmaking.propose", region)
    errors = proposal_errors(region, data, initiative_ids)
    if errors:
        raise ValidationError(errors)
    initiatives = Initiative.objects.filter(pk__in=initiative_ids)
    with transaction.atomic():
        proposal = Proposal.objects.create(
            region_id=region,
            pillar=Pillar.objects.get(key=data["pillar"]),
            created_by=user,
            **{f: data[f] for f in PROPOSAL_FIELDS if f in data},
        )
        proposal.initiatives.set(initiatives)
    return proposal


def proposal_errors(
    region: str, data: Mapping[str, Any], initiative_ids: Sequence[int]
) -> dict[str, list[str]]:
    """Every reason to refuse a proposal, by field."""
    errors: dict[str, list[str]] = {}
    found = region_initiatives(region).filter(pk__in=initiative_ids).count()
    if not initiative_ids or found != len(set(initiative_ids)):
        errors["initiatives"] = [_("Choose initiatives of your region's approved master plan.")]
    costs = cost_errors(
        int(data.get("capex_idr") or 0), int(data.get("opex_idr") or 0), data.get("cost_items") or []
    )
    if costs:
        errors["cost_items"] = costs
    if int(data.get("capex_idr") or 0) < 1:
        errors["capex_idr"] = [_("The capital cost is a positive amount of rupiah.")]
    if int(data.get("opex_idr") or 0) < 0:
        errors["opex_idr"] = [_("The operating cost cannot be negative.")]
    if data.get("scheme") not in Scheme.values:
        errors["scheme"] = [_("Choose a scheme.")]
    if data.get("stage", Stage.PLANNING) not in Stage.values:
        errors["stage"] = [_("Choose a KPBU stage.")]
    if not Pillar.objects.filter(key=data.get("pillar")).exists():
        errors["pillar"] = [_("Choose one of the six pillars.")]
    for name in ("title", "scope", "sector", "revenue_model", "contact_name", "contact_email"):
        if not str(data.get(name) or "").strip():
            errors[name] = [_("This field is required.")]
    return errors


def add_document(user: Any, proposal: Proposal, kind: str, upload: UploadedFile) -> ProposalDocument:
    """A readiness document (PDF or image, checked by content, at most 10 MB) by the region's officers."""
    require(user, "matchmaking.propose", proposal.region_id)
    errors = {}
    if kind not in ProposalDocument.Kind.values:
        errors["kind"] = [_("Choose the pre-feasibility study or the support letter.")]
    problems = upload_errors(upload, DOCUMENT_FILES, MAX_DOCUMENT_BYTES)
    if problems:
        errors["file"] = problems
    if errors:
        raise ValidationError(errors)
    content_type = check_upload(upload, DOCUMENT_FILES, MAX_DOCUMENT_BYTES)
    with transaction.atomic():
        document = ProposalDocument.objects.create(
            proposal=proposal,
            kind=kind,
            file=upload,
            original_name=upload.name or "",
            content_type=content_type,
            size=upload.size or 0,
            uploaded_by=user,
        )
        proposal.documents = sorted(set(proposal.files.values_list("kind", flat=True)))
        proposal.save(update_fields=["documents"])
    return document


def publish(user: Any, proposal: Proposal) -> Proposal:
    """A reviewer checks completeness and publishes (the readiness documents count in the matching)."""
    require(user, "matchmaking.publish", proposal)
    if proposal.status != Pipeline.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    missing = completeness(proposal)
    if missing:
        raise ValidationError(_("The proposal is incomplete: %(fields)s.") % {"fields": ", ".join(missing)})
    with transaction.atomic():
        proposal.published_at = timezone.now()
        _move(user, proposal, Pipeline.PUBLISHED, timezone.localdate(), "")
    notify.notify(
        notify.officers_of([str(proposal.region_id)]),
        "matchmaking.published",
        _("%(title)s is published for partners") % {"title": proposal.title},
        url=proposal_url(proposal),
    )
    return proposal


def completeness(proposal: Proposal) -> list[str]:
    """What a reviewer finds missing, named as on the form."""
    missing = [
        str(Proposal._meta.get_field(f).verbose_name)
        for f in ("scope", "location", "revenue_model", "contact_name", "contact_email")
        if not getattr(proposal, f)
    ]
    if not proposal.initiatives.exists():
        missing.append(str(_("initiatives")))
    return missing


def register_partner(user: Any, data: Mapping[str, Any]) -> Partner:
    """A partner account registers its company; NIB (13 digits) and NPWP (15 or 16 digits) are checked."""
    require(user, "matchmaking.register")
    errors = []
    if not NIB.fullmatch(str(data.get("nib", ""))):
        errors.append(_("The NIB has 13 digits."))
    if not NPWP.fullmatch(re.sub(r"[.\-]", "", str(data.get("npwp", "")))):
        errors.append(_("The NPWP has 15 or 16 digits."))
    low, high = data.get("ticket_min_idr") or 0, data.get("ticket_max_idr")
    if high is not None and high < low:
        errors.append(_("The largest ticket is below the smallest."))
    if Partner.objects.filter(user=user).exists():
        errors.append(_("This account has registered a company already."))
    if errors:
        raise ValidationError(errors)
    fields = ("name", "sectors", "pillars", "schemes", "ticket_min_idr", "ticket_max_idr", "regions")
    return Partner.objects.create(
        user=user,
        nib=data["nib"],
        npwp=re.sub(r"[.\-]", "", data["npwp"]),
        **{f: data[f] for f in fields if f in data},
    )


def verify_partner(user: Any, partner: Partner) -> Partner:
    require(user, "matchmaking.verify_partner", partner)
    partner.verified_at, partner.verified_by = timezone.now(), user
    partner.save(update_fields=["verified_at", "verified_by"])
    return partner


def facts(proposal: Proposal) -> scoring.Proposal:
    return scoring.Proposal(
        proposal.pk,
        str(proposal.region_id),
        proposal.pillar.key,
        proposal.sector,
        proposal.capex_idr,
        proposal.scheme,
        frozenset(proposal.documents),
    )


def partner_facts(partner: Partner) -> scoring.Partner:
    return scoring.Partner(
        partner.pk,
        frozenset(partner.sectors),
        frozenset(partner.pillars),
        frozenset(partner.schemes),
        partner.ticket_min_idr,
        partner.ticket_max_idr,
        frozenset(partner.regions),
    )


def partners_for(user: Any, proposal: Proposal) -> list[scoring.Match]:
    """Verified partners ranked for a proposal (national staff and the region's officers)."""
    require(user, "matchmaking.track", proposal.region_id)
    partners = Partner.objects.exclude(verified_at=None)
    return scoring.partners_for(facts(proposal), [partner_facts(p) for p in partners])


def proposals_for(partner: Partner) -> list[scoring.Match]:
    """Published proposals ranked for a partner."""
    return scoring.proposals_for(partner_facts(partner), [facts(p) for p in open_proposals()])


def partner_of(user: Any) -> Partner | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Partner.objects.filter(user=user).first()


def visible_proposals(user: Any) -> QuerySet[Proposal]:
    """Published ones (and later stages) for everyone; drafts only for national staff and the region's
    officers."""
    found = Proposal.objects.select_related("pillar", "region", "partner")
    if can(user, "matchmaking.publish"):
        return found
    drafts = Q(status=Pipeline.DRAFT, region_id=getattr(user, "region_id", None)) if _officer(user) else Q()
    return found.filter(Q(status__in=VISIBLE) | drafts) if drafts else found.filter(status__in=VISIBLE)


def tracked_proposals(user: Any) -> QuerySet[Proposal]:
    """The proposals whose pipeline the user follows: national staff every one, officers their region's."""
    if can(user, "matchmaking.publish"):
        return Proposal.objects.all()
    if _officer(user):
        return Proposal.objects.filter(region_id=user.region_id)
    raise PermissionDenied("matchmaking.track")


def _officer(user: Any) -> bool:
    return officer_region(user) is not None


def officer_region(user: Any) -> str | None:
    """The region for which this user makes proposals (a regional officer's own), or None."""
    region = getattr(user, "region_id", None)
    return str(region) if region and can(user, "matchmaking.propose", region) else None


def region_initiatives(region: str) -> QuerySet[Initiative]:
    """The initiatives of the region's approved plans, which proposals are made from."""
    return Initiative.objects.filter(plan__region_id=region, plan__status=PlanStatus.APPROVED).order_by("pk")


def sees_contact(user: Any, proposal: Proposal) -> bool:
    """Contact details: national staff, the region's officers and verified partners."""
    if can(user, "matchmaking.track", proposal.region_id):
        return True
    partner = partner_of(user)
    return partner is not None and partner.verified_at is not None


def visible_interests(user: Any, proposal: Proposal) -> QuerySet[Interest]:
    """All of a proposal's interests for the region and national staff; a partner sees only its own."""
    found = proposal.interests.select_related("partner")
    if can(user, "matchmaking.track", proposal.region_id):
        return found
    partner = partner_of(user)
    return found.filter(partner=partner) if partner else found.none()


def express_interest(user: Any, proposal: Proposal, message: str) -> Interest:
    """A verified partner's interest in an open proposal; the region's officers are notified and the
    proposal moves to `interest`."""
    partner = partner_of(user)
    if partner is None or not can(user, "matchmaking.register"):
        raise PermissionDenied("matchmaking.interest")
    if proposal.status not in OPEN:
        raise ValidationError(_("Interest can only be expressed in a published, open proposal."))
    if partner.verified_at is None:
        raise ValidationError(_("Your company is not verified yet; the national office verifies it first."))
    if not message.strip():
        raise ValidationError({"message": [_("Write a message to the region.")]})
    if Interest.objects.filter(proposal=proposal, partner=partner).exists():
        raise ValidationError(_("You have expressed interest in this proposal already."))
    with transaction.atomic():
        interest = Interest.objects.create(proposal=proposal, partner=partner, message=message)
        if proposal.status == Pipeline.PUBLISHED:
            _move(user, proposal, Pipeline.INTEREST, timezone.localdate(), "", partner)
    notify.notify(
        notify.officers_of([str(proposal.region_id)]),
        "matchmaking.interest",
        _("%(company)s is interested in %(title)s") % {"company": partner.name, "title": proposal.title},
        message,
        proposal_url(proposal),
    )
    return interest


def decide_interest(user: Any, interest: Interest, accept: bool, reply: str = "") -> Interest:
    """The region accepts or declines (with a reply) an interest; the partner is notified."""
    require(user, "matchmaking.decide", interest.proposal.region_id)
    if interest.status != Interest.Status.SENT:
        raise ValidationError(_("This interest has been answered already."))
    if not accept and not reply.strip():
        raise ValidationError({"reply": [_("Tell the partner why the interest is declined.")]})
    interest.status = Interest.Status.ACCEPTED if accept else Interest.Status.DECLINED
    interest.decided_at, interest.decided_by, interest.reply = timezone.now(), user, reply
    interest.save(update_fields=["status", "decided_at", "decided_by", "reply"])
    title = (
        _("%(region)s accepted your interest in %(title)s")
        if accept
        else _("%(region)s declined your interest in %(title)s")
    )
    proposal = interest.proposal
    notify.notify(
        [interest.partner.user],
        "matchmaking.decision",
        title % {"region": proposal.region.name, "title": proposal.title},
        reply,
        proposal_url(proposal),
    )
    return interest


def advance(
    user: Any, proposal: Proposal, to: str, on: date, note: str = "", partner_id: int | None = None
) -> Proposal:
    """Move a proposal along the pipeline (forward only; `closed` from any open stage, with a reason). A
    letter of intent and a contract name a partner whose interest was accepted. Everyone involved is
    notified."""
    require(user, "matchmaking.track", proposal.region_id)
    errors = transition_errors(proposal, to, on, note)
    partner = None
    if to in (Pipeline.LOI, Pipeline.CONTRACTED, Pipeline.KPBU):
        partner = _deal_partner(proposal, partner_id, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if to == Pipeline.CLOSED:
            proposal.closed_reason = note
        _move(user, proposal, to, on, note, partner)
    _tell_stage(proposal)
    return proposal


def transition_errors(proposal: Proposal, to: str, on: date, note: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    order = list(Pipeline.values)
    if to not in order or to in (Pipeline.DRAFT, Pipeline.PUBLISHED):
        errors["to"] = [_("Choose the next stage of the pipeline.")]
    elif proposal.status not in OPEN:
        errors["to"] = [_("A draft, contracted or closed proposal does not move along the pipeline.")]
    elif to != Pipeline.CLOSED and order.index(to) <= order.index(proposal.status):
        errors["to"] = [_("The pipeline only moves forward.")]
    if to == Pipeline.CLOSED and not note.strip():
        errors["note"] = [_("Give the reason for closing.")]
    if on > timezone.localdate():
        errors["on"] = [_("The date cannot be in the future.")]
    last = proposal.steps.order_by("-on").values_list("on", flat=True).first()
    if last and on < last:
        errors.setdefault("on", []).append(
            _("The date is before the previous stage (%(date)s).") % {"date": last}
        )
    return errors


def _deal_partner(proposal: Proposal, partner_id: int | None, errors: dict[str, list[str]]) -> Partner | None:
    accepted = proposal.interests.filter(status=Interest.Status.ACCEPTED)
    chosen = partner_id or proposal.partner_id
    found = accepted.filter(partner_id=chosen).select_related("partner").first() if chosen else None
    if found is None:
        errors["partner"] = [_("Name a partner whose interest the region accepted.")]
        return None
    return found.partner


def _move(
    user: Any, proposal: Proposal, to: str, on: date, note: str, partner: Partner | None = None
) -> None:
    proposal.status = to
    if partner is not None and to in (Pipeline.LOI, Pipeline.KPBU, Pipeline.CONTRACTED):
        proposal.partner = partner
    proposal.save()
    PipelineStep.objects.create(
        proposal=proposal, status=to, on=on, note=note, partner=partner, recorded_by=user
    )


def _tell_stage(proposal: Proposal) -> None:
    """The region's officers and every partner with an accepted interest hear of a stage change."""
    partners = [i.partner.user for i in proposal.interests.filter(status=Interest.Status.ACCEPTED)]
    notify.notify(
        notify.officers_of([str(proposal.region_id)]) + partners,
        "matchmaking.stage",
        _("%(title)s: %(stage)s") % {"title": proposal.title, "stage": proposal.get_status_display()},
        proposal.closed_reason if proposal.status == Pipeline.CLOSED else "",
        proposal_url(proposal),
    )


def create_event(user: Any, data: Mapping[str, Any]) -> MatchmakingEvent:
    """A matchmaking forum (national staff)."""
    require(user, "matchmaking.events")
    if not str(data.get("name", "")).strip() or not str(data.get("place", "")).strip():
        raise ValidationError(_("Give the event a name and a place."))
    return MatchmakingEvent.objects.create(
        name=data["name"],
        held_on=data["held_on"],
        place=data["place"],
        description=data.get("description", ""),
        created_by=user,
    )


def record_meeting(
    user: Any,
    proposal: Proposal,
    partner_id: int,
    held_on: date,
    notes: str = "",
    event: MatchmakingEvent | None = None,
) -> Meeting:
    """A meeting with a partner whose interest the region accepted; the first one moves the proposal to
    `meetings`."""
    require(user, "matchmaking.track", proposal.region_id)
    errors = {}
    partner = None
    if proposal.status not in OPEN:
        errors["proposal"] = [_("Meetings are recorded for open proposals.")]
    else:
        partner = _deal_partner(proposal, partner_id, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            proposal=proposal, partner=partner, event=event, held_on=held_on, notes=notes, recorded_by=user
        )
        if proposal.status in (Pipeline.PUBLISHED, Pipeline.INTEREST):
            _move(user, proposal, Pipeline.MEETINGS, min(held_on, timezone.localdate()), "", partner)
    if proposal.status == Pipeline.MEETINGS:
        _tell_stage(proposal)
    return meeting


def proposal_url(proposal: Proposal) -> str:
    return reverse("matchmaking:proposal", args=[proposal.pk])


PIPELINE_HEADER = [
    "id",
    "region_code",
    "region",
    "title",
    "pillar",
    "sector",
    "scheme",
    "capex_idr",
    "opex_idr",
    "kpbu_stage",
    "pipeline",
    "partner",
    "interests",
    "meetings",
    *(f"date_{s}" for s in Pipeline.values if s != Pipeline.DRAFT),
    "closed_reason",
]


def pipeline_rows(proposals: QuerySet[Proposal]) -> list[list[Any]]:
    """One row per proposal, with the date each stage was reached: the pipeline export (XLSX, CSV)."""
    found = proposals.select_related("region", "pillar", "partner").prefetch_related("steps")
    found = found.annotate(
        n_interests=Count("interests", distinct=True), n_meetings=Count("meetings", distinct=True)
    )
    rows = []
    for p in found:
        reached = {step.status: step.on for step in p.steps.all()}
        rows.append(
            [
                p.pk,
                p.region_id,
                p.region.name,
                p.title,
                p.pillar.key,
                p.sector,
                p.scheme,
                p.capex_idr,
                p.opex_idr,
                p.stage,
                p.status,
                p.partner.name if p.partner else "",
                p.n_interests,
                p.n_meetings,
                *(reached.get(s, "") for s in Pipeline.values if s != Pipeline.DRAFT),
                p.closed_reason,
            ]
        )
    return rows


def pipeline_data(rows: list[list[Any]]) -> dict[str, Any]:
    """The pipeline rows as the JSON answer (`{"count", "items"}`, an object per row)."""
    items = [dict(zip(PIPELINE_HEADER, row, strict=True)) for row in rows]
    return {"count": len(rows), "items": items}
