"""What each kind of dataset contains: a builder per kind returning a Table (header, rows, the region
column for GeoJSON), built only from public facts (approved and published plans, published results)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Sum

from kotacerdas.indicators.models import IndicatorValue, KpiValue
from kotacerdas.masterplan.models import Initiative, PlanStatus
from kotacerdas.monitoring.models import Evaluation
from kotacerdas.program.models import Participation
from kotacerdas.regions.models import Region

PILLARS = ("governance", "branding", "economy", "society", "living", "environment")


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: Iterator[list[Any]] | list[list[Any]]
    region_column: str | None = "region_code"
    years: list[int] = field(default_factory=list)


def regions() -> Table:
    selected: dict[str, list[int]] = {}
    for code, year in Participation.objects.filter(selected=True, region__isnull=False).values_list(
        "region_id", "cohort__year"
    ):
        selected.setdefault(code, []).append(year)
    rows = [
        [code, name, kind, province, lat, lon, ";".join(str(y) for y in sorted(selected.get(code, [])))]
        for code, name, kind, province, lat, lon in Region.objects.order_by("code").values_list(
            "code", "name", "kind", "province__name", "latitude", "longitude"
        )
    ]
    header = ["region_code", "name", "kind", "province", "latitude", "longitude", "cohorts"]
    return Table(header, rows, years=sorted({y for ys in selected.values() for y in ys}))


def evaluations() -> Table:
    rows = Evaluation.objects.order_by("year", "region_id").values_list(
        "year", "region_id", "score", "maturity_level", "rank", "change", "pillars"
    )
    body = [
        [year, code, score, level, rank, change, *[pillars.get(p) for p in PILLARS]]
        for year, code, score, level, rank, change, pillars in rows
    ]
    header = ["year", "region_code", "score", "maturity_level", "rank", "change", *PILLARS]
    return Table(header, body, years=sorted({r[0] for r in body}))


def indicator_values() -> Table:
    rows = IndicatorValue.objects.order_by("indicator__code", "region_id", "year").values_list(
        "indicator__code",
        "indicator__name",
        "indicator__unit",
        "region_id",
        "year",
        "value",
        "method",
        "source",
    )
    body = [list(r) for r in rows]
    header = ["indicator", "name", "unit", "region_code", "year", "value", "method", "source"]
    return Table(header, body, years=sorted({r[4] for r in body}))


def initiatives() -> Table:
    public = Initiative.objects.filter(plan__status=PlanStatus.APPROVED, plan__published=True)
    rows = (
        public.annotate(budget=Sum("budget_lines__amount"))
        .values_list(
            "plan__region_id",
            "plan__title",
            "title",
            "element__pillar__key",
            "element__key",
            "layer",
            "start_year",
            "end_year",
            "is_quick_win",
            "lead_opd",
            "budget",
        )
        .order_by("plan__region_id", "pk")
    )
    body = [[*r[:10], r[10] or 0] for r in rows]
    header = [
        "region_code",
        "plan",
        "initiative",
        "pillar",
        "element",
        "layer",
        "first_year",
        "last_year",
        "quick_win",
        "lead_opd",
        "budget_rupiah",
    ]
    return Table(header, body, years=sorted({y for r in body for y in (r[6], r[7])}))


def sensor_kpis() -> Table:
    rows = KpiValue.objects.order_by("binding__indicator__code", "region_id", "period_start").values_list(
        "binding__indicator__code",
        "region_id",
        "period_start",
        "period_end",
        "value",
        "reading_count",
        "query",
    )
    body = [[c, r, s.isoformat(), e.isoformat(), v, n, q] for c, r, s, e, v, n, q in rows]
    header = ["indicator", "region_code", "period_start", "period_end", "value", "readings", "computed_as"]
    return Table(header, body, years=sorted({int(r[2][:4]) for r in body}))


BUILDERS: dict[str, Callable[[], Table]] = {
    "regions": regions,
    "evaluations": evaluations,
    "indicator_values": indicator_values,
    "initiatives": initiatives,
    "sensor_kpis": sensor_kpis,
}
