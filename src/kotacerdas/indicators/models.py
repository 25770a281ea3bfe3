"""The indicator catalogue: the 91 U4SSC KPIs (seeded) plus national indicators added by admins."""

from __future__ import annotations

from django.conf import settings
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
    plausible_min = models.FloatField(_("smallest plausible value"), null=True, blank=True)
    plausible_max = models.FloatField(_("largest plausible value"), null=True, blank=True)

    class Meta:
        ordering = ["pillar__order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class KpiBinding(models.Model):
    """An indicator computed from live data: which readings (entity type, attribute), how (aggregation,
    threshold), per which period, for one region or for every region that has such data."""

    class Method(models.TextChoices):
        AVG = "avg", _("Average")
        MIN = "min", _("Minimum")
        MAX = "max", _("Maximum")
        SUM = "sum", _("Sum")
        COUNT = "count", _("Number of readings")
        SHARE_BELOW = "share_below", _("% of hours below the threshold")
        SHARE_ABOVE = "share_above", _("% of hours above the threshold")
        ALERTS = "alerts_count", _("Number of alerts raised")
        AVAILABILITY = "availability", _("Sensor availability %")

    class Period(models.TextChoices):
        DAY = "day", _("Day")
        MONTH = "month", _("Month")
        YEAR = "year", _("Year")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="bindings")
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.CASCADE
    )
    entity_type = models.CharField(_("entity type"), max_length=100)
    attribute = models.CharField(_("attribute"), max_length=100, blank=True)
    method = models.CharField(_("aggregation"), max_length=20, choices=Method.choices)
    threshold = models.FloatField(_("threshold"), null=True, blank=True)
    period = models.CharField(_("period"), max_length=5, choices=Period.choices, default=Period.MONTH)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("KPI data binding")
        verbose_name_plural = _("KPI data bindings")

    def __str__(self) -> str:
        return f"{self.indicator.code} ← {self.method}({self.entity_type}.{self.attribute})"


class KpiValue(models.Model):
    """A computed KPI value for a region and period, with its provenance."""

    binding = models.ForeignKey(KpiBinding, on_delete=models.CASCADE, related_name="values")
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to (exclusive)"))
    value = models.FloatField(_("value"), null=True, blank=True)
    reading_count = models.PositiveIntegerField(_("readings used"))
    query = models.TextField(_("how it was computed"))
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        ordering = ["-period_start", "region"]
        verbose_name = _("KPI value")
        verbose_name_plural = _("KPI values")
        constraints = [
            models.UniqueConstraint(
                fields=["binding", "region", "period_start"], name="indicators_kpi_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.binding.indicator.code} {self.region_id} {self.period_start}: {self.value}"


class IndicatorValue(models.Model):
    """An indicator's value for a region and year: entered by hand or imported (with source and evidence),
    or taken from the KPIs computed from live data. One value per indicator, region and year."""

    class Method(models.TextChoices):
        MANUAL = "manual", _("Entered")
        IMPORT = "import", _("Imported")
        COMPUTED = "computed", _("Computed from live data")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="indicator_values")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.FloatField(_("value"))
    method = models.CharField(_("how it was obtained"), max_length=10, choices=Method.choices)
    source = models.CharField(_("source"), max_length=300)
    evidence = models.FileField(_("evidence"), upload_to="indicator-evidence/", blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered"), auto_now=True)

    class Meta:
        ordering = ["indicator", "region", "year"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "region", "year"], name="uniq_indicator_value")
        ]
        indexes = [models.Index(fields=["year", "region"])]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.region_id} {self.year}: {self.value}"
