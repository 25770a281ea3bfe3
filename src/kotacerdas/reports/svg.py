"""Small SVG drawings for documents, made by us (no network, no plotting library): pure functions."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

# Indonesia's extent (lon, lat) for an equirectangular projection.
WEST, EAST, NORTH, SOUTH = 94.5, 141.5, 6.5, -11.5


def _xy(lon: float, lat: float, width: float, height: float) -> tuple[float, float]:
    return ((lon - WEST) / (EAST - WEST) * width, (NORTH - lat) / (NORTH - SOUTH) * height)


def map_point(
    outline: dict[str, Any], lat: float | None, lon: float | None, label: str, width: int = 520
) -> str:
    """Indonesia's outline with the region's point (or a note when it has no sure coordinates)."""
    height = round(width * (NORTH - SOUTH) / (EAST - WEST))
    paths = []
    for polygon in outline["geometry"]["coordinates"]:
        ring = polygon[0]
        points = " ".join("{:.1f},{:.1f}".format(*_xy(x, y, width, height)) for x, y in ring)
        paths.append(f'<polygon points="{points}" fill="#eee8d5" stroke="#6b7f89" stroke-width="0.5"/>')
    marker = ""
    if lat is not None and lon is not None:
        x, y = _xy(lon, lat, width, height)
        marker = (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#c0392b" stroke="#fff" stroke-width="1.5"/>'
            f'<text x="{x + 8:.1f}" y="{y - 6:.1f}" font-size="11" fill="#222">{escape(label)}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}"><rect width="100%" height="100%" fill="#d7e8f0"/>{"".join(paths)}{marker}</svg>'
    )


def roadmap(rows: Sequence[tuple[str, str, int, int, bool]], first: int, last: int, width: int = 680) -> str:
    """A Gantt-like chart: one bar per (title, colour, start, end, quick win) over the plan's years."""
    label_w, row_h, head = 250, 16, 20
    years = list(range(first, last + 1))
    col = (width - label_w) / len(years)
    height = head + row_h * len(rows) + 4
    parts = [
        f'<text x="{label_w + i * col + col / 2:.1f}" y="13" font-size="9" text-anchor="middle">{y}</text>'
        for i, y in enumerate(years)
    ]
    for i, (title, colour, start, end, quick) in enumerate(rows):
        y = head + i * row_h
        x0 = label_w + (start - first) * col
        bar_w = (end - start + 1) * col - 2
        short = escape(title if len(title) <= 44 else title[:42] + "…")
        parts.append(f'<text x="2" y="{y + 11}" font-size="8.5">{short}</text>')
        stroke = ' stroke="#111" stroke-width="1.2"' if quick else ""
        parts.append(
            f'<rect x="{x0 + 1:.1f}" y="{y + 2}" width="{bar_w:.1f}" height="{row_h - 5}" rx="2" '
            f'fill="{colour}"{stroke}/>'
        )
    grid = "".join(
        f'<line x1="{label_w + i * col:.1f}" y1="16" x2="{label_w + i * col:.1f}" y2="{height}" '
        f'stroke="#ddd" stroke-width="0.5"/>'
        for i in range(len(years) + 1)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" font-family="DejaVu Sans, sans-serif">{grid}{"".join(parts)}</svg>'
    )
