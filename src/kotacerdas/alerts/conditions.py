"""Alert conditions: a pure state machine per (rule, entity). No Django import.

Levels follow the Indonesian warning scale: 0 Normal, 1 Waspada, 2 Siaga, 3 Awas.

- **threshold**: the highest level whose threshold the value reaches (`above`, or at/below for `above=False`);
  with *hysteresis* a level is kept until the value falls `hysteresis` below (rises above) its threshold.
- **rate**: the rate of rise per hour over a sliding window (newest minus oldest sample in the window,
  divided by their time apart) against per-level thresholds. The window keeps at most about
  `WINDOW_SAMPLES` samples: older samples closer than `window / WINDOW_SAMPLES` to the one before are
  dropped (the newest is always kept), so a gauge reporting many times a second costs the same as one
  reporting twice a minute, and the oldest sample is off by at most that spacing (under 1 % of the window).
- **stale**: no reading for `stale_ms` → the rule's level; any reading clears it.
- **all** / **any**: a combination of parts (each with its own attribute): the lowest (all) or highest (any)
  of the parts' levels.
- **debounce** (threshold and rate): the level changes only after `debounce_count` consecutive readings
  asking for a change the same way (up, or down) and `debounce_ms` since the first of them; it then takes
  the level the latest reading asks for (a fast rise through Siaga into Awas is not held back). Both
  directions, so a flapping sensor stays quiet.

`step` feeds new samples (older than the last one seen are ignored: back-filled history does not alert);
`check_stale` is called on a schedule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

SEVERITIES = ("Normal", "Waspada", "Siaga", "Awas")
WINDOW_SAMPLES = 120
KINDS = ("threshold", "rate", "stale", "all", "any")


class SpecError(ValueError):
    """A rule definition that cannot be evaluated; the text says why."""


@dataclass(frozen=True)
class Sample:
    """A numeric reading at a time (epoch ms)."""

    ms: int
    value: float


@dataclass(frozen=True)
class Spec:
    """A rule, resolved for one entity (thresholds are numbers here)."""

    kind: str
    attribute: str = ""
    levels: tuple[tuple[int, float], ...] = ()  # (level, threshold)
    above: bool = True
    hysteresis: float = 0.0
    debounce_count: int = 1
    debounce_ms: int = 0
    window_ms: int = 3_600_000
    stale_ms: int = 0
    stale_level: int = 1
    parts: tuple[Spec, ...] = ()

    def __post_init__(self) -> None:
        check(self)


def check(spec: Spec) -> None:
    """Raise SpecError when the rule cannot work."""
    if spec.kind not in KINDS:
        raise SpecError(f"kind must be one of {', '.join(KINDS)}")
    if spec.kind in ("threshold", "rate"):
        if not spec.levels:
            raise SpecError("a threshold or rate rule needs at least one level with a threshold")
        if any(level not in (1, 2, 3) for level, _ in spec.levels):
            raise SpecError("levels are 1 (Waspada), 2 (Siaga) or 3 (Awas)")
        ordered = [t for _, t in sorted(spec.levels)]
        if ordered != sorted(ordered, reverse=not spec.above):
            raise SpecError("thresholds must grow with the level (fall, for a 'below' rule)")
    if spec.hysteresis < 0 or spec.debounce_count < 1 or spec.debounce_ms < 0:
        raise SpecError("hysteresis and debounce time cannot be negative; debounce count is at least 1")
    if spec.kind == "rate" and spec.window_ms <= 0:
        raise SpecError("a rate rule needs a positive window")
    if spec.kind == "stale" and (spec.stale_ms <= 0 or spec.stale_level not in (1, 2, 3)):
        raise SpecError("a staleness rule needs a positive time and a level of 1, 2 or 3")
    if spec.kind in ("all", "any") and len(spec.parts) < 2:
        raise SpecError("a combination needs at least two parts")


@dataclass(frozen=True)
class State:
    """What a rule remembers about one entity."""

    level: int = 0
    candidate: int = 0
    count: int = 0
    since_ms: int = 0
    last_ms: int | None = None
    value: float | None = None
    window: tuple[Sample, ...] = ()
    parts: tuple[State, ...] = field(default_factory=tuple)


def attributes(spec: Spec) -> set[str]:
    """The attributes whose readings this rule reads."""
    if spec.kind in ("all", "any"):
        return set().union(*(attributes(p) for p in spec.parts))
    return {spec.attribute}


def step(spec: Spec, state: State, samples: Mapping[str, Sequence[Sample]]) -> State:
    """The state after these samples (per attribute, any order)."""
    if spec.kind in ("all", "any"):
        parts = _parts(spec, state)
        new_parts = tuple(step(p, s, samples) for p, s in zip(spec.parts, parts, strict=True))
        return _combined(spec, state, new_parts)
    for sample in sorted(samples.get(spec.attribute, ()), key=lambda s: s.ms):
        if state.last_ms is not None and sample.ms <= state.last_ms:
            continue
        state = _leaf(spec, state, sample)
    return state


def _parts(spec: Spec, state: State) -> tuple[State, ...]:
    return state.parts if len(state.parts) == len(spec.parts) else tuple(State() for _ in spec.parts)


def _combined(spec: Spec, state: State, parts: tuple[State, ...]) -> State:
    levels = [p.level for p in parts]
    level = min(levels) if spec.kind == "all" else max(levels)
    last = max((p.last_ms for p in parts if p.last_ms is not None), default=state.last_ms)
    value = next((p.value for p in parts if p.value is not None), state.value)
    return replace(state, level=level, parts=parts, last_ms=last, value=value)


def _leaf(spec: Spec, state: State, sample: Sample) -> State:
    seen: dict[str, Any] = {"last_ms": sample.ms, "value": sample.value}  # set with the level's change
    if spec.kind == "stale":
        return replace(state, level=0, candidate=0, count=0, **seen)
    if spec.kind == "rate":
        seen["window"] = slid(state.window, sample, spec.window_ms)
        target = raw_level(spec, rate_per_hour(seen["window"]), state.level)
    else:
        target = raw_level(spec, sample.value, state.level)
    return debounced(spec, state, target, sample.ms, seen)


def slid(window: tuple[Sample, ...], sample: Sample, window_ms: int) -> tuple[Sample, ...]:
    """The window after a new sample: samples older than window_ms leave; the sample before the new one
    leaves too when it is closer than window_ms / WINDOW_SAMPLES to its predecessor (thinning)."""
    kept = [s for s in window if s.ms > sample.ms - window_ms]
    if len(kept) >= 2 and kept[-1].ms - kept[-2].ms < window_ms / WINDOW_SAMPLES:
        kept.pop()
    return (*kept, sample)


def rate_per_hour(window: Sequence[Sample]) -> float:
    """Rise per hour between the oldest and newest sample (0 with fewer than two samples)."""
    if len(window) < 2 or window[-1].ms == window[0].ms:
        return 0.0
    return (window[-1].value - window[0].value) / ((window[-1].ms - window[0].ms) / 3_600_000)


def raw_level(spec: Spec, value: float, current: int) -> int:
    """The level the value asks for, keeping the current level while inside its hysteresis band."""
    reached = [level for level, threshold in spec.levels if _beyond(spec, value, threshold, 0.0)]
    kept = [
        level
        for level, threshold in spec.levels
        if level <= current and _beyond(spec, value, threshold, spec.hysteresis)
    ]
    return max([0, *reached, *kept])


def _beyond(spec: Spec, value: float, threshold: float, slack: float) -> bool:
    if spec.above:
        return value >= threshold - slack if slack == 0 else value > threshold - slack
    return value <= threshold + slack if slack == 0 else value < threshold + slack


def debounced(spec: Spec, state: State, target: int, ms: int, seen: Mapping[str, Any] | None = None) -> State:
    """Move to `target` once it has been asked for long enough; otherwise count and wait. `seen` (the
    reading's time, value, window) is set in the same step: one new state per reading, not three."""
    seen = seen or {}
    if target == state.level:
        return replace(state, candidate=target, count=0, since_ms=ms, **seen)
    same_way = (target > state.level) == (state.candidate > state.level)
    rising = state.count > 0 and state.candidate != state.level and same_way  # still rising (or falling)
    count, since = (state.count + 1, state.since_ms) if rising else (1, ms)
    if count >= spec.debounce_count and ms - since >= spec.debounce_ms:
        return replace(state, level=target, candidate=target, count=0, since_ms=ms, **seen)
    return replace(state, candidate=target, count=count, since_ms=since, **seen)


def check_stale(spec: Spec, state: State, now_ms: int) -> State:
    """The state at `now_ms` for staleness parts (other kinds unchanged)."""
    if spec.kind in ("all", "any"):
        parts = tuple(check_stale(p, s, now_ms) for p, s in zip(spec.parts, _parts(spec, state), strict=True))
        return _combined(spec, state, parts)
    if spec.kind != "stale" or state.last_ms is None:
        return state
    level = spec.stale_level if now_ms - state.last_ms > spec.stale_ms else 0
    return replace(state, level=level)


# --- the stored form of a state (JSON) ---------------------------------------------------------------


def dump(state: State) -> dict[str, object]:
    return {
        "level": state.level,
        "candidate": state.candidate,
        "count": state.count,
        "since": state.since_ms,
        "last": state.last_ms,
        "value": state.value,
        "window": [[s.ms, s.value] for s in state.window],
        "parts": [dump(p) for p in state.parts],
    }


def load(data: Mapping[str, object] | None) -> State:
    if not data:
        return State()
    window = data.get("window") or []
    parts = data.get("parts") or []
    return State(
        level=int(data.get("level") or 0),  # type: ignore[call-overload]
        candidate=int(data.get("candidate") or 0),  # type: ignore[call-overload]
        count=int(data.get("count") or 0),  # type: ignore[call-overload]
        since_ms=int(data.get("since") or 0),  # type: ignore[call-overload]
        last_ms=data.get("last"),  # type: ignore[arg-type]
        value=data.get("value"),  # type: ignore[arg-type]
        window=tuple(Sample(int(ms), float(v)) for ms, v in window),  # type: ignore[attr-defined]
        parts=tuple(load(p) for p in parts),  # type: ignore[attr-defined]
    )
