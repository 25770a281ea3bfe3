"""regions.geo: name matching, the alias table, and 'no guess' when sources disagree."""

from __future__ import annotations

import pytest

from kotacerdas.regions import geo


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Kabupaten Luwu Utara", ("kabupaten", "luwuutara")),
        ("Kota Administrasi Jakarta Pusat", ("kota", "jakartapusat")),
        ("Kabupaten Kep. Siau Tagulandang Biaro", ("kabupaten", "kepulauansiautagulandangbiaro")),
        ("Gresik Regency", ("kabupaten", "gresik")),
        ("Tanjung Balai City", ("kota", "tanjungbalai")),
        ("Tojo Una-Una", (None, "tojounauna")),
    ],
)
def test_normalise(name: str, expected: tuple[str | None, str]) -> None:
    assert geo.normalise(name) == expected


def test_aliases_add_former_names_without_duplicates() -> None:
    assert geo.keys_for("Kabupaten Toba", "kabupaten") == [
        ("kabupaten", "toba"),
        ("kabupaten", "tobasamosir"),
    ]
    keys = geo.keys_for("Kabupaten Tojo Una Una", "kabupaten")
    assert keys == [("kabupaten", "tojounauna")]


def test_distance_km_jakarta_to_makassar() -> None:
    assert geo.distance_km((-6.2, 106.8), (-5.14, 119.42)) == pytest.approx(1400, rel=0.03)


def test_sources_that_disagree_give_no_point() -> None:
    assert geo._choose((3.8, 108.2), (3.6, 98.5)) is None  # 1,000 km apart


def test_agreeing_sources_prefer_the_first() -> None:
    point = geo._choose((-2.6, 120.25), (-2.55, 120.2))
    assert point == geo.Point(-2.6, 120.25, "country-state-city")


def test_a_point_outside_indonesia_is_refused() -> None:
    assert geo._choose((48.85, 2.35), None) is None  # Paris
    assert geo.in_indonesia(-6.2, 106.8)


def test_ambiguous_places_of_one_source_are_refused() -> None:
    index = {("kota", "x"): [(-6.0, 106.0), (3.0, 98.0)]}
    assert geo._lookup(index, [("kota", "x")], centroid=False) is None
    assert geo._lookup(index, [("kota", "y")], centroid=False) is None


def test_at_least_501_of_514_regions_get_a_sure_point() -> None:
    from kotacerdas.regions.services import official_regions

    rows = official_regions()
    points = geo.match_regions((code, name, kind) for code, name, kind, _ in rows)
    assert len(points) == 514
    assert sum(p is not None for p in points.values()) >= 501
    for renamed in ("12.12", "76.01", "81.03"):  # Toba, Pasangkayu, Kepulauan Tanimbar: via aliases
        assert points[renamed] is not None, renamed
    luwu_utara = points["73.22"]
    assert luwu_utara is not None
    assert geo.distance_km((luwu_utara.latitude, luwu_utara.longitude), (-2.57, 120.33)) < 60
    assert points["12.75"] is None  # Kota Binjai: the two sources disagree by ~1,000 km


def test_outline_is_a_simplified_multipolygon() -> None:
    feature = geo.outline_geojson()
    assert feature["geometry"]["type"] == "MultiPolygon"
    assert len(str(feature)) < 2_000_000
