"""The readiness assessment: versioned questionnaires, a region's submission with evidence, reviews."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Questionnaire(models.Model):
    """A versioned readiness questionnaire (dimensions → criteria); published versions are frozen."""

    version = models.CharField(_("version"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    published = models.BooleanField(_("published"), default=False)
    disagreement_threshold = models.FloatField(
        _("disagreement threshold (points of 100)"),
        default=15.0,
        help_text=_("A larger gap between two reviewers' totals asks for a third review. Default 15."),
    )
    created = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"


class Dimension(models.Model):
    """A dimension of readiness (struktur, infrastruktur, suprastruktur, leadership) with its weight."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="dimensions")
    key = models.SlugField(_("key"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    weight = models.FloatField(_("weight (%)"), default=25.0)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "key"], name="uniq_dimension_key")]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """One question answered by the region and scored by reviewers on a scale (default 1–5)."""

    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("code"), max_length=20)
    sub_element = models.CharField(_("sub-element"), max_length=80)
    question = models.TextField(_("question"))
    guidance = models.TextField(_("scoring guidance"), blank=True)
    scale_min = models.PositiveSmallIntegerField(_("scale minimum"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("scale maximum"), default=5)
    weight = models.FloatField(_("weight"), default=1.0)
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["dimension__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="uniq_criterion_code"),
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min")), name="criterion_scale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.question[:60]}"


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    SCORED = "scored", _("Scored")


class Submission(models.Model):
    """A participant's answers to the cohort's questionnaire; read-only for the region once submitted."""

    participation = models.OneToOneField(
        "program.Participation", on_delete=models.CASCADE, related_name="submission"
    )
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="submissions")
    status = models.CharField(max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reopened_until = models.DateTimeField(
        _("reopened until"),
        null=True,
        blank=True,
        help_text=_("Set by a national admin to accept a late submission until this time."),
    )
    return_note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    final_score = models.FloatField(null=True, blank=True)
    dimension_scores = models.JSONField(default=dict, blank=True)
    disagreement = models.FloatField(null=True, blank=True)
    needs_third_review = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return f"{self.participation} ({self.get_status_display()})"


class Answer(models.Model):
    """The region's self-assessment of one criterion: a value on the scale and a narrative."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="answers")
    value = models.PositiveSmallIntegerField(_("value"), null=True, blank=True)
    narrative = models.TextField(_("explanation"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "criterion"], name="uniq_answer")]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"evidence/{instance.answer.submission_id}/{instance.answer.criterion_id}/{filename}"


class Evidence(models.Model):
    """An evidence file (PDF or image) attached to an answer; type and size are checked on upload."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.original_name


class ReviewAssignment(models.Model):
    """A national reviewer assigned to score a submission (a third reviewer after a disagreement)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews")
    is_third_review = models.BooleanField(default=False)
    assigned_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "reviewer"], name="uniq_assignment")]

    def __str__(self) -> str:
        return f"{self.reviewer} → {self.submission}"


class ReviewScore(models.Model):
    """A reviewer's score of one criterion, with a comment."""

    assignment = models.ForeignKey(ReviewAssignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT)
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="uniq_review_score")]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"
