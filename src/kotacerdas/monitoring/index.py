"""The yearly evaluation index (monev): a pure, documented computation (no Django).

For each region and year (METHODOLOGY.md §8, reference/indicators-and-scoring.md §4.4):

**Indicators → pillar scores (0–100).** Each indicator value is normalised with goalposts
(`s = 100·clip((x − low)/(high − low), 0, 1)`, reversed when lower is better). The goalposts are the
indicator's own (set by a national admin) or, when it has none, the lowest and highest value any region
reported that year (documented in the trace as "observed range"). A pillar's score is the arithmetic mean of
its normalised indicators, computed only when the region has at least `min_coverage` (default 2/3) of the
pillar's indicators that have data anywhere that year; otherwise the pillar is "insufficient data" (None),
never zero.

**Five dimensions (0–scale, default 0–5):**
- *baseline*: the share of the region's indicators (with values in this and the previous year, normalised
  with this year's goalposts) that improved, or stayed at the top; × scale;
- *output*: the assessor-verified score for policy, institutions and budget (unverified → missing);
- *outcome*: the implementation rate (implemented / planned programs of the plan) × scale;
- *impact*: the impact survey's mean answer on the 1–5 scale, mapped to 0–scale: `(mean − 1)/4 · scale`;
- *quickwin*: the assessor-verified innovation score of the quick wins (unverified → missing).

**Overall score** = the weighted arithmetic mean of the available dimensions (weights default 10/20/30/30/10),
computed only when the available dimensions carry at least `min_coverage` of the total weight; else None
with the reason. A weighted geometric mean is available for the sensitivity check.

**Maturity level** 1–5 (overall and per pillar) from thresholds at 20/40/60/80 % of the scale.
**Rank**: competition ranking on the score rounded to two decimals ("1, 2, 2, 4"); regions without a score
are not ranked. **Change**: the score minus last year's, when both exist.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from kotacerdas.core.text import Text, gettext_noop

DIMENSIONS = ("baseline", "output", "outcome", "impact", "quickwin")
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "baseline": 10,
    "output": 20,
    "outcome": 30,
    "impact": 30,
    "quickwin": 10,
}
MATURITY_LEVELS = 5
LIKERT_MIN, LIKERT_MAX = 1.0, 5.0


@dataclass(frozen=True, slots=True)
class Method:
    """How the index is computed; the evaluation round stores its own values."""

    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    scale_max: float = 5.0
    min_coverage: float = 2 / 3
    thresholds: tuple[float, ...] = (0.2, 0.4, 0.6, 0.8)  # fractions of the scale between levels
    aggregation: str = "arithmetic"  # or "geometric"
    normalisation: str = "goalposts"  # or "observed" (min–max over regions, ignoring set goalposts)


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """What the index needs of a catalogue indicator."""

    code: str
    pillar: str
    higher_is_better: bool = True
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True, slots=True)
class RegionInputs:
    """Everything measured for one region in one year."""

    region: str
    values: Mapping[str, float] = field(default_factory=dict)  # indicator code → value this year
    previous_values: Mapping[str, float] = field(default_factory=dict)  # … last year
    planned: Mapping[str, int] = field(default_factory=dict)  # pillar → programs planned up to this year
    implemented: Mapping[str, int] = field(default_factory=dict)  # pillar → of those, carried out
    output_score: float | None = None  # verified, 0–scale
    quickwin_score: float | None = None  # verified, 0–scale
    impact_mean: float | None = None  # survey mean, 1–5
    impact_respondents: int = 0
    previous_score: float | None = None


class Normalised(NamedTuple):
    """One indicator value on the 0–100 scale (a named tuple: the index makes ~50,000 per year)."""

    code: str
    value: float
    low: float
    high: float
    goalposts: str  # "set" | "observed"
    score: float  # 0–100


@dataclass(frozen=True, slots=True)
class PillarScore:
    pillar: str
    score: float | None  # 0–scale
    maturity: int | None
    indicators: tuple[Normalised, ...]
    missing: tuple[str, ...]
    expected: int
    planned: int
    implemented: int
    reason: str = ""

    @property
    def implementation_rate(self) -> float | None:
        return self.implemented / self.planned if self.planned else None


@dataclass(frozen=True, slots=True)
class Dimension:
    key: str
    value: float | None  # 0–scale
    weight: float
    source: str  # how it was obtained, or why it is missing

    def contribution(self, total_weight: float) -> float | None:
        return None if self.value is None else self.value * self.weight / total_weight


@dataclass(frozen=True, slots=True)
class RegionResult:
    """One region's evaluation with everything needed to answer "why this score?"."""

    region: str
    score: float | None
    maturity: int | None
    dimensions: tuple[Dimension, ...]
    pillars: tuple[PillarScore, ...]
    coverage: float  # share of the dimension weight that had data
    reason: str = ""
    rank: int | None = None
    change: float | None = None


# --- normalisation ------------------------------------------------------------------------------------


def goalposts(
    specs: Mapping[str, IndicatorSpec], inputs: Sequence[RegionInputs], method: Method
) -> dict[str, tuple[float, float, str]]:
    """Per indicator: (low, high, "set" | "observed"); indicators without data and without posts are left
    out. Observed posts span this year's values over every region."""
    observed: dict[str, list[float]] = defaultdict(list)
    for region in inputs:
        for code, value in region.values.items():
            observed[code].append(value)
    posts: dict[str, tuple[float, float, str]] = {}
    for code, spec in specs.items():
        if method.normalisation == "goalposts" and spec.low is not None and spec.high is not None:
            posts[code] = (spec.low, spec.high, "set")
        elif observed.get(code):
            posts[code] = (min(observed[code]), max(observed[code]), "observed")
    return posts


def normalise(value: float, low: float, high: float, higher_is_better: bool = True) -> float:
    """0–100 between the goalposts, clipped; a flat range (low == high) scores 100 at or past it."""
    if high == low:
        reached = value >= high if higher_is_better else value <= low
        return 100.0 if reached else 0.0
    share = (value - low) / (high - low)
    if not higher_is_better:
        share = 1 - share
    return 0.0 if share <= 0 else 100.0 if share >= 1 else 100.0 * share


def as_dict(result: RegionResult, short: bool = False) -> dict[str, object]:
    """The result as plain JSON data; much faster than dataclasses.asdict. `short`: each indicator as
    [code, value] (see `compact`)."""
    return {
        "region": result.region,
        "score": result.score,
        "maturity": result.maturity,
        "coverage": result.coverage,
        "reason": result.reason,
        "reason_text": _text(result.reason),
        "rank": result.rank,
        "change": result.change,
        "dimensions": [
            {"key": d.key, "value": d.value, "weight": d.weight, "source": d.source, "text": _text(d.source)}
            for d in result.dimensions
        ],
        "pillars": [_pillar_dict(p, short) for p in result.pillars],
    }


def _text(text: str) -> dict[str, object] | None:
    """A translatable message of the trace ({"message", "params"}), None for none."""
    if not isinstance(text, Text):
        return None
    return {"message": text.message, "params": dict(text.params)}


def compact(result: RegionResult) -> dict[str, object]:
    """The stored trace: `as_dict` with each indicator as [code, value]; the year's goalposts (with each
    indicator's direction) are stored once, not once per region, and `expand` puts the rest back."""
    return as_dict(result, short=True)


def stored_goalposts(
    posts: Mapping[str, tuple[float, float, str]], specs: Mapping[str, IndicatorSpec]
) -> dict[str, list[object]]:
    """The year's goalposts as stored beside the traces: code → [low, high, kind, higher is better]."""
    return {code: [*bounds, specs[code].higher_is_better] for code, bounds in posts.items() if code in specs}


def expand(trace: Mapping[str, object], posts: Mapping[str, Sequence[object]]) -> dict[str, object]:
    """A stored (compact) trace with the stored goalposts of its year: the shape of `as_dict` (each score
    computed again from the value: normalisation is exact and cheap)."""
    pillars = []
    for pillar in trace.get("pillars", []):  # type: ignore[attr-defined]
        indicators = []
        for code, value in pillar["indicators"]:
            low, high, kind, higher = posts[code]
            score = normalise(value, low, high, higher)  # type: ignore[arg-type]
            indicators.append(
                {"code": code, "value": value, "low": low, "high": high, "goalposts": kind, "score": score}
            )
        pillars.append({**pillar, "indicators": indicators})
    return {**trace, "pillars": pillars}


def _pillar_dict(p: PillarScore, short: bool) -> dict[str, object]:
    if short:
        indicators: list[object] = [[n.code, n.value] for n in p.indicators]
    else:
        indicators = [n._asdict() for n in p.indicators]
    return {
        "pillar": p.pillar,
        "score": p.score,
        "maturity": p.maturity,
        "expected": p.expected,
        "planned": p.planned,
        "implemented": p.implemented,
        "reason": p.reason,
        "reason_text": _text(p.reason),
        "missing": list(p.missing),
        "indicators": indicators,
    }


# --- pillars ------------------------------------------------------------------------------------------


def expected_by_pillar(
    specs: Mapping[str, IndicatorSpec], inputs: Sequence[RegionInputs]
) -> dict[str, list[str]]:
    """The indicators of each pillar that have a value for at least one region this year."""
    reported = {code for region in inputs for code in region.values}
    expected: dict[str, list[str]] = defaultdict(list)
    for code in sorted(reported & specs.keys()):
        expected[specs[code].pillar].append(code)
    return expected


def normalise_region(
    region: RegionInputs, specs: Mapping[str, IndicatorSpec], posts: Mapping[str, tuple[float, float, str]]
) -> dict[str, Normalised]:
    """Every value of the region that has goalposts, normalised once (pillars and baseline share them).
    The arithmetic of `normalise`, inlined: this loop runs ~50,000 times a year."""
    found = {}
    for code, value in region.values.items():
        bounds, spec = posts.get(code), specs.get(code)
        if bounds is None or spec is None:
            continue
        low, high, kind = bounds
        if high == low:
            score = normalise(value, low, high, spec.higher_is_better)
        else:
            share = (value - low) / (high - low) if spec.higher_is_better else (high - value) / (high - low)
            score = 0.0 if share <= 0 else 100.0 if share >= 1 else 100.0 * share
        found[code] = Normalised(code, value, low, high, kind, score)
    return found


def pillar_score(
    pillar: str,
    region: RegionInputs,
    expected: Sequence[str],
    normalised: Mapping[str, Normalised],
    method: Method,
) -> PillarScore:
    used = tuple(normalised[c] for c in expected if c in normalised)
    missing = tuple(c for c in expected if c not in normalised) if len(used) < len(expected) else ()
    counts = (len(expected), region.planned.get(pillar, 0), region.implemented.get(pillar, 0))
    if not expected:
        reason = Text.of(gettext_noop("no indicator of this pillar has data this year"))
        return PillarScore(pillar, None, None, used, missing, *counts, reason=reason)
    if len(used) < method.min_coverage * len(expected):
        reason = Text.of(
            gettext_noop("insufficient data: %(used)s of %(expected)s indicators"),
            used=len(used),
            expected=len(expected),
        )
        return PillarScore(pillar, None, None, used, missing, *counts, reason=reason)
    score = sum(n.score for n in used) / len(used) * method.scale_max / 100
    return PillarScore(pillar, score, maturity(score, method), used, missing, *counts)


# --- dimensions ---------------------------------------------------------------------------------------


def baseline(
    region: RegionInputs,
    specs: Mapping[str, IndicatorSpec],
    normalised: Mapping[str, Normalised],
    method: Method,
) -> tuple[float | None, str]:
    comparable = [c for c in normalised if c in region.previous_values]
    if not comparable:
        return None, Text.of(gettext_noop("no indicator has values for this and the previous year"))
    improved = 0
    for code in comparable:
        now = normalised[code]
        before = normalise(region.previous_values[code], now.low, now.high, specs[code].higher_is_better)
        improved += now.score > before or now.score == 100.0
    share = improved / len(comparable)
    message = gettext_noop("%(improved)s of %(comparable)s indicators improved")
    return share * method.scale_max, Text.of(message, improved=improved, comparable=len(comparable))


def outcome(region: RegionInputs, method: Method) -> tuple[float | None, str]:
    planned, implemented = sum(region.planned.values()), sum(region.implemented.values())
    if not planned:
        return None, Text.of(gettext_noop("no program of the plan was due by this year"))
    message = gettext_noop("%(implemented)s of %(planned)s programs implemented")
    return implemented / planned * method.scale_max, Text.of(
        message, implemented=implemented, planned=planned
    )


def impact(region: RegionInputs, method: Method) -> tuple[float | None, str]:
    if region.impact_mean is None or not region.impact_respondents:
        return None, Text.of(gettext_noop("no impact survey answers"))
    mean = min(LIKERT_MAX, max(LIKERT_MIN, region.impact_mean))
    share = (mean - LIKERT_MIN) / (LIKERT_MAX - LIKERT_MIN)
    message = gettext_noop("mean answer %(mean).2f of 5 from %(respondents)s respondents")
    return share * method.scale_max, Text.of(message, mean=mean, respondents=region.impact_respondents)


VERIFIED = {
    "output": (
        gettext_noop("output (policy, institutions, budget) verified by an assessor"),
        gettext_noop("output (policy, institutions, budget) not verified by an assessor"),
    ),
    "quickwin": (
        gettext_noop("quick-win innovation verified by an assessor"),
        gettext_noop("quick-win innovation not verified by an assessor"),
    ),
}


def verified(score: float | None, dimension: str, method: Method) -> tuple[float | None, str]:
    yes, no = VERIFIED[dimension]
    if score is None:
        return None, Text.of(no)
    return min(method.scale_max, max(0.0, score)), Text.of(yes)


def dimensions(
    region: RegionInputs,
    specs: Mapping[str, IndicatorSpec],
    normalised: Mapping[str, Normalised],
    method: Method,
) -> tuple[Dimension, ...]:
    found = {
        "baseline": baseline(region, specs, normalised, method),
        "output": verified(region.output_score, "output", method),
        "outcome": outcome(region, method),
        "impact": impact(region, method),
        "quickwin": verified(region.quickwin_score, "quickwin", method),
    }
    return tuple(Dimension(k, found[k][0], float(method.weights.get(k, 0)), found[k][1]) for k in DIMENSIONS)


# --- aggregation, maturity, ranking -------------------------------------------------------------------


def aggregate(dims: Sequence[Dimension], method: Method) -> tuple[float | None, float, str]:
    """(score, coverage, reason): the weighted mean of the dimensions that have a value."""
    total = sum(d.weight for d in dims)
    present = [d for d in dims if d.value is not None and d.weight > 0]
    weight = sum(d.weight for d in present)
    coverage = weight / total if total else 0.0
    if not present or coverage < method.min_coverage:
        missing = ", ".join(d.key for d in dims if d.value is None)
        return (
            None,
            coverage,
            Text.of(gettext_noop("insufficient data: missing %(missing)s"), missing=missing),
        )
    if method.aggregation == "geometric":
        floor = method.scale_max / 100  # a zero would wipe out every other dimension
        logs = sum(d.weight * math.log(max(floor, d.value or 0.0)) for d in present)
        return math.exp(logs / weight), coverage, ""
    return sum(d.weight * (d.value or 0.0) for d in present) / weight, coverage, ""


def maturity(score: float | None, method: Method) -> int | None:
    """Level 1–5: 1 below the first threshold, 5 at or above the last."""
    if score is None:
        return None
    share = score / method.scale_max
    return 1 + sum(share >= t for t in method.thresholds)


def competition_ranks(scores: Mapping[str, float | None]) -> dict[str, int | None]:
    """1, 2, 2, 4 on the score rounded to two decimals (as shown); None for regions without a score."""
    ranks: dict[str, int | None] = dict.fromkeys(scores)
    shown = ((round(s, 2), key) for key, s in scores.items() if s is not None)
    ordered = sorted(shown, key=lambda pair: (-pair[0], pair[1]))
    for position, (score, key) in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        ranks[key] = ranks[previous[1]] if previous and previous[0] == score else position
    return ranks


# --- the whole year -----------------------------------------------------------------------------------


def evaluate_region(
    region: RegionInputs,
    specs: Mapping[str, IndicatorSpec],
    posts: Mapping[str, tuple[float, float, str]],
    expected: Mapping[str, Sequence[str]],
    pillars: Iterable[str],
    method: Method,
) -> RegionResult:
    normalised = normalise_region(region, specs, posts)
    dims = dimensions(region, specs, normalised, method)
    score, coverage, reason = aggregate(dims, method)
    scores = tuple(pillar_score(p, region, expected.get(p, ()), normalised, method) for p in pillars)
    change = None if score is None or region.previous_score is None else score - region.previous_score
    return RegionResult(
        region.region, score, maturity(score, method), dims, scores, coverage, reason, None, change
    )


def evaluate(
    inputs: Sequence[RegionInputs],
    specs: Mapping[str, IndicatorSpec],
    pillars: Sequence[str],
    method: Method | None = None,
    posts: Mapping[str, tuple[float, float, str]] | None = None,
) -> list[RegionResult]:
    """Every region's result for one year, ranked (goalposts computed unless given)."""
    method = method or Method()
    posts = goalposts(specs, inputs, method) if posts is None else posts
    expected = expected_by_pillar(specs, inputs)
    results = [evaluate_region(r, specs, posts, expected, pillars, method) for r in inputs]
    ranks = competition_ranks({r.region: r.score for r in results})
    return [replace(r, rank=ranks[r.region]) for r in results]


# --- sensitivity --------------------------------------------------------------------------------------

SCENARIOS: Mapping[str, Mapping[str, object]] = {
    "equal weights": {"weights": dict.fromkeys(DIMENSIONS, 20)},
    "Jambi weights (10/20/30/20/20)": {
        "weights": {"baseline": 10, "output": 20, "outcome": 30, "impact": 20, "quickwin": 20}
    },
    "geometric mean": {"aggregation": "geometric"},
    "observed range instead of set goalposts": {"normalisation": "observed"},
}


@dataclass(frozen=True, slots=True)
class Sensitivity:
    region: str
    rank: int | None
    ranks: Mapping[str, int | None]  # scenario → rank

    @property
    def largest_shift(self) -> int | None:
        moves = [abs(r - self.rank) for r in self.ranks.values() if r is not None and self.rank is not None]
        return max(moves) if moves else None


def sensitivity(
    inputs: Sequence[RegionInputs],
    specs: Mapping[str, IndicatorSpec],
    pillars: Sequence[str],
    method: Method | None = None,
    scenarios: Mapping[str, Mapping[str, object]] = SCENARIOS,
) -> list[Sensitivity]:
    """How each region's rank moves when one assumption changes (weights, aggregation, normalisation)."""
    method = method or Method()
    base = {r.region: r.rank for r in evaluate(inputs, specs, pillars, method)}
    moved: dict[str, dict[str, int | None]] = defaultdict(dict)
    for name, change in scenarios.items():
        for result in evaluate(inputs, specs, pillars, replace(method, **change)):  # type: ignore[arg-type]
            moved[result.region][name] = result.rank
    return [Sensitivity(region, rank, moved[region]) for region, rank in base.items()]
