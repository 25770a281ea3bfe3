"""The smart city master plan (rencana induk): structured data that the regional team writes, reviewers
comment on and the national office approves. Sections and initiatives carry a `row_version` so that two people
editing different parts never overwrite each other, and a stale form is refused with a clear message."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .checks import BUDGET_SOURCES


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    REVISION = "revision", _("Under revision")
    APPROVED = "approved", _("Approved")


class MasterPlan(models.Model):
    """A region's master plan for a period of 5–10 years; approval freezes a version for monitoring."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="master_plans")
    participation = models.ForeignKey(
        "program.Participation", null=True, blank=True, on_delete=models.SET_NULL, related_name="master_plans"
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    status = models.CharField(max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    published = models.BooleanField(_("published"), default=False)
    approved_version = models.ForeignKey(
        "masterplan.PlanVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_example = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["region", "-period_start"]
        verbose_name = _("master plan")
        verbose_name_plural = _("master plans")

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    """A text section of the plan: the strategic analysis parts, vision, mission, enablers and risks."""

    KEYS = [
        ("profile", _("Regional profile")),
        ("issues", _("Issues and problems")),
        ("potentials", _("Potentials")),
        ("swot", _("SWOT")),
        ("rpjmd_alignment", _("Alignment with the RPJMD")),
        ("national_alignment", _("Alignment with national priorities")),
        ("vision", _("Smart city vision")),
        ("mission", _("Mission")),
        ("enablers", _("Readiness of enablers")),
        ("risks", _("Risks")),
    ]

    plan = models.ForeignKey(MasterPlan, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(max_length=40)
    content = models.TextField(blank=True)
    row_version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="uniq_plan_section")]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.key}"


class PillarGoal(models.Model):
    """The plan's goal for one pillar, or the justification of leaving the pillar out."""

    plan = models.ForeignKey(MasterPlan, on_delete=models.CASCADE, related_name="goals")
    pillar = models.ForeignKey("pillars.Pillar", on_delete=models.PROTECT)
    goal = models.TextField(_("goal"), blank=True)
    justification = models.TextField(_("justification for no initiative"), blank=True)
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "pillar"], name="uniq_plan_pillar_goal")]

    def __str__(self) -> str:
        return f"{self.plan_id}:{self.pillar_id}"


class Target(models.Model):
    """An indicator target of a pillar goal: baseline and a value per year."""

    goal = models.ForeignKey(PillarGoal, on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey("indicators.Indicator", on_delete=models.PROTECT)
    baseline_year = models.PositiveSmallIntegerField(null=True, blank=True)
    baseline_value = models.FloatField(null=True, blank=True)
    yearly = models.JSONField(default=dict, blank=True, help_text=_('{"2026": 30.0, ...}'))

    def __str__(self) -> str:
        return f"{self.indicator_id} ({self.goal_id})"


class Layer(models.TextChoices):
    INFRASTRUCTURE = "infrastructure", _("Smart infrastructure")
    ECOSYSTEM = "ecosystem", _("Smart integrated ecosystem management")
    SOLUTION = "solution", _("Smart solution")


class Initiative(models.Model):
    """A program of the plan on one pillar element and one framework layer, with years, budget and owner."""

    plan = models.ForeignKey(MasterPlan, on_delete=models.CASCADE, related_name="initiatives")
    element = models.ForeignKey("pillars.Element", on_delete=models.PROTECT)
    layer = models.CharField(_("framework layer"), max_length=20, choices=Layer.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    lead_opd = models.CharField(_("lead agency (OPD)"), max_length=200, blank=True)
    partners = models.CharField(_("partners"), max_length=300, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    indicators = models.ManyToManyField("indicators.Indicator", blank=True, related_name="initiatives")
    depends_on = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="dependents")
    is_quick_win = models.BooleanField(_("quick win"), default=False)
    quick_win_owner = models.CharField(_("quick-win owner (OPD)"), max_length=200, blank=True)
    quick_win_deadline = models.DateField(_("quick-win deadline"), null=True, blank=True)
    visible_effect = models.BooleanField(_("direct, visible effect on citizens"), default=False)
    rpjmd_aligned = models.BooleanField(_("aligned with the RPJMD"), default=False)
    copied_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
        help_text=_("Attribution when copied from another region's published plan."),
    )
    order = models.PositiveIntegerField(default=0)
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["element__pillar__order", "element__order", "order", "pk"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")

    def __str__(self) -> str:
        return self.title


class BudgetLine(models.Model):
    """The indicative budget of an initiative for one year and one source, in whole rupiah."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=10, choices=[(s, s) for s in BUDGET_SOURCES])
    amount = models.BigIntegerField(validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["year", "source"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "year", "source"], name="uniq_budget_line"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.source} {self.amount}"


class PlanVersion(models.Model):
    """A frozen snapshot of the whole plan (JSON), taken at each submission and at approval."""

    plan = models.ForeignKey(MasterPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    event = models.CharField(max_length=20)  # submitted | approved | saved
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="uniq_plan_version")]

    def __str__(self) -> str:
        return f"{self.plan} v{self.number}"


class ReviewComment(models.Model):
    """A reviewer's comment anchored to a section, a pillar goal or an initiative of a submitted version."""

    plan = models.ForeignKey(MasterPlan, on_delete=models.CASCADE, related_name="comments")
    version = models.ForeignKey(PlanVersion, null=True, on_delete=models.SET_NULL)
    anchor = models.CharField(max_length=80)  # "section-swot", "initiative-12", "goal-living"
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)
    resolved = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.anchor}: {self.text[:40]}"


class Document(models.Model):
    """A generated official document (PDF or DOCX) of one plan version, built by a background task."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=4, choices=[("pdf", "PDF"), ("docx", "DOCX")])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="plans/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "kind"], name="uniq_version_document")]

    def __str__(self) -> str:
        return f"{self.version} {self.kind}"
