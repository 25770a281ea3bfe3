"""Southbound payloads, decoded at the boundary into frozen objects: pure (no Django import).

Two FIWARE IoT Agent conventions:

- **UltraLight 2.0**: `key|value|key|value`, groups separated by `#`, each group optionally prefixed by an
  ISO 8601 timestamp (`2026-11-22T01:00:00Z|l|2.4`). Values are strings until a device mapping types them.
- **JSON**: an object of `object_id: value` (optionally with `TimeInstant`), or a list of such objects.

On the single-attribute MQTT topic `/<apikey>/<device>/attrs/<attr>` the payload is the bare value.
Every failure raises `PayloadError` with a reason a person can act on; nothing is guessed.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

TIMESTAMP_KEYS = ("TimeInstant", "timeInstant", "observedAt")
MAX_PAYLOAD = 64 * 1024
MAX_MEASURES = 500


class PayloadError(ValueError):
    """The message cannot be turned into readings; the text says why."""


@dataclass(frozen=True)
class Measure:
    """One raw measure: the device's object id, its raw value and its own timestamp (epoch ms) if given."""

    object_id: str
    value: Any
    observed_ms: int | None = None


@dataclass(frozen=True)
class Topic:
    """The parts of a southbound MQTT topic."""

    apikey: str
    device_id: str
    attribute: str | None = None


def parse_topic(topic: str) -> Topic:
    """`/<apikey>/<device>/attrs[/<attr>]` (the leading slash is optional)."""
    parts = topic.split("/")
    if parts and parts[0] == "":
        parts = parts[1:]
    if len(parts) not in (3, 4) or parts[2] != "attrs" or not parts[0] or not parts[1]:
        raise PayloadError(f"the topic {topic[:200]!r} is not /<apikey>/<device>/attrs[/<attribute>]")
    if len(parts) == 4 and not parts[3]:
        raise PayloadError("the single-attribute topic has an empty attribute name")
    return Topic(parts[0], parts[1], parts[3] if len(parts) == 4 else None)


def parse_time(text: str) -> int:
    """An ISO 8601 timestamp with a time zone, as epoch milliseconds."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise PayloadError(f"{text[:40]!r} is not an ISO 8601 timestamp") from exc
    if moment.tzinfo is None:
        raise PayloadError(f"the timestamp {text[:40]!r} has no time zone (add Z or +07:00)")
    return int(moment.astimezone(UTC).timestamp() * 1000)


def _text(payload: bytes) -> str:
    if len(payload) > MAX_PAYLOAD:
        raise PayloadError(f"the payload has {len(payload)} bytes; at most {MAX_PAYLOAD} are accepted")
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PayloadError(f"the payload is not UTF-8 text (byte {exc.start})") from exc


def _looks_like_time(token: str) -> bool:
    return len(token) >= 10 and token[:4].isdigit() and token[4:5] == "-"


def parse_ultralight(payload: bytes, attribute: str | None = None) -> list[Measure]:
    """Measures of an UltraLight 2.0 payload (or of a bare value on a single-attribute topic)."""
    text = _text(payload).strip()
    if not text:
        raise PayloadError("the payload is empty")
    if attribute is not None:
        return [Measure(attribute, text)]
    measures: list[Measure] = []
    for number, group in enumerate(text.split("#"), start=1):
        measures.extend(_ultralight_group(group.strip(), number))
    _check_count(measures)
    return measures


def _ultralight_group(group: str, number: int) -> list[Measure]:
    tokens = group.split("|")
    observed = None
    if len(tokens) % 2 == 1:
        if not _looks_like_time(tokens[0]):
            raise PayloadError(f"group {number} has an odd number of fields: expected key|value pairs")
        observed = parse_time(tokens[0])
        tokens = tokens[1:]
    if not tokens:
        raise PayloadError(f"group {number} has a timestamp but no measures")
    pairs = list(zip(tokens[::2], tokens[1::2], strict=True))
    for key, _ in pairs:
        if not key.strip():
            raise PayloadError(f"group {number} has an empty key")
    return [Measure(key.strip(), value.strip(), observed) for key, value in pairs]


def parse_json(payload: bytes, attribute: str | None = None) -> list[Measure]:
    """Measures of a JSON payload: an object, a list of objects, or a bare value for one attribute."""
    text = _text(payload)
    try:
        document = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        raise PayloadError(f"the payload is not valid JSON ({str(exc)[:120]})") from exc
    if attribute is not None:
        return [Measure(attribute, document)]
    groups = document if isinstance(document, list) else [document]
    if not groups:
        raise PayloadError("the JSON list is empty")
    measures: list[Measure] = []
    for number, group in enumerate(groups, start=1):
        measures.extend(_json_group(group, number))
    _check_count(measures)
    return measures


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _json_group(group: Any, number: int) -> list[Measure]:
    if not isinstance(group, dict):
        raise PayloadError(f"measure group {number} is not a JSON object of object_id: value")
    observed = None
    for key in TIMESTAMP_KEYS:
        if key in group:
            if not isinstance(group[key], str):
                raise PayloadError(f"{key} must be an ISO 8601 string")
            observed = parse_time(group[key])
    measures = [Measure(k, v, observed) for k, v in group.items() if k not in TIMESTAMP_KEYS]
    if not measures:
        raise PayloadError(f"measure group {number} has no measures")
    return measures


def _check_count(measures: list[Measure]) -> None:
    if len(measures) > MAX_MEASURES:
        raise PayloadError(f"the payload has {len(measures)} measures; at most {MAX_MEASURES} are accepted")


# --- typing values by the device's attribute mapping --------------------------------------------------

NUMBER_TYPES = {"Number", "Float", "Double", "number", "float"}
INTEGER_TYPES = {"Integer", "integer", "int"}
BOOLEAN_TYPES = {"Boolean", "boolean", "bool"}
TEXT_TYPES = {"Text", "String", "string", "text"}
POINT_TYPES = {"geo:point", "Point", "geo:json"}


def typed(value: Any, kind: str, name: str) -> Any:
    """The value converted to the attribute's declared type; PayloadError when it does not fit."""
    if kind in NUMBER_TYPES or kind in INTEGER_TYPES:
        return _number(value, kind in INTEGER_TYPES, name)
    if kind in BOOLEAN_TYPES:
        return _boolean(value, name)
    if kind in POINT_TYPES:
        return _point(value, name)
    if kind in TEXT_TYPES:
        if isinstance(value, dict | list):
            raise PayloadError(f"{name}: expected text, got a JSON {type(value).__name__}")
        return str(value)
    return value  # an undeclared type: kept as sent


def _number(value: Any, integer: bool, name: str) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise PayloadError(f"{name}: expected a number, got {_show(value)}")
    try:
        number = float(value.strip().replace(",", ".")) if isinstance(value, str) else float(value)
    except ValueError as exc:
        raise PayloadError(f"{name}: expected a number, got {_show(value)}") from exc
    if not math.isfinite(number):
        raise PayloadError(f"{name}: {_show(value)} is not a finite number")
    if integer:
        if number != int(number):
            raise PayloadError(f"{name}: expected an integer, got {_show(value)}")
        return int(number)
    return number


def _boolean(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
        return value.strip().lower() in ("true", "1")
    raise PayloadError(f"{name}: expected true or false, got {_show(value)}")


def _point(value: Any, name: str) -> dict[str, Any]:
    """`lat,lon` text (the IoT Agent geo:point form) or a GeoJSON Point, as a GeoJSON Point."""
    coordinates: Any
    if isinstance(value, dict) and value.get("type") == "Point":
        coordinates = value.get("coordinates")
    elif isinstance(value, str) and value.count(",") == 1:
        lat, lon = value.split(",")
        coordinates = [_number(lon, False, name), _number(lat, False, name)]
    else:
        raise PayloadError(f"{name}: expected 'latitude,longitude' or a GeoJSON Point, got {_show(value)}")
    valid = (
        isinstance(coordinates, list)
        and len(coordinates) == 2
        and all(isinstance(c, int | float) and not isinstance(c, bool) for c in coordinates)
    )
    if not valid or not (-180 <= coordinates[0] <= 180 and -90 <= coordinates[1] <= 90):
        raise PayloadError(f"{name}: the coordinates are out of range")
    return {"type": "Point", "coordinates": coordinates}


def _show(value: Any) -> str:
    text = json.dumps(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
