"""The pure alert conditions, with hand-worked sequences."""

from __future__ import annotations

import pytest

from kotacerdas.alerts import conditions
from kotacerdas.alerts.conditions import Sample, Spec, SpecError, State, step
from kotacerdas.alerts.definitions import spec_from

MIN = 60_000


def run(spec: Spec, values: list[float], every_ms: int = MIN, attribute: str = "level") -> list[int]:
    """The level after each reading."""
    state, levels = State(), []
    for index, value in enumerate(values):
        state = step(spec, state, {attribute: [Sample(index * every_ms, value)]})
        levels.append(state.level)
    return levels


FLOOD = Spec("threshold", "level", levels=((1, 2.0), (2, 2.5), (3, 3.5)))


def test_threshold_takes_the_highest_level_reached() -> None:
    assert run(FLOOD, [1.0, 2.0, 2.6, 3.6, 2.2, 1.9]) == [0, 1, 2, 3, 1, 0]


def test_hysteresis_keeps_a_level_until_the_value_falls_clearly_below() -> None:
    spec = Spec("threshold", "level", levels=((2, 2.5),), hysteresis=0.2)
    # 2.4 and 2.31 are within 0.2 below 2.5: still Siaga; 2.3 is not (> 2.3 is required)
    assert run(spec, [2.6, 2.4, 2.31, 2.3, 2.4]) == [2, 2, 2, 0, 0]


def test_debounce_by_count_needs_consecutive_readings_both_ways() -> None:
    spec = Spec("threshold", "level", levels=((1, 2.0),), debounce_count=3)
    assert run(spec, [2.1, 2.1, 1.0, 2.1, 2.1, 2.1, 1.0, 1.0, 1.0]) == [0, 0, 0, 0, 0, 1, 1, 1, 0]


def test_debounce_counts_readings_rising_through_several_levels() -> None:
    spec = Spec("threshold", "level", levels=((2, 2.5), (3, 3.5)), debounce_count=2)
    # 3.0 asks Siaga, 3.8 asks Awas: two readings asking to go up → Awas (the latest); 1.0 once: kept
    assert run(spec, [1.0, 3.0, 3.8, 1.0, 3.9, 1.0, 1.0]) == [0, 0, 3, 3, 3, 3, 0]


def test_debounce_by_duration() -> None:
    spec = Spec("threshold", "level", levels=((1, 2.0),), debounce_ms=5 * MIN)
    # first reading at 2.1 at minute 1; the level is taken at minute 6
    assert run(spec, [1.0, 2.1, 2.2, 2.2, 2.2, 2.2, 2.2]) == [0, 0, 0, 0, 0, 0, 1]


def test_below_rule() -> None:
    spec = Spec("threshold", "battery", levels=((1, 20.0), (2, 10.0)), above=False)
    assert run(spec, [50, 20, 9, 30], attribute="battery") == [0, 1, 2, 0]


def test_rate_of_rise_over_a_window() -> None:
    spec = Spec("rate", "level", levels=((2, 1.0),), window_ms=30 * MIN)
    # readings every 10 minutes; the window holds the samples of the last 30 minutes (the one exactly 30
    # minutes old has left): at 20 min (1.0 → 1.2 over 20 min) 0.6 m/h; at 30 and 40 min 1.2 m/h → Siaga;
    # at 50 min (1.4 → 1.6) 0.6 m/h → Normal again
    assert run(spec, [1.0, 1.0, 1.2, 1.4, 1.6, 1.6, 1.6, 1.6], every_ms=10 * MIN) == [0, 0, 0, 2, 2, 0, 0, 0]


def test_a_fast_gauge_keeps_a_bounded_window_and_the_same_rate() -> None:
    """Twenty readings a second for two hours (a rise of 0.6 m/h): the window never holds more than about
    WINDOW_SAMPLES samples, and the rate is the rise over the window as with every sample kept."""
    spec = Spec("rate", "level", levels=((1, 0.5),), window_ms=60 * MIN)
    state, longest = State(), 0
    for index in range(2 * 3600 * 20):
        ms = index * 50
        state = step(spec, state, {"level": [Sample(ms, 1.0 + 0.6 * ms / 3_600_000)]})
        longest = max(longest, len(state.window))
    assert longest <= conditions.WINDOW_SAMPLES + 2
    assert conditions.rate_per_hour(state.window) == pytest.approx(0.6, rel=1e-6)
    assert state.window[-1].ms == index * 50
    assert state.window[-1].ms - state.window[0].ms >= 60 * MIN * (1 - 1 / conditions.WINDOW_SAMPLES)
    assert state.level == 1


def test_thinning_never_drops_the_newest_or_a_spaced_sample() -> None:
    window = (Sample(0, 1.0), Sample(40_000, 1.1))
    # 1 h window → 30 s spacing: 40 s after 0 stays; the next sample is appended
    assert conditions.slid(window, Sample(41_000, 1.2), 3_600_000) == (*window, Sample(41_000, 1.2))
    # 1 s after 40 s: the 41 s sample leaves, the new one stays
    thinned = conditions.slid((*window, Sample(41_000, 1.2)), Sample(42_000, 1.3), 3_600_000)
    assert thinned == (*window, Sample(42_000, 1.3))


def test_rate_per_hour() -> None:
    assert conditions.rate_per_hour([Sample(0, 1.0), Sample(30 * MIN, 1.5)]) == pytest.approx(1.0)
    assert conditions.rate_per_hour([Sample(0, 1.0)]) == 0.0


def test_staleness() -> None:
    spec = Spec("stale", "level", stale_ms=10 * MIN, stale_level=1)
    state = step(spec, State(), {"level": [Sample(0, 1.0)]})
    assert conditions.check_stale(spec, state, 10 * MIN).level == 0
    stale = conditions.check_stale(spec, state, 11 * MIN)
    assert stale.level == 1
    assert step(spec, stale, {"level": [Sample(12 * MIN, 1.0)]}).level == 0


def test_all_and_any_combinations() -> None:
    high = Spec("threshold", "level", levels=((2, 2.5),))
    rising = Spec("rate", "level", levels=((3, 1.0),), window_ms=60 * MIN)
    both = Spec("all", parts=(high, rising))
    either = Spec("any", parts=(high, rising))
    values = [1.0, 2.0, 2.6, 2.6, 2.6, 2.6, 2.6, 2.6, 2.6]  # every 10 min: a fast rise, then a plateau
    # high:   0 0 2 2 2 2 2 2 2
    # rising: 0 3 3 3 3 3 0 0 0  (at 60 min the 1.0 reading has left the window: 0.6 m in 50 min = 0.72 m/h)
    assert run(both, values, 10 * MIN) == [0, 0, 2, 2, 2, 2, 0, 0, 0]
    assert run(either, values, 10 * MIN) == [0, 3, 3, 3, 3, 3, 2, 2, 2]


def test_older_readings_are_ignored() -> None:
    state = step(FLOOD, State(), {"level": [Sample(10 * MIN, 3.0)]})
    assert step(FLOOD, state, {"level": [Sample(5 * MIN, 1.0)]}) == state


def test_state_round_trips_through_json() -> None:
    spec = Spec("any", parts=(FLOOD, Spec("rate", "level", levels=((1, 0.5),))))
    state = State()
    for index, value in enumerate([1.0, 2.7, 2.9]):
        state = step(spec, state, {"level": [Sample(index * MIN, value)]})
    assert conditions.load(conditions.dump(state)) == state


def test_definitions_resolve_levels_from_entity_attributes() -> None:
    definition = {
        "kind": "threshold",
        "attribute": "currentLevel",
        "level_attributes": {"Siaga": "alertLevel", "Awas": "dangerLevel"},
        "thresholds": {"Waspada": 1.5},
    }
    spec = spec_from(definition, {"alertLevel": 2.5, "dangerLevel": 3.5})
    assert spec.levels == ((1, 1.5), (2, 2.5), (3, 3.5))
    assert spec_from({"attribute": "l", "threshold": 3, "severity": "Awas"}).levels == ((3, 3.0),)


@pytest.mark.parametrize(
    "definition",
    [
        {"kind": "threshold", "attribute": "l"},
        {"kind": "threshold", "attribute": "l", "thresholds": {"Waspada": 3, "Siaga": 2}},
        {"kind": "threshold", "attribute": "l", "threshold": 1, "severity": "Bahaya"},
        {"kind": "stale", "attribute": "l"},
        {"kind": "all", "parts": [{"kind": "threshold", "attribute": "l", "threshold": 1}]},
        {"kind": "rate", "attribute": "l", "threshold": "x"},
        {"kind": "panic"},
    ],
)
def test_unusable_definitions_are_refused(definition: dict) -> None:
    with pytest.raises(SpecError):
        spec_from(definition)
