"""The open data catalogue: datasets the program publishes, with their metadata (DCAT / CKAN)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Dataset(models.Model):
    """A published (or withdrawn) dataset: metadata plus the builder (`kind`) that produces its rows."""

    class Frequency(models.TextChoices):
        CONTINUOUS = "continuous", _("Continuously")
        DAILY = "daily", _("Daily")
        MONTHLY = "monthly", _("Monthly")
        ANNUAL = "annual", _("Yearly")
        IRREGULAR = "irregular", _("Irregularly")

    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    kind = models.CharField(_("content"), max_length=30)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    publisher = models.CharField(_("publisher"), max_length=200)
    licence = models.CharField(_("licence"), max_length=40, default="CC-BY-4.0")
    frequency = models.CharField(_("update frequency"), max_length=12, choices=Frequency.choices)
    spatial = models.CharField(_("spatial coverage"), max_length=200, default="Indonesia")
    published = models.BooleanField(_("published"), default=False)
    modified = models.DateTimeField(_("modified"), default=timezone.now)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")

    def __str__(self) -> str:
        return self.title
