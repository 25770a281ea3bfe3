"""The evaluation index on small examples computed by hand (the arithmetic is in each comment)."""

from __future__ import annotations

import math

import pytest

from kotacerdas.monitoring import index
from kotacerdas.monitoring.index import IndicatorSpec, Method, RegionInputs

PILLARS = ["living", "environment"]
SPECS = {
    "A": IndicatorSpec("A", "living", True, 0, 100),  # goalposts set
    "B": IndicatorSpec("B", "living", False),  # lower is better, no goalposts → observed range
    "C": IndicatorSpec("C", "environment", True, 0, 10),
}
R1 = RegionInputs(
    "73.22",
    values={"A": 80, "B": 20, "C": 5},
    previous_values={"A": 60, "B": 30},
    planned={"living": 2, "environment": 2},
    implemented={"living": 2, "environment": 1},
    output_score=4.0,
    quickwin_score=3.0,
    impact_mean=4.2,
    impact_respondents=50,
    previous_score=3.0,
)
R2 = RegionInputs(
    "73.71",
    values={"A": 40, "B": 40},
    planned={"living": 4},
    implemented={"living": 1},
    output_score=2.0,
)


def by_region(results: list[index.RegionResult]) -> dict[str, index.RegionResult]:
    return {r.region: r for r in results}


def test_normalise_with_goalposts_clips_and_reverses() -> None:
    assert index.normalise(50, 0, 200) == 25.0
    assert index.normalise(50, 0, 200, higher_is_better=False) == 75.0
    assert index.normalise(250, 0, 200) == 100.0
    assert index.normalise(-5, 0, 200) == 0.0
    assert index.normalise(7, 7, 7) == 100.0  # every region at the same value
    assert index.normalise(6, 7, 7) == 0.0


def test_goalposts_set_or_observed() -> None:
    posts = index.goalposts(SPECS, [R1, R2], Method())
    assert posts == {"A": (0, 100, "set"), "B": (20, 40, "observed"), "C": (0, 10, "set")}
    observed = index.goalposts(SPECS, [R1, R2], Method(normalisation="observed"))
    assert observed["A"] == (40, 80, "observed")


def test_full_example() -> None:
    results = by_region(index.evaluate([R1, R2], SPECS, PILLARS))
    r1 = results["73.22"]
    dims = {d.key: d for d in r1.dimensions}
    # baseline: A 60→80 improved; B (lower better, posts 20..40) 30→20 i.e. 50→100 improved: 2/2 × 5
    assert dims["baseline"].value == 5.0
    assert dims["baseline"].source == "2 of 2 indicators improved"
    assert dims["output"].value == 4.0
    assert dims["outcome"].value == pytest.approx(3.75)  # 3 of 4 programs × 5
    assert dims["impact"].value == pytest.approx(4.0)  # (4.2 − 1)/4 × 5
    assert dims["quickwin"].value == 3.0
    # (10·5 + 20·4 + 30·3.75 + 30·4 + 10·3) / 100 = 392.5 / 100
    assert r1.score == pytest.approx(3.925)
    assert r1.maturity == 4  # 3.925/5 = 0.785: past 0.2, 0.4, 0.6
    assert r1.change == pytest.approx(0.925)
    assert r1.rank == 1
    living, environment = r1.pillars
    assert living.score == pytest.approx(4.5)  # (80 + 100)/2 = 90 → 4.5 of 5
    assert living.maturity == 5
    assert living.implementation_rate == 1.0
    assert environment.score == pytest.approx(2.5)  # C: 5 of 0..10 = 50 → 2.5
    assert environment.maturity == 3
    assert environment.implementation_rate == 0.5


def test_missing_data_is_reported_never_zero() -> None:
    r2 = by_region(index.evaluate([R1, R2], SPECS, PILLARS))["73.71"]
    assert r2.score is None and r2.rank is None and r2.maturity is None
    assert r2.coverage == pytest.approx(0.5)  # output 20 + outcome 30 of 100
    assert r2.reason == "insufficient data: missing baseline, impact, quickwin"
    living, environment = r2.pillars
    assert living.score == pytest.approx(1.0)  # A 40, B 40 (the worst) → 0: (40 + 0)/2 = 20 → 1.0
    assert living.maturity == 2
    assert environment.score is None
    assert environment.missing == ("C",)
    assert environment.reason == "insufficient data: 0 of 1 indicators"
    dims = {d.key: d for d in r2.dimensions}
    assert dims["baseline"].value is None
    assert dims["impact"].source == "no impact survey answers"


def test_pillar_without_any_data_anywhere() -> None:
    results = index.evaluate([R2], SPECS, ["living", "environment", "branding"])
    branding = results[0].pillars[2]
    assert branding.score is None and branding.reason == "no indicator of this pillar has data this year"


def test_pillar_coverage_threshold() -> None:
    specs = {c: IndicatorSpec(c, "living", True, 0, 10) for c in "PQR"}
    two = RegionInputs("a", values={"P": 10, "Q": 0})
    one = RegionInputs("b", values={"R": 10})
    scores = by_region(index.evaluate([two, one], specs, ["living"]))
    assert scores["a"].pillars[0].score == pytest.approx(2.5)  # 2 of 3 ≥ 2/3: (100 + 0)/2 = 50
    assert scores["b"].pillars[0].score is None  # 1 of 3


def test_maturity_thresholds() -> None:
    method = Method()
    assert [index.maturity(s, method) for s in (0, 0.99, 1.0, 2.0, 3.0, 3.99, 4.0, 5.0)] == [
        1,
        1,
        2,
        3,
        4,
        4,
        5,
        5,
    ]
    assert index.maturity(None, method) is None


def test_competition_ranking_with_ties_on_shown_score() -> None:
    ranks = index.competition_ranks({"a": 3.0, "b": 3.004, "c": 2.5, "d": None, "e": 3.5})
    assert ranks == {"e": 1, "a": 2, "b": 2, "c": 4, "d": None}


def test_geometric_aggregation() -> None:
    result = index.evaluate([R1], SPECS, PILLARS, Method(aggregation="geometric"))[0]
    expected = 5**0.1 * 4**0.2 * 3.75**0.3 * 4**0.3 * 3**0.1
    assert result.score == pytest.approx(expected)
    assert result.score < 3.925  # less compensatory than the arithmetic mean


def test_custom_weights_and_scale() -> None:
    method = Method(
        weights={"baseline": 0, "output": 50, "outcome": 50, "impact": 0, "quickwin": 0}, scale_max=100
    )
    result = index.evaluate([R1], SPECS, PILLARS, method)[0]
    # verified scores are entered on the round's own scale (4.0 of 100); outcome 3 of 4 programs × 100 = 75
    assert result.score == pytest.approx((4.0 + 75.0) / 2)
    assert result.maturity == 2  # 39.5 of 100


def test_sensitivity_shows_rank_moves() -> None:
    # x: strong output and quick win, nothing carried out, unhappy citizens
    x = RegionInputs(
        "x",
        planned={"living": 1},
        implemented={"living": 0},
        output_score=5,
        quickwin_score=5,
        impact_mean=1,
        impact_respondents=50,
    )
    # y: middling everywhere
    y = RegionInputs(
        "y",
        planned={"living": 2},
        implemented={"living": 1},
        output_score=2,
        quickwin_score=2,
        impact_mean=3,
        impact_respondents=50,
    )
    # default: x (20·5 + 10·5)/90 = 1.67, y (20·2 + 30·2.5 + 30·2.5 + 10·2)/90 = 2.33
    # equal weights: x (20·5 + 20·5)/80 = 2.5, y (20·2 + 20·2.5 + 20·2.5 + 20·2)/80 = 2.25
    moves = {s.region: s for s in index.sensitivity([x, y], {}, ["living"])}
    assert moves["y"].rank == 1 and moves["x"].rank == 2
    assert moves["x"].ranks["equal weights"] == 1
    assert moves["y"].ranks["equal weights"] == 2
    assert moves["x"].largest_shift == 1
    assert math.isclose(index.evaluate([x], {}, ["living"])[0].score or 0, 150 / 90)


def test_the_stored_trace_is_the_whole_result() -> None:
    import dataclasses
    import json

    result = index.evaluate([R1, R2], SPECS, PILLARS)[0]
    expected = json.loads(json.dumps(dataclasses.asdict(result)))
    for pillar, score in zip(expected["pillars"], result.pillars, strict=True):
        pillar["indicators"] = [n._asdict() for n in score.indicators]  # named tuples → their fields
    found = json.loads(json.dumps(index.as_dict(result)))
    for part in [found, *found["dimensions"], *found["pillars"]]:  # plus the translatable messages
        part.pop("text", None), part.pop("reason_text", None)
    assert found == expected


def test_explanations_are_translatable() -> None:
    from kotacerdas.core.text import translated

    result = index.as_dict(index.evaluate([R1, R2], SPECS, PILLARS)[1])
    baseline = result["dimensions"][0]  # type: ignore[index]
    assert baseline["source"] == "no indicator has values for this and the previous year"
    outcome = result["dimensions"][2]  # type: ignore[index]
    assert outcome["text"] == {
        "message": "%(implemented)s of %(planned)s programs implemented",
        "params": {"implemented": 1, "planned": 4},
    }
    indonesian = {
        "%(implemented)s of %(planned)s programs implemented": "%(implemented)s dari %(planned)s program"
    }
    assert translated(outcome["text"], lambda m: indonesian.get(m, m)) == "1 dari 4 program"
    assert translated(outcome["text"], lambda m: "%(broken") == "1 of 4 programs implemented"
    assert translated("plain", lambda m: m) == "plain"


def test_the_compact_trace_expands_back() -> None:
    posts = index.stored_goalposts(index.goalposts(SPECS, [R1, R2], Method()), SPECS)
    for result in index.evaluate([R1, R2], SPECS, PILLARS):
        assert index.expand(index.compact(result), posts) == index.as_dict(result)
