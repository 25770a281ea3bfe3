"""The six smart city pillars and their elements: the frame of every master plan and evaluation."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Bilingual(models.Model):
    """A record named in Bahasa Indonesia and English; `name` follows the active language."""

    name_id = models.CharField(_("name (Indonesian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "id").startswith("en") else self.name_id


class Pillar(Bilingual):
    """One of the six pillars (governance, branding, economy, society, living, environment)."""

    key = models.SlugField(_("key"), max_length=30, unique=True)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    colour = models.CharField(_("colour"), max_length=7, default="#555555")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")

    @property
    def description(self) -> str:
        return self.description_en if (get_language() or "id").startswith("en") else self.description_id


class Element(Bilingual):
    """An element (sub-dimension) of a pillar, e.g. Smart Living → Kesehatan."""

    pillar = models.ForeignKey(Pillar, on_delete=models.CASCADE, related_name="elements")
    key = models.SlugField(_("key"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["pillar__order", "order"]
        verbose_name = _("element")
        verbose_name_plural = _("elements")
        constraints = [models.UniqueConstraint(fields=["pillar", "key"], name="uniq_element_key")]
