"""KPI bindings: checked before they are stored."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kotacerdas.core.permissions import require

from . import kpi
from .models import Indicator, KpiBinding


def create_binding(user: Any, data: Mapping[str, Any]) -> KpiBinding:
    """A binding of a catalogue indicator to readings; who may set alert rules for the region may do it."""
    region = data.get("region") or None
    require(user, "alerts.manage", region)
    indicator = Indicator.objects.filter(code=data.get("indicator")).first()
    if indicator is None:
        raise ValidationError(_("There is no indicator with that code in the catalogue."))
    method = data.get("method")
    if method not in kpi.METHODS:
        raise ValidationError(_("method must be one of: %(methods)s.") % {"methods": ", ".join(kpi.METHODS)})
    if method in ("share_below", "share_above") and data.get("threshold") is None:
        raise ValidationError(_("This aggregation needs a threshold."))
    if method in kpi.READING_METHODS and not data.get("attribute"):
        raise ValidationError(_("Name the attribute whose readings are aggregated."))
    if data.get("period", "month") not in kpi.PERIODS:
        raise ValidationError(_("period must be day, month or year."))
    return KpiBinding.objects.create(
        indicator=indicator,
        region_id=region,
        entity_type=str(data.get("entity_type") or ""),
        attribute=str(data.get("attribute") or ""),
        method=method,
        threshold=data.get("threshold"),
        period=data.get("period", "month"),
    )
