"""Small SVG charts for the dashboards, drawn by us (no network, no plotting library): pure functions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

MATURITY_COLOURS = ("#d7301f", "#fc8d59", "#fdcc8a", "#91cf60", "#1a9850")
NO_DATA = "#bbbbbb"
CENTRED = 'text-anchor="middle"'


def colour_for(level: int | None) -> str:
    return MATURITY_COLOURS[level - 1] if level else NO_DATA


def columns(
    bars: Sequence[tuple[str, int, str]], width: int = 420, height: int = 160, title: str = ""
) -> str:
    """Vertical bars: (label, count, colour); the count is written above each bar."""
    top = max([count for _, count, _ in bars] + [1])
    step = width / max(1, len(bars))
    base = height - 22
    parts = []
    for i, (label, count, colour) in enumerate(bars):
        h = (base - 16) * count / top
        x = i * step + 4
        middle = x + (step - 8) / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{step - 8:.1f}" height="{h:.1f}" fill="{colour}">'
            f"<title>{escape(label)}: {count}</title></rect>"
            f'<text x="{middle:.1f}" y="{base - h - 3:.1f}" {CENTRED} font-size="10">{count}</text>'
            f'<text x="{middle:.1f}" y="{height - 8}" {CENTRED} font-size="9">{escape(label)}</text>'
        )
    return _svg(width, height, title, "".join(parts))


def bars(
    items: Sequence[tuple[str, float | None, str]], top: float, width: int = 420, title: str = ""
) -> str:
    """Horizontal bars (label, value or None, colour) on 0..top; None is drawn as "no data"."""
    row, label_w = 20, 130
    height = row * len(items) + 6
    parts = []
    for i, (label, value, colour) in enumerate(items):
        y = i * row + 3
        parts.append(f'<text x="0" y="{y + 13}" font-size="11">{escape(label)}</text>')
        if value is None:
            parts.append(f'<text x="{label_w}" y="{y + 13}" font-size="10" fill="#777">–</text>')
            continue
        w = (width - label_w - 40) * max(0.0, min(value, top)) / top
        parts.append(
            f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row - 6}" fill="{colour}"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 13}" font-size="10">{value:.2f}</text>'
        )
    return _svg(width, height, title, "".join(parts))


def lines(
    series: Mapping[str, Sequence[tuple[int, float]]],
    colours: Mapping[str, str],
    years: Sequence[int],
    width: int = 420,
    height: int = 150,
    title: str = "",
) -> str:
    """Yearly series (e.g. value and target) on one axis; each point is marked and titled."""
    points = [v for s in series.values() for _, v in s]
    if not points or not years:
        return _svg(width, 30, title, '<text x="0" y="18" font-size="11" fill="#777">–</text>')
    low, high = min(points + [0.0]), max(points) or 1.0
    span = (high - low) or 1.0
    first, last = min(years), max(years)

    def x(year: int) -> float:
        return 30 + (width - 40) * ((year - first) / ((last - first) or 1))

    def y(value: float) -> float:
        return height - 20 - (height - 35) * (value - low) / span

    parts = [
        f'<text x="{x(yr):.1f}" y="{height - 5}" font-size="9" text-anchor="middle">{yr}</text>'
        for yr in years
    ]
    parts.append(f'<text x="0" y="12" font-size="9">{high:g}</text>')
    parts.append(f'<text x="0" y="{height - 20}" font-size="9">{low:g}</text>')
    for name, data in series.items():
        coords = " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v in data)
        parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{colours.get(name, "#333")}" stroke-width="2"/>'
        )
        parts.extend(
            f'<circle cx="{x(yr):.1f}" cy="{y(v):.1f}" r="3" fill="{colours.get(name, "#333")}">'
            f"<title>{escape(name)} {yr}: {v:g}</title></circle>"
            for yr, v in data
        )
    return _svg(width, height, title, "".join(parts))


def _svg(width: int, height: int, title: str, body: str) -> str:
    label = f' role="img" aria-label="{escape(title)}"' if title else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" class="chart"{label}>{body}</svg>'
    )
