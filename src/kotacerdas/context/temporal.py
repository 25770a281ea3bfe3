"""Temporal aggregation of NGSI-LD attribute instances (GS CIM 009 aggrMethods / aggrPeriodDuration): pure.

`aggregate(instances, methods, period, start, end)` buckets (observedAt, value) pairs into consecutive
periods from `start` (calendar-aware for months and years) and returns, per method, `[value, startAt, endAt]`
rows as in the aggregated temporal representation. Empty periods are left out. This is the meaning the
database queries must reproduce (SQL pushes the same computation down for speed).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

METHODS = ("totalCount", "distinctCount", "sum", "avg", "min", "max", "stddev", "sumsq")
NUMERIC_METHODS = {"sum", "avg", "min", "max", "stddev", "sumsq"}
_DURATION = re.compile(
    r"^P(?!$)(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)
MAX_PERIODS = 100_000


class TemporalError(ValueError):
    """An invalid temporal request (duration, method, time range)."""


class Duration:
    """An ISO 8601 duration: calendar months (years × 12 + months) plus an exact timedelta."""

    def __init__(self, months: int, delta: timedelta) -> None:
        self.months = months
        self.delta = delta

    def after(self, moment: datetime) -> datetime:
        return _add_months(moment, self.months) + self.delta


def parse_duration(text: str) -> Duration:
    """ "PT1H" → one hour; "P1M" → one calendar month; TemporalError for anything else or zero."""
    match = _DURATION.match(text or "")
    if not match:
        raise TemporalError(f"aggrPeriodDuration {text!r} is not an ISO 8601 duration such as PT1H or P1D")
    parts = {k: float(v) if v else 0.0 for k, v in match.groupdict().items()}
    months = int(parts["years"]) * 12 + int(parts["months"])
    delta = timedelta(
        weeks=parts["weeks"],
        days=parts["days"],
        hours=parts["hours"],
        minutes=parts["minutes"],
        seconds=parts["seconds"],
    )
    if months == 0 and delta <= timedelta(0):
        raise TemporalError("aggrPeriodDuration must be longer than zero")
    return Duration(months, delta)


def _add_months(moment: datetime, months: int) -> datetime:
    if not months:
        return moment
    index = moment.year * 12 + moment.month - 1 + months
    year, month = divmod(index, 12)
    last_day = [
        31,
        29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][month]
    return moment.replace(year=year, month=month + 1, day=min(moment.day, last_day))


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _stddev(values: Sequence[float]) -> float:
    mean = sum(values) / len(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))


CALCULATIONS: dict[str, Callable[[Sequence[Any], list[float]], Any]] = {
    "totalCount": lambda raw, nums: len(raw),
    "distinctCount": lambda raw, nums: len({repr(v) for v in raw}),
    "sum": lambda raw, nums: sum(nums),
    "avg": lambda raw, nums: sum(nums) / len(nums),
    "min": lambda raw, nums: min(nums),
    "max": lambda raw, nums: max(nums),
    "stddev": lambda raw, nums: _stddev(nums),
    "sumsq": lambda raw, nums: sum(v * v for v in nums),
}


def iso_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def aggregate(
    instances: Iterable[tuple[datetime, Any]],
    methods: Sequence[str],
    period: str,
    start: datetime,
    end: datetime,
) -> dict[str, list[list[Any]]]:
    """{method: [[value, startAt, endAt], ...]} over consecutive periods in [start, end)."""
    unknown = [m for m in methods if m not in METHODS]
    if unknown or not methods:
        raise TemporalError(
            f"aggrMethods must be among {', '.join(METHODS)}; got {', '.join(unknown) or 'none'}"
        )
    if end <= start:
        raise TemporalError("the time range is empty: endTimeAt must be after timeAt")
    duration = parse_duration(period)
    bounds = _periods(start, end, duration)
    buckets: list[list[Any]] = [[] for _ in bounds]
    for moment, value in instances:
        index = _bucket(bounds, moment)
        if index is not None:
            buckets[index].append(value)
    result: dict[str, list[list[Any]]] = {m: [] for m in methods}
    for (low, high), raw in zip(bounds, buckets, strict=True):
        if not raw:
            continue
        numbers = [n for n in map(_number, raw) if n is not None]
        for method in methods:
            if method in NUMERIC_METHODS and not numbers:
                continue
            result[method].append([CALCULATIONS[method](raw, numbers), iso_time(low), iso_time(high)])
    return result


def _periods(start: datetime, end: datetime, duration: Duration) -> list[tuple[datetime, datetime]]:
    bounds = []
    low = start
    while low < end:
        high = min(duration.after(low), end)
        bounds.append((low, high))
        if len(bounds) > MAX_PERIODS:
            raise TemporalError(f"more than {MAX_PERIODS} periods: choose a longer aggrPeriodDuration")
        low = high
    return bounds


def _bucket(bounds: Sequence[tuple[datetime, datetime]], moment: datetime) -> int | None:
    """Index of the period holding `moment` (binary search), or None outside [start, end)."""
    lo, hi = 0, len(bounds)
    while lo < hi:
        mid = (lo + hi) // 2
        low, high = bounds[mid]
        if moment < low:
            hi = mid
        elif moment >= high:
            lo = mid + 1
        else:
            return mid
    return None
