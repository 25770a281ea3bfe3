"""assessment.scoring on hand-computed examples (see the module docstring for the method)."""

from __future__ import annotations

import pytest

from kotacerdas.assessment.scoring import Criterion, ScoringError, Structure, aggregate, score_reviewer

# A (60 %): a1 = {c1, c2}, a2 = {c3};  B (40 %): b1 = {c4 weight 3, c5 weight 1}; scale 1–5.
STRUCTURE = Structure(
    criteria=[
        Criterion("c1", "A", "a1"),
        Criterion("c2", "A", "a1"),
        Criterion("c3", "A", "a2"),
        Criterion("c4", "B", "b1", weight=3),
        Criterion("c5", "B", "b1", weight=1),
    ],
    dimension_weights={"A": 60, "B": 40},
)
R1 = {"c1": 5, "c2": 3, "c3": 1, "c4": 4, "c5": 2}


def test_one_reviewer_by_hand() -> None:
    # c1 100, c2 50 -> a1 75; c3 0 -> a2 0; A = 37.5. b1 = (3*75 + 25)/4 = 62.5. Total = .6*37.5 + .4*62.5
    result = score_reviewer(STRUCTURE, "r1", R1)
    assert result.dimensions == {"A": 37.5, "B": 62.5}
    assert result.total == pytest.approx(47.5)
    assert result.missing == []


def test_missing_scores_count_as_minimum_and_are_reported() -> None:
    result = score_reviewer(STRUCTURE, "r1", {**R1, "c3": None})
    assert result.total == pytest.approx(47.5)
    assert result.missing == ["c3"]
    assert score_reviewer(STRUCTURE, "r1", {}).missing == ["c1", "c2", "c3", "c4", "c5"]


def test_two_reviewers_disagreeing_need_a_third() -> None:
    result = aggregate(STRUCTURE, {"r1": R1, "r2": dict.fromkeys(R1, 5)})
    assert result.total == pytest.approx((47.5 + 100) / 2)
    assert result.disagreement == pytest.approx(52.5)
    assert result.needs_third_review


def test_two_close_reviewers_do_not() -> None:
    result = aggregate(STRUCTURE, {"r1": R1, "r2": {**R1, "c1": 4}}, threshold=15)
    # r2: a1 = (75+50)/2 = 62.5, A = 31.25 -> total .6*31.25 + 25 = 43.75
    assert result.disagreement == pytest.approx(3.75)
    assert not result.needs_third_review
    assert result.dimensions["A"] == pytest.approx((37.5 + 31.25) / 2)


def test_third_review_uses_the_closest_pair() -> None:
    result = aggregate(STRUCTURE, {"r1": R1, "r2": dict.fromkeys(R1, 5), "r3": dict.fromkeys(R1, 4)})
    # totals 47.5, 100, 75: the closest pair is r2/r3 (25 apart) -> 87.5
    assert result.used_reviewers == ["r2", "r3"]
    assert result.total == pytest.approx(87.5)
    assert not result.needs_third_review


@pytest.mark.parametrize("bad", [{"c1": 6}, {"c1": 0}, {"zz": 3}])
def test_bad_scores_are_refused(bad: dict[str, int]) -> None:
    with pytest.raises(ScoringError):
        score_reviewer(STRUCTURE, "r", bad)


def test_empty_reviews_are_refused() -> None:
    with pytest.raises(ScoringError):
        aggregate(STRUCTURE, {})
