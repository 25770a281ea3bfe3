"""regions.profile: validation of one profile value (pure)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kotacerdas.regions.profile import ProfileValueError, parse_value, parse_year


@pytest.mark.parametrize(
    ("metric", "raw", "expected"),
    [
        ("population", "322919", (Decimal(322919), "")),
        ("area_km2", "7502.58", (Decimal("7502.58"), "")),
        ("ipm", 70.5, (Decimal("70.5"), "")),
        ("fiscal_capacity", "rendah", (None, "rendah")),
    ],
)
def test_valid_values(metric: str, raw: object, expected: tuple[Decimal | None, str]) -> None:
    assert parse_value(metric, raw) == expected


@pytest.mark.parametrize(
    ("metric", "raw", "reason"),
    [
        ("population", "-5", "at least"),
        ("population", "12.5", "whole number"),
        ("ipm", "101", "at most"),
        ("ipm", "tinggi", "not a number"),
        ("ipm", "NaN", "finite"),
        ("area_km2", "0", "at least"),
        ("fiscal_capacity", "kaya", "not one of"),
        ("gdp", "1", "unknown metric"),
    ],
)
def test_invalid_values_say_why(metric: str, raw: str, reason: str) -> None:
    with pytest.raises(ProfileValueError, match=reason):
        parse_value(metric, raw)


@pytest.mark.parametrize(("raw", "reason"), [("20x4", "whole number"), ("1800", "outside")])
def test_invalid_years(raw: str, reason: str) -> None:
    with pytest.raises(ProfileValueError, match=reason):
        parse_year(raw)
