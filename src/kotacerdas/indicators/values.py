"""Indicator values per region and year: entered by hand, imported from XLSX/CSV (all or nothing, with row
errors), or taken from the KPIs computed from live data; and the catalogue's national indicators and
goalposts. Every value is checked against the indicator's unit and plausible bounds."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.core.permissions import can, require
from kotacerdas.core.uploads import DOCUMENTS, upload_errors
from kotacerdas.pillars.models import Pillar
from kotacerdas.regions.models import Region

from .models import Indicator, IndicatorValue, KpiValue

FIRST_YEAR = 2015
PERCENT_UNITS = ("%",)
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


def bounds(indicator: Indicator) -> tuple[float | None, float | None]:
    """Plausible bounds: the indicator's own, else 0–100 for a percentage, else none below zero."""
    low, high = indicator.plausible_min, indicator.plausible_max
    if indicator.unit.strip() in PERCENT_UNITS:
        return (0.0 if low is None else low), (100.0 if high is None else high)
    return (0.0 if low is None else low), high


def value_errors(indicator: Indicator, value: Any, unit: str | None = None, year: Any = None) -> list[str]:
    """Why a value cannot be stored for this indicator (empty when it can)."""
    errors = []
    if unit not in (None, "") and str(unit).strip() != indicator.unit.strip():
        errors.append(
            _("%(code)s is measured in %(unit)s, not %(given)s.")
            % {"code": indicator.code, "unit": indicator.unit, "given": unit}
        )
    try:
        number = float(value)
    except (TypeError, ValueError):
        return [*errors, _("%(value)s is not a number.") % {"value": value}]
    if number != number or number in (float("inf"), float("-inf")):
        return [*errors, _("The value must be a finite number.")]
    low, high = bounds(indicator)
    if (low is not None and number < low) or (high is not None and number > high):
        errors.append(
            _("%(value)s is outside the plausible range of %(code)s (%(low)s – %(high)s %(unit)s).")
            % {
                "value": number,
                "code": indicator.code,
                "low": low,
                "high": high if high is not None else "∞",
                "unit": indicator.unit,
            }
        )
    if year is not None and not _year_ok(year):
        errors.append(_("The year must be between %(first)d and %(last)d.") % _years())
    return errors


def _years() -> dict[str, int]:
    return {"first": FIRST_YEAR, "last": timezone.localdate().year}


def _year_ok(year: Any) -> bool:
    try:
        return FIRST_YEAR <= int(year) <= timezone.localdate().year
    except (TypeError, ValueError):
        return False


def enter_value(
    user: Any,
    indicator: Indicator,
    region: str,
    year: int,
    value: Any,
    source: str,
    unit: str | None = None,
    evidence: UploadedFile | None = None,
) -> IndicatorValue:
    """Enter (or correct) a region's value for a year, with its source and optional evidence."""
    require(user, "indicators.enter", region)
    errors = value_errors(indicator, value, unit, year)
    if not source.strip():
        errors.append(_("Name the source of the value."))
    errors.extend(upload_errors(evidence, DOCUMENTS, MAX_EVIDENCE_BYTES))
    if errors:
        raise ValidationError(errors)
    defaults: dict[str, Any] = {
        "value": float(value),
        "source": source.strip(),
        "method": IndicatorValue.Method.MANUAL,
        "entered_by": user,
    }
    if evidence is not None:
        defaults["evidence"] = evidence
    row, _created = IndicatorValue.objects.update_or_create(
        indicator=indicator, region_id=region, year=int(year), defaults=defaults
    )
    return row


@dataclass(frozen=True)
class ImportResult:
    stored: int
    errors: list[str]


def import_values(user: Any, rows: Sequence[Mapping[str, Any]]) -> ImportResult:
    """Rows with `indicator` (code), `region` (Kemendagri code), `year`, `value`, `source` and optional
    `unit`. All or nothing: any bad row stores nothing and every row error is returned."""
    indicators = {i.code: i for i in Indicator.objects.all()}
    regions = set(Region.objects.values_list("code", flat=True))
    errors: list[str] = []
    parsed: dict[tuple[int, str, int], tuple[float, str]] = {}
    for number, row in enumerate(rows, start=2):
        problems, key, value = _import_row(user, row, indicators, regions)
        errors.extend(f"{_('row')} {number}: {p}" for p in problems)
        if key is not None and not problems:
            if key in parsed:
                errors.append(
                    f"{_('row')} {number}: " + _("the same indicator, region and year appear twice.")
                )
            parsed[key] = value
    if errors or not parsed:
        return ImportResult(0, errors or [_("The file has no rows.")])
    with transaction.atomic():
        for (indicator_id, region, year), (value, source) in parsed.items():
            IndicatorValue.objects.update_or_create(
                indicator_id=indicator_id,
                region_id=region,
                year=year,
                defaults={
                    "value": value,
                    "source": source,
                    "method": IndicatorValue.Method.IMPORT,
                    "entered_by": user,
                },
            )
    return ImportResult(len(parsed), [])


def _import_row(
    user: Any, row: Mapping[str, Any], indicators: Mapping[str, Indicator], regions: set[str]
) -> tuple[list[str], tuple[int, str, int] | None, tuple[float, str]]:
    code, region = str(row.get("indicator") or "").strip(), str(row.get("region") or "").strip()
    indicator = indicators.get(code)
    problems = []
    if indicator is None:
        problems.append(_("unknown indicator %(code)s") % {"code": code or "—"})
    if region not in regions:
        problems.append(_("unknown region %(code)s") % {"code": region or "—"})
    elif not can(user, "indicators.enter", region):
        problems.append(_("you may not enter values for region %(code)s") % {"code": region})
    if not str(row.get("source") or "").strip():
        problems.append(_("the source is missing"))
    if indicator is not None:
        problems.extend(value_errors(indicator, row.get("value"), row.get("unit"), row.get("year")))
    if problems or indicator is None:
        return problems, None, (0.0, "")
    return [], (indicator.pk, region, int(row["year"])), (float(row["value"]), str(row["source"]).strip())


def take_live_values(year: int) -> int:
    """Store the year's mean of each indicator's computed KPI values per region as a computed value.
    A value entered or imported by hand is kept (it carries its own source); returns how many were stored."""
    periods: dict[tuple[int, str], list[float]] = defaultdict(list)
    queries: dict[tuple[int, str], str] = {}
    live = KpiValue.objects.filter(period_start__year=year, value__isnull=False).select_related("binding")
    for row in live:
        key = (row.binding.indicator_id, str(row.region_id))
        periods[key].append(float(row.value))  # type: ignore[arg-type]
        queries[key] = row.query
    manual = set(
        IndicatorValue.objects.filter(year=year)
        .exclude(method=IndicatorValue.Method.COMPUTED)
        .values_list("indicator_id", "region_id")
    )
    stored = 0
    for (indicator_id, region), values in periods.items():
        if (indicator_id, region) in manual:
            continue
        source = f"mean of {len(values)} computed period values; last: {queries[(indicator_id, region)]}"
        IndicatorValue.objects.update_or_create(
            indicator_id=indicator_id,
            region_id=region,
            year=year,
            defaults={
                "value": sum(values) / len(values),
                "source": source[:300],
                "method": IndicatorValue.Method.COMPUTED,
            },
        )
        stored += 1
    return stored


# --- the catalogue ------------------------------------------------------------------------------------


def add_national_indicator(user: Any, data: Mapping[str, Any]) -> Indicator:
    """A national indicator (e.g. SPBE index, IPM) with pillar, unit, direction and optional goalposts."""
    require(user, "indicators.manage")
    errors = []
    code = str(data.get("code") or "").strip()
    if not code or Indicator.objects.filter(code=code).exists():
        errors.append(_("Give the indicator a code that is not in the catalogue yet."))
    pillar = Pillar.objects.filter(key=data.get("pillar")).first()
    if pillar is None:
        errors.append(_("Choose one of the six pillars."))
    if data.get("direction") not in Indicator.Direction.values:
        errors.append(_("Say whether higher or lower is better."))
    for field in ("name", "unit"):
        if not str(data.get(field) or "").strip():
            errors.append(_("The %(field)s is required.") % {"field": field})
    errors.extend(_goalpost_errors(data.get("goal_min"), data.get("goal_max")))
    if errors:
        raise ValidationError(errors)
    return Indicator.objects.create(
        code=code,
        name=str(data["name"]).strip(),
        unit=str(data["unit"]).strip(),
        direction=data["direction"],
        level=Indicator.Level.NATIONAL,
        pillar=pillar,
        definition=str(data.get("definition") or ""),
        data_source=str(data.get("data_source") or "")[:300],
        goal_min=data.get("goal_min"),
        goal_max=data.get("goal_max"),
    )


def _goalpost_errors(low: Any, high: Any) -> list[str]:
    if (low is None) != (high is None):
        return [_("Set both goalposts, or neither.")]
    if low is not None and float(low) >= float(high):
        return [_("The lower goalpost must be below the upper one.")]
    return []


def set_goalposts(user: Any, indicator: Indicator, low: float | None, high: float | None) -> Indicator:
    """Goalposts (min/max) used to normalise the indicator; None for both: the observed range."""
    require(user, "indicators.manage")
    errors = _goalpost_errors(low, high)
    if errors:
        raise ValidationError(errors)
    indicator.goal_min, indicator.goal_max = low, high
    indicator.save(update_fields=["goal_min", "goal_max"])
    return indicator
