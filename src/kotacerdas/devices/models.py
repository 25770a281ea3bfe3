"""The device registry of the city data platform: service groups (an API key per region), devices with
their attribute mapping, and dead letters (every message that could not be stored, with the reason)."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_apikey() -> str:
    return secrets.token_hex(12)


class ServiceGroup(models.Model):
    """An IoT Agent service group: the API key devices of one region send with, and defaults for them."""

    class Protocol(models.TextChoices):
        ULTRALIGHT = "IoTA-UL", _("UltraLight 2.0")
        JSON = "IoTA-JSON", _("JSON")

    region = models.ForeignKey("regions.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    apikey = models.CharField(_("API key"), max_length=64, unique=True, default=new_apikey)
    resource = models.CharField(_("resource"), max_length=100, default="/iot/d")
    entity_type = models.CharField(_("entity type"), max_length=100, default="Device")
    protocol = models.CharField(_("protocol"), max_length=10, choices=Protocol.choices, default="IoTA-UL")
    autoprovision = models.BooleanField(_("provision unknown devices automatically"), default=False)
    attributes = models.JSONField(_("attribute mapping"), default=list, blank=True)
    static_attributes = models.JSONField(_("static attributes"), default=list, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["region", "apikey"]
        verbose_name = _("service group")
        verbose_name_plural = _("service groups")

    def __str__(self) -> str:
        return f"{self.region_id} · {self.entity_type} · {self.apikey[:6]}…"


class Device(models.Model):
    """A sensor: the entity its readings update and how its object ids map to attributes (name, type,
    unit code, plausible range). Silent for longer than its expected interval, it becomes unavailable."""

    group = models.ForeignKey(ServiceGroup, on_delete=models.CASCADE, related_name="devices")
    device_id = models.CharField(_("device id"), max_length=100)
    entity_name = models.CharField(_("entity id"), max_length=256)
    entity_type = models.CharField(_("entity type"), max_length=100)
    attributes = models.JSONField(_("attribute mapping"), default=list, blank=True)
    static_attributes = models.JSONField(_("static attributes"), default=list, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    expected_interval = models.PositiveIntegerField(_("expected interval (seconds)"), default=900)
    last_seen = models.DateTimeField(_("last reading"), null=True, blank=True)
    available = models.BooleanField(_("available"), default=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["group", "device_id"]
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        constraints = [models.UniqueConstraint(fields=["group", "device_id"], name="devices_device_unique")]

    def __str__(self) -> str:
        return self.device_id


class DeadLetter(models.Model):
    """A message that was not stored: the raw bytes, where it came from and why it was refused."""

    received_at = models.DateTimeField(_("received"), db_index=True)
    transport = models.CharField(_("transport"), max_length=10)  # mqtt, http
    channel = models.CharField(_("topic or path"), max_length=300)
    apikey = models.CharField(_("API key"), max_length=64, blank=True)
    device_id = models.CharField(_("device id"), max_length=100, blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.SET_NULL
    )
    raw = models.BinaryField(_("raw message"))
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("dead letter")
        verbose_name_plural = _("dead letters")

    def __str__(self) -> str:
        return f"{self.channel}: {self.reason[:60]}"

    @property
    def text(self) -> str:
        """The raw message as text (bytes that are not UTF-8 shown as \\x escapes)."""
        return bytes(self.raw).decode("utf-8", errors="backslashreplace")
