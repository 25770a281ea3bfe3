"""The yearly program: cohorts, participation of regions, MoU, mentor teams and guidance sessions."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.validators import plausible_moment


class Cohort(models.Model):
    """One yearly cohort with its quotas, timeline and selection rules (all configurable, with defaults)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    quota_kabkota = models.PositiveSmallIntegerField(_("quota of kabupaten/kota"), default=50)
    quota_provinces = models.PositiveSmallIntegerField(_("quota of provinces"), default=0)
    questionnaire = models.ForeignKey(
        "assessment.Questionnaire",
        verbose_name=_("questionnaire"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cohorts",
    )
    invitation_opens = models.DateField(_("invitations open"), null=True, blank=True)
    submission_deadline = models.DateTimeField(
        _("assessment deadline"), null=True, blank=True, validators=[plausible_moment]
    )
    selection_date = models.DateField(_("selection"), null=True, blank=True)
    guidance_starts = models.DateField(_("guidance (bimtek) starts"), null=True, blank=True)
    plan_due = models.DateField(_("master plan due"), null=True, blank=True)
    reviewers_per_submission = models.PositiveSmallIntegerField(_("reviewers per submission"), default=2)
    exclude_own_province = models.BooleanField(
        _("reviewers never score their own province"),
        default=True,
    )
    max_per_province = models.PositiveSmallIntegerField(
        _("at most this many selected per province"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    min_eastern = models.PositiveSmallIntegerField(
        _("at least this many from eastern Indonesia"),
        null=True,
        blank=True,
        help_text=_("Empty: no minimum."),
    )
    candidate_weights = models.JSONField(
        _("candidate list weights"),
        default=dict,
        blank=True,
        help_text=_(
            "Weights of fiscal_capacity, green_city_index, lg_performance_index and "
            "sustainable_city_index; empty: the defaults 0.25, 0.25, 0.3, 0.2."
        ),
    )
    priority_sectors = models.CharField(
        _("priority sectors for invitations"), max_length=200, blank=True, help_text=_("Comma-separated.")
    )
    selection_published = models.BooleanField(_("selection published"), default=False)
    is_example = models.BooleanField(
        _("example data"),
        default=False,
        help_text=_("Demo data: shown as an example, never as the official list."),
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")

    def __str__(self) -> str:
        return self.title or str(self.year)

    def clean(self) -> None:
        from .candidates import DEFAULT_WEIGHTS

        weights = self.candidate_weights or {}
        unknown = set(weights) - set(DEFAULT_WEIGHTS)
        bad = [k for k, v in weights.items() if not isinstance(v, int | float) or v < 0]
        if unknown or bad or (weights and not sum(weights.values())):
            raise ValidationError(
                {
                    "candidate_weights": _("Give non-negative numbers for: %(keys)s.")
                    % {"keys": ", ".join(DEFAULT_WEIGHTS)}
                }
            )

    def submission_open(self, now: object = None) -> bool:
        return self.submission_deadline is None or (now or timezone.now()) <= self.submission_deadline


class InvitedVia(models.TextChoices):
    CANDIDATE_LIST = "candidate_list", _("Candidate list")
    MAP = "map", _("Map")
    IMPORT = "import", _("Imported list")
    SELF_NOMINATION = "self_nomination", _("Self-nomination")
    HISTORY = "history", _("Recorded history")


class Participation(models.Model):
    """A region (kabupaten/kota) or a province taking part in a cohort, from invitation to master plan."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="participations")
    region = models.ForeignKey(
        "regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="participations"
    )
    province = models.ForeignKey(
        "regions.Province", null=True, blank=True, on_delete=models.PROTECT, related_name="participations"
    )
    invited_via = models.CharField(
        max_length=20, choices=InvitedVia.choices, default=InvitedVia.CANDIDATE_LIST
    )
    invited_at = models.DateTimeField(default=timezone.now)
    selected = models.BooleanField(_("selected"), default=False)
    selection_reason = models.CharField(_("selection reason"), max_length=300, blank=True)
    override_reason = models.TextField(_("override reason"), blank=True)
    mentor_team = models.ForeignKey(
        "program.MentorTeam", null=True, blank=True, on_delete=models.SET_NULL, related_name="participations"
    )
    plan_approved_on = models.DateField(_("master plan approved"), null=True, blank=True)

    class Meta:
        ordering = ["cohort", "region", "province"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "region"], name="uniq_cohort_region"),
            models.UniqueConstraint(fields=["cohort", "province"], name="uniq_cohort_province"),
            models.CheckConstraint(
                condition=(
                    models.Q(region__isnull=False, province__isnull=True)
                    | models.Q(region__isnull=True, province__isnull=False)
                ),
                name="participant_is_region_xor_province",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_name} – {self.cohort.year}"

    @property
    def participant_name(self) -> str:
        return str(self.region or self.province)

    @property
    def participant_code(self) -> str:
        return str(self.region_id or self.province_id)

    @property
    def province_code(self) -> str:
        return str(self.region.province_id if self.region_id else self.province_id)  # type: ignore[union-attr]

    def clean(self) -> None:
        if bool(self.region_id) == bool(self.province_id):
            raise ValidationError(_("A participant is either one kabupaten/kota or one province."))


def mou_path(instance: Mou, filename: str) -> str:
    return f"mou/{instance.participation.cohort.year}/{instance.participation.participant_code}/{filename}"


class Mou(models.Model):
    """The signed nota kesepakatan of a selected participant."""

    participation = models.OneToOneField(Participation, on_delete=models.CASCADE, related_name="mou")
    signed_on = models.DateField(_("signed on"))
    signatories = models.TextField(_("signatories"), help_text=_("One per line: name, position."))
    document = models.FileField(_("signed document"), upload_to=mou_path, blank=True)

    class Meta:
        verbose_name = _("MoU")
        verbose_name_plural = _("MoUs")

    def __str__(self) -> str:
        return f"MoU {self.participation} ({self.signed_on})"


class MentorTeam(models.Model):
    """A mentor team (tim pembimbing): a university or consultancy whose members are reviewer accounts."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("University")
        CONSULTANCY = "consultancy", _("Consultancy")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="mentor_teams")

    class Meta:
        ordering = ["name"]
        verbose_name = _("mentor team")
        verbose_name_plural = _("mentor teams")

    def __str__(self) -> str:
        return self.name


class SessionKind(models.TextChoices):
    BIMTEK_1 = "bimtek_1", _("Bimtek I — readiness and strategic analysis")
    BIMTEK_2 = "bimtek_2", _("Bimtek II — program mapping")
    BIMTEK_3 = "bimtek_3", _("Bimtek III — innovation and the master plan book")
    BIMTEK_4 = "bimtek_4", _("Bimtek IV — finalisation and commitment")
    FGD = "fgd", _("Local FGD")


class GuidanceSession(models.Model):
    """A bimtek round or a local FGD of one participant: agenda, place, attendance, minutes, outputs."""

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("kind"), max_length=12, choices=SessionKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"), validators=[plausible_moment])
    place = models.CharField(_("place"), max_length=200, blank=True)
    link = models.URLField(_("online link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    held = models.BooleanField(_("held"), default=False)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("guidance session")
        verbose_name_plural = _("guidance sessions")

    def __str__(self) -> str:
        return self.title or self.get_kind_display()


class SessionParticipant(models.Model):
    """Someone invited to a session: a region official (by OPD) or a mentor; attendance is recorded."""

    session = models.ForeignKey(GuidanceSession, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("name"), max_length=200)
    opd = models.CharField(_("OPD / institution"), max_length=200, blank=True)
    is_mentor = models.BooleanField(default=False)
    attended = models.BooleanField(_("attended"), default=False)

    def __str__(self) -> str:
        return self.name


def worksheet_path(instance: SessionFile, filename: str) -> str:
    return f"sessions/{instance.session_id}/{filename}"


class SessionFile(models.Model):
    """A worksheet or other file uploaded to a session."""

    session = models.ForeignKey(GuidanceSession, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=worksheet_path)
    title = models.CharField(max_length=200)
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.title


class SessionOutput(models.Model):
    """An output of a round (e.g. SWOT, vision keywords), linked to the master plan section it feeds."""

    session = models.ForeignKey(GuidanceSession, on_delete=models.CASCADE, related_name="outputs")
    kind = models.CharField(_("output"), max_length=40)
    content = models.TextField(_("content"))
    plan_section = models.CharField(_("master plan section"), max_length=60, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "kind"], name="uniq_session_output")]

    def __str__(self) -> str:
        return f"{self.session}: {self.kind}"


class FollowUp(models.Model):
    """A follow-up action agreed in a session, with an owner and a due date."""

    session = models.ForeignKey(GuidanceSession, on_delete=models.CASCADE, related_name="follow_ups")
    action = models.CharField(_("action"), max_length=300)
    owner = models.CharField(_("owner"), max_length=200)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on"]

    def __str__(self) -> str:
        return self.action
