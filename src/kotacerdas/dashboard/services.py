"""What the national, provincial and regional dashboards show, as plain data: the same dictionaries feed
the HTML pages, their JSON twins and the CSV/XLSX downloads."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from statistics import fmean
from typing import Any

from django.utils import timezone

from kotacerdas.alerts.services import filtered_alerts
from kotacerdas.indicators.models import IndicatorValue
from kotacerdas.masterplan.models import PlanStatus, Target
from kotacerdas.monitoring import evaluation
from kotacerdas.monitoring import services as monitoring
from kotacerdas.monitoring.index import MATURITY_LEVELS
from kotacerdas.monitoring.models import Evaluation, EvaluationRun
from kotacerdas.pillars.models import Pillar
from kotacerdas.program.models import Participation
from kotacerdas.regions.models import Province, Region

TOP_MOVERS = 5
TABLE_HEADER = ["region_code", "region", "province", "score", "maturity_level", "rank", "change", "cohort"]


def current_year() -> int:
    return next(iter(evaluation.years()), timezone.localdate().year)


def pillars() -> list[Pillar]:
    return list(Pillar.objects.order_by("order"))


def _cohorts() -> dict[str, int]:
    """The first cohort year in which each region was selected."""
    found: dict[str, int] = {}
    for code, year in Participation.objects.filter(selected=True, region__isnull=False).values_list(
        "region_id", "cohort__year"
    ):
        found[code] = min(year, found.get(code, year))
    return found


ROW_FIELDS = {
    "region_code": "region_id",
    "region": "region__name",
    "kind": "region__kind",
    "province_code": "region__province_id",
    "province": "region__province__name",
    "latitude": "region__latitude",
    "longitude": "region__longitude",
    "score": "score",
    "maturity_level": "maturity_level",
    "rank": "rank",
    "change": "change",
    "pillars": "pillars",
}


def region_rows(year: int, province: str | None = None) -> list[dict[str, Any]]:
    """One row per evaluated region of the year (optionally of one province), best first."""
    rows = Evaluation.objects.filter(year=year).order_by("rank", "region_id")
    if province:
        rows = rows.filter(region__province_id=province)
    cohorts = _cohorts()
    found = []
    for values in rows.values_list(*ROW_FIELDS.values()):
        row = dict(zip(ROW_FIELDS, values, strict=True))
        row["score"], row["change"] = _round(row["score"]), _round(row["change"])
        row["pillars"] = {k: _round(v) for k, v in row["pillars"].items()}
        row["cohort"] = cohorts.get(row["region_code"])
        found.append(row)
    return found


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def distribution(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """How many regions sit at each maturity level (and how many have no score)."""
    counts = Counter(r["maturity_level"] for r in rows)
    levels = [{"level": level, "count": counts.get(level, 0)} for level in range(1, MATURITY_LEVELS + 1)]
    return [*levels, {"level": None, "count": counts.get(None, 0)}]


def movers(rows: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    changed = sorted(
        (r for r in rows if r["change"] is not None), key=lambda r: (-r["change"], r["region_code"])
    )
    return {
        "up": [r for r in changed if r["change"] > 0][:TOP_MOVERS],
        "down": [r for r in reversed(changed) if r["change"] < 0][:TOP_MOVERS],
    }


def quick_wins(region: str | None = None, province: str | None = None) -> dict[str, int]:
    """Quick wins of approved plans by computed state: done, on track, at risk, late, unreported."""
    counts = Counter[str]()
    initiatives = monitoring.approved_initiatives(region).filter(is_quick_win=True)
    if province:
        initiatives = initiatives.filter(plan__region__province_id=province)
    for initiative in initiatives:
        latest = monitoring.latest_report(initiative)
        state = monitoring.lateness(initiative)
        counts[_state_name(latest.status if latest else None, state)] += 1
    return {k: counts.get(k, 0) for k in ("done", "on_track", "at_risk", "late", "unreported", "dropped")}


def _state_name(status: str | None, state: Any) -> str:
    if status in ("done", "dropped"):
        return str(status)
    if state.late:
        return "late"
    if state.unreported:
        return "unreported"
    return "at_risk" if state.at_risk else "on_track"


def pillar_means(rows: Sequence[dict[str, Any]]) -> dict[str, float | None]:
    keys = {k for r in rows for k in r["pillars"]}
    means = {}
    for key in sorted(keys):
        scores = [r["pillars"][key] for r in rows if r["pillars"].get(key) is not None]
        means[key] = round(fmean(scores), 2) if scores else None
    return means


def summary(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    scored = [r["score"] for r in rows if r["score"] is not None]
    return {
        "evaluated": len(rows),
        "scored": len(scored),
        "mean_score": round(fmean(scored), 2) if scored else None,
    }


def computed_at(year: int) -> str | None:
    """When the year's evaluation was last computed (cache key of what only a recomputation changes)."""
    run = EvaluationRun.objects.filter(year=year).values_list("computed_at", flat=True).first()
    return run.isoformat() if run else None


def national(year: int) -> dict[str, Any]:
    rows = region_rows(year)
    return {
        "year": year,
        "computed_at": computed_at(year),
        "years": evaluation.years(),
        "summary": summary(rows),
        "distribution": distribution(rows),
        "pillar_means": pillar_means(rows),
        "quick_wins": quick_wins(),
        "movers": movers(rows),
        "regions": rows,
        "provinces": sorted({(r["province_code"], r["province"]) for r in rows}),
    }


def province(code: str, year: int) -> dict[str, Any]:
    found = Province.objects.get(code=code)
    rows = region_rows(year, code)
    return {
        "province": {"code": found.code, "name": found.name},
        "year": year,
        "computed_at": computed_at(year),
        "summary": summary(rows),
        "distribution": distribution(rows),
        "pillar_means": pillar_means(rows),
        "quick_wins": quick_wins(province=code),
        "movers": movers(rows),
        "regions": rows,
    }


# --- one region ---------------------------------------------------------------------------------------


def region(code: str, year: int) -> dict[str, Any]:
    found = Region.objects.select_related("province").get(code=code)
    row = Evaluation.objects.filter(region_id=code, year=year).first()
    tracked = monitoring.tracked(code)
    return {
        "region": {"code": found.code, "name": found.name, "province": found.province.name},
        "year": year,
        "evaluation": _evaluation(row),
        "history": [
            {"year": y, "score": _round(s)}
            for y, s in Evaluation.objects.filter(region_id=code)
            .order_by("year")
            .values_list("year", "score")
        ],
        "initiatives": [_tracked(t) for t in tracked],
        "quick_wins": [_tracked(t) for t in tracked if t.initiative.is_quick_win],
        "late": [_tracked(t) for t in tracked if t.state.flagged],
        "targets": targets(code),
        "alerts": [
            {
                "id": a.pk,
                "rule": a.rule.name,
                "entity": a.entity_id,
                "severity": a.severity,
                "status": a.status,
                "raised_at": a.raised_at.isoformat(),
            }
            for a in filtered_alerts("open", code, None)[:50]
        ],
    }


def _evaluation(row: Evaluation | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "score": _round(row.score),
        "maturity_level": row.maturity_level,
        "rank": row.rank,
        "change": _round(row.change),
        "coverage": round(row.coverage, 3),
        "pillars": row.pillars,
        "trace": evaluation.explanation(row),
        "computed_at": row.computed_at.isoformat(),
    }


def _tracked(item: monitoring.Tracked) -> dict[str, Any]:
    state, initiative, latest = item.state, item.initiative, item.latest
    return {
        "id": initiative.pk,
        "title": initiative.title,
        "pillar": initiative.element.pillar.key,
        "quick_win": initiative.is_quick_win,
        "status": latest.status if latest else None,
        "percent": latest.percent if latest else None,
        "reported_on": latest.reported_on.isoformat() if latest else None,
        "verified": bool(latest and latest.verified_at),
        "expected_percent": round(state.expected_percent),
        "lateness_days": state.lateness_days,
        "late": state.late,
        "unreported": state.unreported,
        "reasons": list(state.reasons),
    }


def targets(code: str) -> list[dict[str, Any]]:
    """The approved plan's indicator targets with the values reported so far, year by year."""
    found = list(
        Target.objects.filter(
            goal__plan__region_id=code, goal__plan__status=PlanStatus.APPROVED
        ).select_related("indicator", "goal__pillar")
    )
    values: dict[str, dict[int, float]] = {}
    for indicator, year, value in IndicatorValue.objects.filter(
        region_id=code, indicator__in=[t.indicator_id for t in found]
    ).values_list("indicator__code", "year", "value"):
        values.setdefault(indicator, {})[year] = value
    return [
        {
            "indicator": t.indicator.code,
            "name": t.indicator.name,
            "unit": t.indicator.unit,
            "pillar": t.goal.pillar.key,
            "baseline_year": t.baseline_year,
            "baseline": t.baseline_value,
            "targets": {int(y): v for y, v in (t.yearly or {}).items()},
            "values": values.get(t.indicator.code, {}),
        }
        for t in found
    ]


def table(rows: Sequence[dict[str, Any]], pillar_keys: Sequence[str]) -> tuple[list[str], list[list[Any]]]:
    """The downloadable table of a national or provincial dashboard."""
    header = [*TABLE_HEADER, *pillar_keys]
    body = [[*(r[h] for h in TABLE_HEADER), *(r["pillars"].get(p) for p in pillar_keys)] for r in rows]
    return header, body
