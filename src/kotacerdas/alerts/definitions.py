"""A stored rule definition (JSON-like mapping) resolved into a `conditions.Spec` for one entity. Pure.

A definition has the AlertRule fields: kind, attribute, thresholds {"Waspada": 2.0, ...} or the short form
threshold + severity, level_attributes {"Siaga": "alertLevel"} (read from the entity), above, hysteresis,
debounce_count, debounce_seconds, window_seconds, stale_seconds, severity, parts (definitions).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .conditions import SEVERITIES, Spec, SpecError

RULE_FIELDS = (  # the AlertRule fields a definition is made of
    "kind",
    "attribute",
    "thresholds",
    "level_attributes",
    "above",
    "hysteresis",
    "debounce_count",
    "debounce_seconds",
    "window_seconds",
    "stale_seconds",
    "severity",
    "parts",
)
LEVELS = {name: index for index, name in enumerate(SEVERITIES) if index}


def level_of(name: Any) -> int:
    """1–3 for Waspada/Siaga/Awas (also accepts the numbers); SpecError otherwise."""
    if isinstance(name, int) and not isinstance(name, bool) and name in (1, 2, 3):
        return name
    if isinstance(name, str) and name.capitalize() in LEVELS:
        return LEVELS[name.capitalize()]
    raise SpecError(f"severity must be Waspada, Siaga or Awas, not {name!r}")


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SpecError(f"{what} must be a number")
    return float(value)


def _levels(
    definition: Mapping[str, Any], entity_values: Mapping[str, float]
) -> tuple[tuple[int, float], ...]:
    levels: dict[int, float] = {}
    if definition.get("threshold") is not None:
        levels[level_of(definition.get("severity", 1))] = _number(definition["threshold"], "threshold")
    for name, value in (definition.get("thresholds") or {}).items():
        levels[level_of(name)] = _number(value, f"the threshold of {name}")
    for name, attribute in (definition.get("level_attributes") or {}).items():
        if attribute in entity_values:  # an entity without the attribute simply lacks that level
            levels[level_of(name)] = float(entity_values[attribute])
    return tuple(sorted(levels.items()))


def spec_from(definition: Mapping[str, Any], entity_values: Mapping[str, float] | None = None) -> Spec:
    """The Spec of a definition for an entity whose numeric attribute values are given."""
    values = entity_values or {}
    kind = str(definition.get("kind") or "threshold")
    parts = tuple(spec_from(part, values) for part in definition.get("parts") or ())
    try:
        return Spec(
            kind=kind,
            attribute=str(definition.get("attribute") or ""),
            levels=_levels(definition, values) if kind in ("threshold", "rate") else (),
            above=bool(definition.get("above", True)),
            hysteresis=_number(definition.get("hysteresis", 0) or 0, "hysteresis"),
            debounce_count=int(definition.get("debounce_count") or 1),
            debounce_ms=int(definition.get("debounce_seconds") or 0) * 1000,
            window_ms=int(definition.get("window_seconds") or 3600) * 1000,
            stale_ms=int(definition.get("stale_seconds") or 0) * 1000,
            stale_level=level_of(definition.get("severity") or 1) if kind == "stale" else 1,
            parts=parts,
        )
    except (TypeError, ValueError) as exc:
        raise SpecError(str(exc)) from exc
