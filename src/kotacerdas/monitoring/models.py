"""Implementation monitoring (milestones, progress reports, budget realisation) and the yearly evaluation
(rounds, self-assessment with verification, impact surveys, the computed index)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.masterplan.checks import BUDGET_SOURCES

from .index import DEFAULT_WEIGHTS


class ProgressStatus(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    LATE = "late", _("Late")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class Milestone(models.Model):
    """A dated step of an initiative of an approved plan; overdue and not done makes the initiative late."""

    initiative = models.ForeignKey(
        "masterplan.Initiative", on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    """A regional officer's report on one initiative: percent done, narrative, status, realised budget;
    a national reviewer verifies it (only verified reports count in the evaluation)."""

    initiative = models.ForeignKey(
        "masterplan.Initiative", on_delete=models.CASCADE, related_name="progress_reports"
    )
    reported_on = models.DateField(_("reported on"), default=timezone.localdate)
    percent = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    status = models.CharField(_("status"), max_length=10, choices=ProgressStatus.choices)
    narrative = models.TextField(_("narrative"))
    drop_reason = models.TextField(_("reason for dropping"), blank=True)
    budget_justification = models.TextField(_("justification of spending above the plan"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="progress_reports"
    )
    created_at = models.DateTimeField(default=timezone.now)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verification_note = models.TextField(_("verification note"), blank=True)

    class Meta:
        ordering = ["-reported_on", "-pk"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id} {self.reported_on}: {self.percent}%"


class BudgetRealisation(models.Model):
    """Money actually spent on the initiative in a year from one source, in whole rupiah."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="budget")
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source"), max_length=10, choices=[(s, s) for s in BUDGET_SOURCES])
    amount = models.BigIntegerField(_("amount (Rp)"), validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["year", "source"]
        constraints = [
            models.UniqueConstraint(fields=["report", "year", "source"], name="uniq_realisation"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="realisation_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.source} {self.amount}"


def evidence_path(instance: ProgressEvidence, filename: str) -> str:
    return f"progress/{instance.report.initiative_id}/{instance.report_id}/{filename}"


class ProgressEvidence(models.Model):
    """A file (PDF, image, XLSX, DOCX) proving a progress report; type and size checked on upload."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.original_name


class EvaluationRound(models.Model):
    """The yearly evaluation window opened by the program office, with its method (weights, scale)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    weights = models.JSONField(_("dimension weights"), default=dict)
    scale_max = models.FloatField(_("top of the scale"), default=5.0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")

    def __str__(self) -> str:
        return f"Evaluasi {self.year}"

    def weight_map(self) -> dict[str, float]:
        return {**DEFAULT_WEIGHTS, **(self.weights or {})}

    def is_open(self, today: object = None) -> bool:
        day = today or timezone.localdate()
        return self.opens_on <= day <= self.closes_on  # type: ignore[operator]


class AssessedDimension(models.TextChoices):
    OUTPUT = "output", _("Output (policy, institutions, budget)")
    QUICKWIN = "quickwin", _("Quick win (innovation)")


class SelfAssessment(models.Model):
    """A region's own score for an assessed dimension with evidence; an assessor verifies it (score and
    interview notes). Only the verified score enters the index."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="assessments")
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="self_assessments")
    dimension = models.CharField(_("dimension"), max_length=10, choices=AssessedDimension.choices)
    self_score = models.FloatField(_("self-assessed score"))
    narrative = models.TextField(_("evidence narrative"))
    evidence = models.FileField(_("evidence"), upload_to="evaluation/", blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    verified_score = models.FloatField(_("verified score"), null=True, blank=True)
    interview_notes = models.TextField(_("interview notes"), blank=True)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["region", "dimension"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [
            models.UniqueConstraint(fields=["round", "region", "dimension"], name="uniq_self_assessment")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.round.year} {self.dimension}"


class ImpactSurvey(models.Model):
    """The impact survey of one program (at most three per pillar element) of a region in a round."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="surveys")
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="impact_surveys")
    element = models.ForeignKey("pillars.Element", on_delete=models.PROTECT)
    program = models.CharField(_("program"), max_length=200)

    class Meta:
        ordering = ["region", "element__pillar__order", "element__order", "program"]
        verbose_name = _("impact survey")
        verbose_name_plural = _("impact surveys")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "region", "element", "program"], name="uniq_impact_survey"
            )
        ]

    def __str__(self) -> str:
        return self.program


class ImpactResponse(models.Model):
    """One respondent's answers (each 1–5) about a surveyed program."""

    survey = models.ForeignKey(ImpactSurvey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.CharField(_("respondent"), max_length=100)
    answers = models.JSONField(_("answers (1–5)"))
    mean = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "respondent"], name="uniq_impact_respondent")
        ]

    def __str__(self) -> str:
        return f"{self.respondent}: {self.mean:.2f}"


class Evaluation(models.Model):
    """A region's computed evaluation for a year, with everything needed to explain it (`trace`)."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="evaluations")
    year = models.PositiveSmallIntegerField()
    score = models.FloatField(null=True)
    maturity_level = models.PositiveSmallIntegerField(null=True)
    rank = models.PositiveIntegerField(null=True)
    change = models.FloatField(null=True)
    coverage = models.FloatField()
    pillars = models.JSONField(default=dict)  # pillar key → score (or None)
    trace = models.JSONField(default=dict)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["year", "rank", "region"]
        verbose_name = _("evaluation result")
        verbose_name_plural = _("evaluation results")
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="uniq_evaluation")]
        indexes = [models.Index(fields=["year", "rank"])]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}: {self.score}"


class EvaluationRun(models.Model):
    """How a year was last computed: the method (weights, scale, aggregation) and the goalposts of every
    indicator (stored once per year; each region's trace refers to them)."""

    year = models.PositiveSmallIntegerField(unique=True)
    method = models.JSONField(default=dict)
    goalposts = models.JSONField(default=dict)  # indicator code → [low, high, "set" | "observed"]
    computed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.year} ({self.computed_at:%Y-%m-%d %H:%M})"
