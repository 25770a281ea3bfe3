"""Harmonisation across regions: clusters of regions that plan as one ecosystem (IKN and its buffer
regions, a tourism destination) and the joint initiatives (shared services) linked to each member's plan."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Cluster(models.Model):
    """A group of regions defined by national admins to plan together."""

    class Kind(models.TextChoices):
        CAPITAL = "capital", _("The new capital (IKN) and its buffer regions")
        TOURISM = "tourism", _("Tourism destination")
        METROPOLITAN = "metropolitan", _("Metropolitan area")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField("regions.Region", related_name="clusters", verbose_name=_("members"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cluster")
        verbose_name_plural = _("clusters")

    def __str__(self) -> str:
        return self.name


class JointInitiative(models.Model):
    """A shared service or joint initiative of a cluster (one platform used by several regions), linked to
    the initiatives of each member's plan it replaces or joins."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="joint_initiatives")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    pillar = models.ForeignKey("pillars.Pillar", on_delete=models.PROTECT, verbose_name=_("pillar"))
    lead_region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("lead region")
    )
    initiatives = models.ManyToManyField(
        "masterplan.Initiative", related_name="joint_initiatives", verbose_name=_("members' initiatives")
    )
    reasons = models.JSONField(_("why (the overlap found)"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cluster", "title"]
        verbose_name = _("joint initiative")
        verbose_name_plural = _("joint initiatives")

    def __str__(self) -> str:
        return self.title
