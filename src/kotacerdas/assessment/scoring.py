"""Readiness scoring: a pure, documented computation (no Django).

Method (METHODOLOGY.md §4; every number configurable per questionnaire version):
1. Each criterion score s on its scale [lo, hi] is normalised to 0–100: 100 · (s − lo) / (hi − lo).
2. A **missing** score (not given by the reviewer) counts as the scale minimum (0) and is listed in
   `missing`: a region gains nothing from an unanswered criterion, and the gap is visible, never silent.
3. Inside a sub-element, criteria are averaged with their weights (default equal).
4. Inside a dimension, sub-elements have equal weight.
5. The total is the weighted sum of dimension scores with the dimension weights normalised to sum to 1
   (default struktur 30, infrastruktur 30, suprastruktur 30, leadership 10).
6. Several reviewers: the **final** score per dimension and in total is the mean of the reviewers' scores;
   when three or more reviewed (a third review after a disagreement), the mean of the two reviewers whose
   totals are closest is used, so that one outlier does not decide.
7. **Disagreement** = highest minus lowest reviewer total; above the threshold (default 15 points on 0–100)
   the submission is flagged for a third review.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

DEFAULT_DISAGREEMENT_THRESHOLD = 15.0


@dataclass(frozen=True, slots=True)
class Criterion:
    """One scored criterion of the questionnaire."""

    key: str
    dimension: str
    sub_element: str
    scale_min: int = 1
    scale_max: int = 5
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class Structure:
    """The questionnaire's criteria and dimension weights (any positive numbers; normalised here)."""

    criteria: Sequence[Criterion]
    dimension_weights: Mapping[str, float]

    def dimensions(self) -> list[str]:
        return list(self.dimension_weights)


@dataclass(frozen=True, slots=True)
class ReviewerResult:
    """One reviewer's scores of one submission."""

    reviewer: str
    total: float
    dimensions: dict[str, float]
    missing: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FinalResult:
    """The aggregated result of a submission."""

    total: float
    dimensions: dict[str, float]
    reviewers: list[ReviewerResult]
    used_reviewers: list[str]
    disagreement: float
    needs_third_review: bool


class ScoringError(ValueError):
    """A score outside its scale, an unknown criterion, or a structure that cannot be scored."""


def normalise(score: float, lo: int, hi: int) -> float:
    if hi <= lo:
        raise ScoringError(f"scale [{lo}, {hi}] is empty")
    if not lo <= score <= hi:
        raise ScoringError(f"score {score} is outside the scale {lo}–{hi}")
    return 100.0 * (score - lo) / (hi - lo)


def score_reviewer(structure: Structure, reviewer: str, scores: Mapping[str, float | None]) -> ReviewerResult:
    """Score one reviewer's criterion scores (missing or None = scale minimum, listed in `missing`)."""
    known = {c.key for c in structure.criteria}
    unknown = set(scores) - known
    if unknown:
        raise ScoringError(f"unknown criteria: {sorted(unknown)}")
    # dimension -> sub-element -> [(weight, normalised)]
    groups: dict[str, dict[str, list[tuple[float, float]]]] = defaultdict(lambda: defaultdict(list))
    missing = []
    for criterion in structure.criteria:
        raw = scores.get(criterion.key)
        if raw is None:
            missing.append(criterion.key)
            value = 0.0
        else:
            value = normalise(raw, criterion.scale_min, criterion.scale_max)
        groups[criterion.dimension][criterion.sub_element].append((criterion.weight, value))
    dimensions = {dim: _dimension_score(groups.get(dim, {})) for dim in structure.dimensions()}
    return ReviewerResult(reviewer, _weighted_total(structure, dimensions), dimensions, missing)


def _dimension_score(sub_elements: Mapping[str, list[tuple[float, float]]]) -> float:
    if not sub_elements:
        return 0.0
    means = []
    for items in sub_elements.values():
        weight = sum(w for w, _ in items)
        if weight <= 0:
            raise ScoringError("criterion weights in a sub-element must add up to more than 0")
        means.append(sum(w * v for w, v in items) / weight)
    return sum(means) / len(means)


def _weighted_total(structure: Structure, dimensions: Mapping[str, float]) -> float:
    total_weight = sum(structure.dimension_weights.values())
    if total_weight <= 0:
        raise ScoringError("dimension weights must add up to more than 0")
    return sum(w * dimensions[d] for d, w in structure.dimension_weights.items()) / total_weight


def closest_pair(results: Sequence[ReviewerResult]) -> list[ReviewerResult]:
    """The two reviewer results whose totals are closest (ties: the earlier reviewers)."""
    best = min(combinations(results, 2), key=_gap)
    return [best[0], best[1]]


def _gap(pair: tuple[ReviewerResult, ReviewerResult]) -> float:
    return abs(pair[0].total - pair[1].total)


def aggregate(
    structure: Structure,
    reviews: Mapping[str, Mapping[str, float | None]],
    threshold: float = DEFAULT_DISAGREEMENT_THRESHOLD,
) -> FinalResult:
    """Aggregate the reviews of one submission: {reviewer: {criterion: score}} -> FinalResult."""
    if not reviews:
        raise ScoringError("no reviews to aggregate")
    results = [score_reviewer(structure, name, scores) for name, scores in reviews.items()]
    used = closest_pair(results) if len(results) >= 3 else results
    totals = [r.total for r in results]
    disagreement = max(totals) - min(totals)
    dims = {d: sum(r.dimensions[d] for r in used) / len(used) for d in structure.dimensions()}
    return FinalResult(
        total=sum(r.total for r in used) / len(used),
        dimensions=dims,
        reviewers=results,
        used_reviewers=[r.reviewer for r in used],
        disagreement=disagreement,
        needs_third_review=len(results) == 2 and disagreement > threshold,
    )
