"""KPBU business matchmaking: proposals made from master-plan initiatives, registered partners, and the
interest a partner expresses in a published proposal."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scheme(models.TextChoices):
    KPBU_AVAILABILITY = "kpbu-availability", _("KPBU, availability payment")
    KPBU_USER_CHARGE = "kpbu-user-charge", _("KPBU, user charge")
    OTHER = "other-cooperation", _("Other cooperation scheme")
    CSR = "csr", _("CSR")


class Stage(models.TextChoices):
    """The KPBU stages (Perpres 38/2015; METHODOLOGY.md §9)."""

    PLANNING = "planning", _("Planning (preliminary study)")
    PREPARATION = "preparation", _("Preparation (pre-feasibility study, market sounding)")
    TRANSACTION = "transaction", _("Transaction (tender, contract)")


class Pipeline(models.TextChoices):
    """Where a proposal is on its way to a contract (METHODOLOGY.md §9); `closed` needs a reason."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    INTEREST = "interest", _("Interest")
    MEETINGS = "meetings", _("Meetings")
    LOI = "loi", _("Letter of intent")
    KPBU = "kpbu-process", _("In the KPBU process")
    CONTRACTED = "contracted", _("Contracted")
    CLOSED = "closed", _("Closed")


OPEN = (Pipeline.PUBLISHED, Pipeline.INTEREST, Pipeline.MEETINGS, Pipeline.LOI, Pipeline.KPBU)
VISIBLE = (*OPEN, Pipeline.CONTRACTED, Pipeline.CLOSED)  # published at some point: everyone sees them


class Proposal(models.Model):
    """A region's offer to private partners, made from one or more initiatives of its approved plan."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="proposals")
    initiatives = models.ManyToManyField("masterplan.Initiative", related_name="proposals")
    title = models.CharField(_("title"), max_length=200)
    scope = models.TextField(_("scope"))
    pillar = models.ForeignKey("pillars.Pillar", on_delete=models.PROTECT)
    sector = models.CharField(_("sector"), max_length=60)
    location = models.CharField(_("location"), max_length=200)
    capex_idr = models.BigIntegerField(_("capital cost (Rp)"), validators=[MinValueValidator(1)])
    opex_idr = models.BigIntegerField(_("operating cost per year (Rp)"), validators=[MinValueValidator(0)])
    cost_items = models.JSONField(_("cost items"), default=list)  # [{"item", "kind": capex|opex, "amount"}]
    scheme = models.CharField(_("scheme"), max_length=20, choices=Scheme.choices)
    revenue_model = models.TextField(_("expected revenue model"))
    stage = models.CharField(_("KPBU stage"), max_length=12, choices=Stage.choices, default=Stage.PLANNING)
    documents = models.JSONField(_("readiness documents"), default=list)  # kinds of its uploaded files
    contact_name = models.CharField(_("contact person"), max_length=120)
    contact_email = models.EmailField(_("contact email"))
    status = models.CharField(max_length=12, choices=Pipeline.choices, default=Pipeline.DRAFT)
    closed_reason = models.TextField(_("reason for closing"), blank=True)
    partner = models.ForeignKey(
        "Partner", null=True, blank=True, on_delete=models.SET_NULL, related_name="deals"
    )  # the partner of the LOI / contract
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("KPBU proposal")
        verbose_name_plural = _("KPBU proposals")

    def __str__(self) -> str:
        return self.title


class Partner(models.Model):
    """A company that wants to co-build smart city services; verified by a national admin before it sees
    contact details."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner")
    name = models.CharField(_("company name"), max_length=200)
    nib = models.CharField(_("NIB (business identification number)"), max_length=13, unique=True)
    npwp = models.CharField(_("NPWP (tax id)"), max_length=16)
    sectors = models.JSONField(_("sectors"), default=list)
    pillars = models.JSONField(_("pillars"), default=list)
    schemes = models.JSONField(_("schemes"), default=list)
    ticket_min_idr = models.BigIntegerField(_("smallest ticket (Rp)"), default=0)
    ticket_max_idr = models.BigIntegerField(_("largest ticket (Rp)"), null=True, blank=True)
    regions = models.JSONField(_("regions of interest"), default=list)  # region or province codes
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self) -> str:
        return self.name


class Interest(models.Model):
    """A partner's expression of interest in a published proposal, accepted or declined by the region."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="interests")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="interests")
    message = models.TextField(_("message"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENT)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reply = models.TextField(_("reply to the partner"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["proposal", "partner"], name="uniq_interest")]

    def __str__(self) -> str:
        return f"{self.partner} → {self.proposal}"


def document_path(instance: ProposalDocument, filename: str) -> str:
    return f"proposals/{instance.proposal_id}/{filename}"


class ProposalDocument(models.Model):
    """A readiness document of a proposal (pre-feasibility study, the regional head's support letter): a PDF
    or image checked by content on upload."""

    class Kind(models.TextChoices):
        PREFEASIBILITY = "prefeasibility_study", _("Pre-feasibility study")
        SUPPORT_LETTER = "support_letter", _("Regional head's support letter")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("document"), max_length=24, choices=Kind.choices)
    file = models.FileField(upload_to=document_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.original_name


class PipelineStep(models.Model):
    """One move of a proposal along the pipeline, with its date, who recorded it and why."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(max_length=12, choices=Pipeline.choices)
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)
    partner = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["proposal", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.status} {self.on}"


class MatchmakingEvent(models.Model):
    """A business matchmaking forum organised by the ministry, where regions meet partners."""

    name = models.CharField(_("name"), max_length=200)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "pk"]
        verbose_name = _("matchmaking event")
        verbose_name_plural = _("matchmaking events")

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    """A meeting between a region and a partner about a proposal, at a matchmaking event or on its own."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="meetings")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="meetings")
    event = models.ForeignKey(
        MatchmakingEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    held_on = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.partner} · {self.proposal} · {self.held_on}"
