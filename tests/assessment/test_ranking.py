"""assessment.ranking: ties, quota, province cap, eastern minimum, overrides (hand-made examples)."""

from __future__ import annotations

from datetime import datetime

import pytest

from kotacerdas.assessment.ranking import Candidate, Rules, is_eastern, rank, select

T0 = datetime(2024, 3, 1)


def c(key: str, province: str, total: float, leadership: float = 50.0, day: int = 1) -> Candidate:
    return Candidate(key, province, total, leadership, T0.replace(day=day))


def test_ties_share_a_rank_and_say_how_they_were_broken() -> None:
    ranked = rank([c("A", "32", 80, 50), c("B", "33", 80, 70), c("C", "34", 90), c("D", "91", 70)])
    assert [(r.rank, r.candidate.key, r.tie_broken_by) for r in ranked] == [
        (1, "C", ""),
        (2, "B", ""),
        (2, "A", "leadership"),
        (4, "D", ""),
    ]


def test_ties_then_by_submission_time_then_code() -> None:
    ranked = rank([c("B", "32", 80, day=2), c("A", "32", 80, day=2), c("E", "32", 80, day=1)])
    assert [(r.candidate.key, r.tie_broken_by) for r in ranked] == [
        ("E", ""),
        ("A", "submission time"),
        ("B", "region code"),
    ]


def test_quota_and_province_cap() -> None:
    ranked = rank([c("C", "73", 90), c("B", "73", 80), c("A", "32", 70), c("D", "91", 60)])
    selection = select(ranked, Rules(quota=2, max_per_province=1))
    assert selection.selected == ["C", "A"]
    reasons = {d.key: d.reason for d in selection.decisions}
    assert reasons["B"] == "province already has 1 selected"
    assert reasons["D"] == "quota full"


def test_eastern_minimum_reserves_places() -> None:
    ranked = rank([c("W1", "32", 90), c("W2", "33", 85), c("W3", "34", 80), c("E1", "91", 60)])
    selection = select(ranked, Rules(quota=2, min_eastern=1))
    assert selection.selected == ["W1", "E1"]
    assert selection.decisions[1].reason.startswith("remaining places reserved")


def test_unfillable_eastern_reserve_is_released() -> None:
    # E1 is eastern but blocked by the province cap (E0 already fills province 91).
    ranked = rank([c("E0", "91", 95), c("W1", "32", 90), c("E1", "91", 50)])
    selection = select(ranked, Rules(quota=2, max_per_province=1, min_eastern=2))
    assert selection.selected == ["E0", "W1"]


def test_overrides_with_reasons() -> None:
    ranked = rank([c("A", "32", 90), c("B", "33", 80), c("C", "34", 70)])
    selection = select(
        ranked, Rules(quota=2), force_in={"C": "post-disaster priority"}, force_out={"A": "withdrew"}
    )
    assert selection.selected == ["B", "C"]
    reasons = {d.key: d.reason for d in selection.decisions}
    assert reasons["A"] == "excluded by the admin: withdrew"
    assert reasons["C"] == "selected by the admin: post-disaster priority"


def test_forcing_more_than_the_quota_is_refused() -> None:
    with pytest.raises(ValueError):
        select(rank([c("A", "32", 1), c("B", "32", 1)]), Rules(quota=1), force_in={"A": "x", "B": "y"})


def test_eastern_provinces() -> None:
    assert is_eastern("73") and is_eastern("96") and is_eastern("53")
    assert not is_eastern("32") and not is_eastern("51") and not is_eastern("64")
