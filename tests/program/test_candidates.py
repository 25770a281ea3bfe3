"""program.candidates on a hand-computed example."""

from __future__ import annotations

import pytest

from kotacerdas.program.candidates import RegionParams, candidate_list, score_regions

X = RegionParams(
    "X", "73", {"fiscal_capacity": "tinggi", "green_city_index": 80, "lg_performance_index": 3.0}
)
Y = RegionParams(
    "Y",
    "32",
    {
        "fiscal_capacity": "rendah",
        "green_city_index": 40,
        "lg_performance_index": 2.0,
        "sustainable_city_index": 60,
    },
    frozenset({"pariwisata"}),
)
Z = RegionParams("Z", "73", {})


def test_scores_by_hand() -> None:
    x, y, z = score_regions([X, Y, Z])
    # X: (.25*.75 + .25*1 + .3*1) / .8 ; sustainable index missing, not zero
    assert x.score == pytest.approx(0.7375 / 0.8)
    assert x.missing == ["sustainable_city_index"]
    # Y: (.25*.25 + 0 + 0 + .2*1) / 1.0
    assert y.score == pytest.approx(0.2625)
    assert z.score is None and len(z.missing) == 4


def test_priority_sector_bonus() -> None:
    _x, y, _z = score_regions([X, Y, Z], priority_sectors=frozenset({"pariwisata"}))
    assert y.bonus == 0.1 and y.score == pytest.approx(0.3625)


def test_order_and_spread() -> None:
    w = RegionParams(
        "W", "73", {"fiscal_capacity": "sedang", "green_city_index": 60, "lg_performance_index": 2.5}
    )
    scores = score_regions([X, Y, Z, w])
    assert [s.code for s in candidate_list(scores)] == ["X", "W", "Y", "Z"]
    assert [s.code for s in candidate_list(scores, spread=True)] == ["X", "Y", "W", "Z"]
    assert [s.code for s in candidate_list(scores, limit=2)] == ["X", "W"]
