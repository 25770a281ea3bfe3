"""context.temporal: ISO 8601 durations and the aggregation methods on hand-computed examples."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kotacerdas.context.temporal import TemporalError, aggregate, parse_duration

T0 = datetime(2026, 1, 31, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "months", "delta"),
    [
        ("PT1H", 0, timedelta(hours=1)),
        ("P1D", 0, timedelta(days=1)),
        ("P1W", 0, timedelta(weeks=1)),
        ("PT15M", 0, timedelta(minutes=15)),
        ("PT0.5S", 0, timedelta(seconds=0.5)),
        ("P1M", 1, timedelta(0)),
        ("P1Y2M3DT4H", 14, timedelta(days=3, hours=4)),
    ],
)
def test_durations(text: str, months: int, delta: timedelta) -> None:
    duration = parse_duration(text)
    assert (duration.months, duration.delta) == (months, delta)


@pytest.mark.parametrize("text", ["", "P", "PT", "1H", "PT1X", "P-1D", "PT0S", "P1DT", "hour"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(TemporalError):
        parse_duration(text)


def test_months_are_calendar_months() -> None:
    assert parse_duration("P1M").after(T0) == datetime(2026, 2, 28, tzinfo=UTC)  # 31 Jan + 1 month
    assert parse_duration("P1M").after(datetime(2028, 1, 31, tzinfo=UTC)).day == 29  # leap year


def test_hourly_aggregation_by_hand() -> None:
    start = datetime(2026, 11, 22, 0, tzinfo=UTC)
    data = [
        (start + timedelta(minutes=10), 2.0),
        (start + timedelta(minutes=50), 4.0),
        (start + timedelta(hours=2, minutes=5), 3.0),
        (start + timedelta(hours=2, minutes=6), 3.0),
        (start + timedelta(hours=5), 99.0),
    ]  # outside the range
    result = aggregate(
        data,
        ["totalCount", "distinctCount", "sum", "avg", "min", "max", "stddev", "sumsq"],
        "PT1H",
        start,
        start + timedelta(hours=3),
    )
    assert result["totalCount"] == [
        [2, "2026-11-22T00:00:00Z", "2026-11-22T01:00:00Z"],
        [2, "2026-11-22T02:00:00Z", "2026-11-22T03:00:00Z"],
    ]  # empty hour left out
    assert [r[0] for r in result["distinctCount"]] == [2, 1]
    assert [r[0] for r in result["sum"]] == [6.0, 6.0]
    assert [r[0] for r in result["avg"]] == [3.0, 3.0]
    assert [r[0] for r in result["min"]] == [2.0, 3.0] and [r[0] for r in result["max"]] == [4.0, 3.0]
    assert [r[0] for r in result["stddev"]] == [1.0, 0.0]
    assert [r[0] for r in result["sumsq"]] == [20.0, 18.0]


def test_text_values_count_but_do_not_sum() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    result = aggregate(
        [(start, "Waspada"), (start, "Siaga")],
        ["totalCount", "distinctCount", "avg"],
        "P1D",
        start,
        start + timedelta(days=1),
    )
    assert result == {
        "totalCount": [[2, "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"]],
        "distinctCount": [[2, "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"]],
        "avg": [],
    }


def test_bad_requests() -> None:
    with pytest.raises(TemporalError, match="aggrMethods"):
        aggregate([], ["median"], "PT1H", T0, T0 + timedelta(hours=1))
    with pytest.raises(TemporalError, match="empty"):
        aggregate([], ["sum"], "PT1H", T0, T0)
    with pytest.raises(TemporalError, match="periods"):
        aggregate([], ["sum"], "PT1S", T0, T0 + timedelta(days=30))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 86_399), st.floats(-1e6, 1e6)), max_size=60))
def test_totals_match_whatever_the_period(points: list[tuple[int, float]]) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    data = [(start + timedelta(seconds=s), v) for s, v in points]
    for period in ("PT1H", "PT7M", "P1D"):
        result = aggregate(data, ["totalCount", "sum"], period, start, start + timedelta(days=1))
        assert sum(r[0] for r in result["totalCount"]) == len(points)
        assert math.isclose(sum(r[0] for r in result["sum"]), sum(v for _s, v in points), abs_tol=1e-3)
