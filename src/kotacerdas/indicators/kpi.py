"""KPI arithmetic: periods and aggregations of readings. Pure (no Django import).

Aggregations over (epoch ms, value) readings: avg, min, max, sum, count; `share_below` / `share_above`:
the percentage of *hours* whose mean is below (above) a threshold, e.g. hours with PM2.5 under the
national standard. Counting alerts and sensor availability are computed by the service from their own rows.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime

READING_METHODS = ("avg", "min", "max", "sum", "count", "share_below", "share_above")
METHODS = (*READING_METHODS, "alerts_count", "availability")
PERIODS = ("day", "month", "year")


def period_bounds(period: str, day: date) -> tuple[date, date]:
    """[start, end) of the period containing the day."""
    if period == "day":
        return day, date.fromordinal(day.toordinal() + 1)
    if period == "month":
        end = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        return date(day.year, day.month, 1), end
    if period == "year":
        return date(day.year, 1, 1), date(day.year + 1, 1, 1)
    raise ValueError(f"period must be one of {', '.join(PERIODS)}")


def epoch_ms(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000)


def hourly_means(readings: Sequence[tuple[int, float]]) -> list[float]:
    hours: dict[int, list[float]] = defaultdict(list)
    for ms, value in readings:
        hours[ms // 3_600_000].append(value)
    return [sum(v) / len(v) for _, v in sorted(hours.items())]


def aggregate(
    method: str, readings: Sequence[tuple[int, float]], threshold: float | None = None
) -> float | None:
    """The KPI value of readings (None when there is nothing to aggregate)."""
    values = [v for _, v in readings if math.isfinite(v)]
    if method == "count":
        return float(len(values))
    if not values:
        return None
    if method == "avg":
        return sum(values) / len(values)
    if method == "min":
        return min(values)
    if method == "max":
        return max(values)
    if method == "sum":
        return float(sum(values))
    if method in ("share_below", "share_above"):
        if threshold is None:
            raise ValueError(f"{method} needs a threshold")
        means = hourly_means(readings)
        hits = [m for m in means if (m < threshold if method == "share_below" else m > threshold)]
        return 100.0 * len(hits) / len(means)
    raise ValueError(f"method must be one of {', '.join(READING_METHODS)}")


def availability(received: int, seconds: float, expected_interval: int) -> float:
    """Percentage of the readings a device should have sent in `seconds` that it did send (at most 100)."""
    expected = max(seconds / max(expected_interval, 1), 1.0)
    return min(100.0, 100.0 * received / expected)
