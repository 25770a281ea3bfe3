"""The invitation candidate list: a documented, adjustable ranking of regions (pure; no Django).

Parameters from the region profile (METHODOLOGY.md §3): fiscal capacity category (KKD), Indeks Kota Hijau,
the local-government performance index, Indeks Kota Berkelanjutan (cities only) and leading sectors.
1. Each numeric index is min–max normalised to 0–1 over the regions that have it.
2. The fiscal category maps to sangat_rendah 0, rendah 0.25, sedang 0.5, tinggi 0.75, sangat_tinggi 1.
3. The score is the weighted mean over the indices the region **has**; missing indices are listed per
   region (never counted as zero) and a region with none gets no score and is listed last.
4. A region with a leading sector among the cohort's priority sectors gets `sector_bonus` (default 0.1).
5. With `spread`, the list takes the best region of every province first, then the second best, ...
   so that the list covers the provinces (equity across regions).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

FISCAL_SCALE = {"sangat_rendah": 0.0, "rendah": 0.25, "sedang": 0.5, "tinggi": 0.75, "sangat_tinggi": 1.0}
DEFAULT_WEIGHTS = {
    "fiscal_capacity": 0.25,
    "green_city_index": 0.25,
    "lg_performance_index": 0.3,
    "sustainable_city_index": 0.2,
}


@dataclass(frozen=True, slots=True)
class RegionParams:
    code: str
    province: str
    values: Mapping[str, float | str]  # metric -> number, or category for fiscal_capacity
    leading_sectors: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class CandidateScore:
    code: str
    province: str
    score: float | None
    parts: dict[str, float] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    bonus: float = 0.0


def _normalisers(regions: Sequence[RegionParams], metrics: Sequence[str]) -> dict[str, tuple[float, float]]:
    bounds = {}
    for metric in metrics:
        numbers = [
            float(r.values[metric]) for r in regions if metric in r.values and metric != "fiscal_capacity"
        ]
        if numbers:
            bounds[metric] = (min(numbers), max(numbers))
    return bounds


def _part(metric: str, value: float | str, bounds: Mapping[str, tuple[float, float]]) -> float:
    if metric == "fiscal_capacity":
        return FISCAL_SCALE[str(value)]
    lo, hi = bounds[metric]
    return 1.0 if hi == lo else (float(value) - lo) / (hi - lo)


def score_regions(
    regions: Sequence[RegionParams],
    weights: Mapping[str, float] | None = None,
    priority_sectors: frozenset[str] = frozenset(),
    sector_bonus: float = 0.1,
) -> list[CandidateScore]:
    weights = dict(weights or DEFAULT_WEIGHTS)
    bounds = _normalisers(regions, list(weights))
    scores = []
    for region in regions:
        parts = {m: _part(m, region.values[m], bounds) for m in weights if m in region.values}
        missing = [m for m in weights if m not in region.values]
        total_weight = sum(weights[m] for m in parts)
        bonus = sector_bonus if priority_sectors & region.leading_sectors else 0.0
        score = None
        if total_weight > 0:
            score = sum(weights[m] * v for m, v in parts.items()) / total_weight + bonus
        scores.append(CandidateScore(region.code, region.province, score, parts, missing, bonus))
    return scores


def candidate_list(
    scores: Sequence[CandidateScore], limit: int | None = None, spread: bool = False
) -> list[CandidateScore]:
    """Best first (unscored last); with `spread`, round-robin over provinces."""
    ordered = sorted(scores, key=lambda s: (s.score is None, -(s.score or 0.0), s.code))
    if spread:
        by_province: dict[str, list[CandidateScore]] = defaultdict(list)
        for s in ordered:
            by_province[s.province].append(s)
        depth = {s.code: by_province[s.province].index(s) for s in ordered}
        ordered = sorted(ordered, key=lambda s: (s.score is None, depth[s.code], -(s.score or 0.0), s.code))
    return ordered[:limit] if limit else ordered
