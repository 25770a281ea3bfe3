"""A level-history chart as SVG coordinates (server-rendered, no JavaScript library). Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 600, 160, 4


@dataclass(frozen=True)
class Chart:
    """An SVG polyline of the readings and horizontal lines at the thresholds."""

    points: str
    lines: tuple[tuple[str, float, float], ...]  # (label, y, value)
    low: float
    high: float


def chart(
    series: Sequence[tuple[int, float]], thresholds: Sequence[tuple[str, float]], start_ms: int, end_ms: int
) -> Chart:
    """Scale (time ms, value) pairs and thresholds into the WIDTH × HEIGHT box."""
    values = [v for _, v in series] + [t for _, t in thresholds]
    low = min([0.0, *values])
    high = max([1.0, *values]) * 1.1
    span = max(end_ms - start_ms, 1)

    def y(value: float) -> float:
        return round(HEIGHT - PAD - (value - low) / (high - low) * (HEIGHT - 2 * PAD), 1)

    points = " ".join(f"{round((t - start_ms) / span * WIDTH, 1)},{y(v)}" for t, v in series)
    return Chart(points, tuple((label, y(value), value) for label, value in thresholds), low, high)
