"""The region list as a django-tables2 table."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Region


class RegionTable(tables.Table):
    """Columns of the region list page."""

    code = tables.Column(verbose_name=_("Code"), linkify=True)
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    kind = tables.Column(verbose_name=_("Kind"))
    province = tables.Column(verbose_name=_("Province"), accessor="province__name", order_by="province__name")
    coordinates = tables.TemplateColumn(
        template_name="regions/_coordinates_cell.html",
        verbose_name=_("Coordinates"),
        orderable=False,
        accessor="latitude",
    )

    class Meta:
        model = Region
        fields = ("code", "name", "kind", "province", "coordinates")
        attrs = {"class": "table", "id": "region-table"}
        per_page = 50
