"""Lateness against the roadmap, on days worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from kotacerdas.monitoring import progress
from kotacerdas.monitoring.progress import Milestone, Report

# a 2024–2025 roadmap: 1 Jan 2024 .. 31 Dec 2025 = 730 days


def test_expected_percent_is_linear_over_the_roadmap() -> None:
    assert progress.expected_percent(2024, 2025, date(2023, 12, 31)) == 0.0
    assert progress.expected_percent(2024, 2025, date(2024, 12, 31)) == pytest.approx(100 * 365 / 730)
    assert progress.expected_percent(2024, 2025, date(2026, 1, 1)) == 100.0
    assert progress.day_expected(2024, 2025, 50) == date(2024, 12, 31)  # day 365


def test_on_schedule_is_not_late() -> None:
    state = progress.assess(2024, 2025, Report(date(2024, 12, 31), 50, "on_track"), [], date(2025, 1, 10))
    assert state.lateness_days == 0 and not state.late and not state.at_risk and not state.unreported


def test_behind_within_grace_is_at_risk_beyond_is_late() -> None:
    # 40 % is expected on day 292 (19 Oct 2024); reported on 31 Dec 2024: 73 days behind
    at_risk = progress.assess(2024, 2025, Report(date(2024, 12, 31), 40, "on_track"), [], date(2025, 1, 10))
    assert at_risk.lateness_days == 73 and at_risk.at_risk and not at_risk.late
    # 20 % is expected on day 146 (26 May 2024): 219 days behind on 31 Dec 2024
    late = progress.assess(2024, 2025, Report(date(2024, 12, 31), 20, "at_risk"), [], date(2025, 1, 10))
    assert late.lateness_days == 219 and late.late
    assert late.reasons == ("219 days behind the roadmap",)


def test_overdue_milestone_makes_late() -> None:
    milestones = [
        Milestone("DED", date(2024, 6, 30)),
        Milestone("Lelang", date(2024, 3, 1), date(2024, 2, 1)),
    ]
    state = progress.assess(
        2024, 2025, Report(date(2024, 7, 1), 30, "on_track"), milestones, date(2024, 7, 2)
    )
    assert state.late and state.overdue_milestones == ("DED",)


def test_unreported_after_ninety_days_or_never() -> None:
    old = progress.assess(2024, 2025, Report(date(2024, 1, 15), 5, "on_track"), [], date(2024, 4, 20))
    assert old.unreported and not old.late  # 96 days since; 5 % was due on day 36 (6 Feb): 0 days behind
    never = progress.assess(2024, 2025, None, [], date(2024, 2, 1))
    assert never.unreported and never.reasons == ("no progress report",)
    not_started = progress.assess(2027, 2028, None, [], date(2026, 11, 22))
    assert not not_started.unreported and not not_started.late


def test_past_the_roadmap_and_not_done_is_late_done_never_is() -> None:
    past = progress.assess(2023, 2024, Report(date(2025, 1, 5), 95, "on_track"), [], date(2025, 1, 6))
    assert past.late and "the roadmap ended in 2024 and it is not done" in past.reasons
    done = progress.assess(2023, 2024, Report(date(2025, 1, 5), 100, "done"), [], date(2026, 1, 6))
    assert not done.late and not done.unreported


def test_carried_out_for_the_outcome_dimension() -> None:
    end = date(2024, 12, 31)
    assert progress.carried_out(2024, 2025, Report(date(2024, 12, 1), 45, "on_track"), end)
    assert not progress.carried_out(2024, 2025, Report(date(2024, 12, 1), 10, "late"), end)
    assert not progress.carried_out(2024, 2025, None, end)
    assert not progress.carried_out(2024, 2025, Report(date(2024, 12, 1), 60, "dropped"), end)
    assert progress.carried_out(2024, 2025, Report(date(2024, 12, 1), 100, "done"), end)
