"""The indicator catalogue: the 91 U4SSC KPIs (seeded) plus national indicators added by admins."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Indicator(models.Model):
    """A KPI with its unit, direction (is higher better?) and the pillar it informs."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    class Level(models.TextChoices):
        CORE = "core", _("Core")
        ADVANCED = "advanced", _("Advanced")
        NATIONAL = "national", _("National")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=60)
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    pillar = models.ForeignKey("pillars.Pillar", on_delete=models.PROTECT, related_name="indicators")
    definition = models.TextField(_("definition"), blank=True)
    formula = models.CharField(_("formula"), max_length=300, blank=True)
    category_path = models.CharField(
        _("U4SSC dimension › sub-dimension › category"), max_length=200, blank=True
    )
    data_source = models.CharField(_("Indonesian data source"), max_length=300, blank=True)
    goal_min = models.FloatField(_("goalpost minimum"), null=True, blank=True)
    goal_max = models.FloatField(_("goalpost maximum"), null=True, blank=True)

    class Meta:
        ordering = ["pillar__order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
