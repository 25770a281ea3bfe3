"""Early warning: alert rules stored as data, their state per entity, alerts with a lifecycle and history,
and a durable outbox of notification deliveries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Severity(models.IntegerChoices):
    """The Indonesian warning scale."""

    NORMAL = 0, "Normal"
    WASPADA = 1, "Waspada"
    SIAGA = 2, "Siaga"
    AWAS = 3, "Awas"


class AlertRule(models.Model):
    """A condition on readings of one attribute of entities of one type (optionally one entity, one region).

    Per-level thresholds are numbers (`thresholds`: {"Waspada": 2.0, ...}) or the entity's own attributes
    (`level_attributes`: {"Siaga": "alertLevel", "Awas": "dangerLevel"}, as FloodMonitoring has them).
    """

    class Kind(models.TextChoices):
        THRESHOLD = "threshold", _("Threshold")
        RATE = "rate", _("Rate of rise")
        STALE = "stale", _("No data")
        ALL = "all", _("All of")
        ANY = "any", _("Any of")

    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.CASCADE
    )
    entity_type = models.CharField(_("entity type"), max_length=100)
    entity_id = models.CharField(_("entity id (empty: every entity of the type)"), max_length=256, blank=True)
    attribute = models.CharField(_("attribute"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.THRESHOLD)
    thresholds = models.JSONField(_("thresholds per level"), default=dict, blank=True)
    level_attributes = models.JSONField(_("thresholds from entity attributes"), default=dict, blank=True)
    above = models.BooleanField(_("alert when above (otherwise below)"), default=True)
    hysteresis = models.FloatField(_("hysteresis"), default=0)
    debounce_count = models.PositiveIntegerField(_("consecutive readings"), default=1)
    debounce_seconds = models.PositiveIntegerField(_("for at least (seconds)"), default=0)
    window_seconds = models.PositiveIntegerField(_("window (seconds)"), default=3600)
    stale_seconds = models.PositiveIntegerField(_("no data for (seconds)"), default=0)
    severity = models.IntegerField(_("severity"), choices=Severity.choices, default=Severity.WASPADA)
    parts = models.JSONField(_("parts (combinations)"), default=list, blank=True)
    category = models.CharField(_("category"), max_length=40, default="naturalDisaster")
    sub_category = models.CharField(_("sub-category"), max_length=40, default="flood")
    escalate_after_minutes = models.PositiveIntegerField(_("escalate after (minutes)"), null=True, blank=True)
    channels = models.JSONField(_("notification channels"), default=list, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")

    def __str__(self) -> str:
        return self.name


class RuleState(models.Model):
    """The remembered state of a rule for one entity (conditions.State as JSON)."""

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="states")
    entity_id = models.CharField(max_length=256)
    tenant = models.CharField(max_length=64)
    state = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rule", "entity_id"], name="alerts_state_unique")]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.entity_id}"


class Alert(models.Model):
    """A raised warning: one open alert per rule and entity at a time (de-duplication), kept as history."""

    class Status(models.TextChoices):
        RAISED = "raised", _("Raised")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        RESOLVED = "resolved", _("Resolved")

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="alerts")
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.SET_NULL)
    tenant = models.CharField(max_length=64)
    entity_id = models.CharField(_("entity"), max_length=256)
    severity = models.IntegerField(_("severity"), choices=Severity.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RAISED)
    value = models.FloatField(_("value"), null=True, blank=True)
    raised_at = models.DateTimeField(_("raised"), db_index=True)
    updated_at = models.DateTimeField(_("updated"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "entity_id"], condition=~Q(status="resolved"), name="alerts_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_severity_display()} {self.entity_id}"

    @property
    def ngsi_ld_id(self) -> str:
        return f"urn:ngsi-ld:Alert:{self.tenant}:{self.pk}"


class AlertEvent(models.Model):
    """One step of an alert's history: raised, severity changed, acknowledged, escalated, resolved."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=20)
    severity = models.IntegerField(choices=Severity.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]  # the order things were recorded (a back-filled reading may carry an older time)

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"


class Delivery(models.Model):
    """A notification to send (the durable outbox) and, once tried, its delivery log."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=20)
    channel = models.CharField(max_length=10)  # webhook, email, mqtt, inapp
    target = models.CharField(max_length=500, blank=True)
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="alerts_delivery_due")]

    def __str__(self) -> str:
        return f"{self.channel} {self.target} {self.status}"
