"""Ingestion: southbound messages (MQTT or HTTP) → readings → context entities + history → alert rules.

One function, `ingest`, serves the MQTT stream, the HTTP endpoints and the demo simulator. Each message is
decoded at the boundary into frozen `Reading`s using its device's attribute mapping; a message that cannot be
(unknown key or device, bad payload, wrong type, implausible value, timestamp out of range) becomes a
`DeadLetter` with the raw bytes and the reason. Everything of a batch is written in one transaction: entity
values, temporal instances (idempotent on entity/attribute/observedAt), alert state and notification outbox
rows, dead letters and device availability.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from kotacerdas.context import jsonld, observations
from kotacerdas.context import services as context
from kotacerdas.context.observations import Observation
from kotacerdas.core import metrics

from . import payloads
from .models import DeadLetter, Device, ServiceGroup
from .payloads import Measure, PayloadError

log = logging.getLogger("kotacerdas.devices")


@dataclass(frozen=True)
class RawMessage:
    """A southbound message as received: MQTT topic or HTTP path, the raw bytes, and the HTTP parameters."""

    transport: str  # "mqtt" or "http"
    channel: str  # topic or path
    payload: bytes
    received_ms: int
    apikey: str = ""
    device_id: str = ""
    attribute: str | None = None
    protocol: str | None = None  # "IoTA-JSON" / "IoTA-UL"; None: the service group's
    timestamp: str | None = None  # HTTP t=


@dataclass(frozen=True)
class Reading:
    """One typed measurement of one attribute of a device's entity (names are short terms)."""

    device: int
    tenant: str
    entity_id: str
    entity_type: str
    attribute: str
    value: Any
    observed_ms: int
    unit_code: str | None = None
    kind: str = "Property"


class UnknownDevice(PayloadError):
    """The API key or the device is not provisioned."""


@dataclass
class Outcome:
    """What a batch did."""

    readings: int = 0
    stored: int = 0
    duplicates: int = 0
    dead: list[DeadLetter] = field(default_factory=list)
    unknown: int = 0  # dead letters of unknown API keys or devices
    alerts: int = 0


# --- device lookup (cached per process for a short time) ---------------------------------------------

CACHE_SECONDS = 30.0
_groups: dict[str, tuple[float, ServiceGroup | None]] = {}
_devices: dict[tuple[int, str], tuple[float, Device | None]] = {}


def forget() -> None:
    """Empty the lookup caches (after provisioning changes in this process, after a rolled-back batch)."""
    _groups.clear()
    _devices.clear()
    _targets.clear()


def group_for(apikey: str) -> ServiceGroup | None:
    hit = _groups.get(apikey)
    if hit is not None and time.monotonic() - hit[0] < CACHE_SECONDS:
        return hit[1]
    group = ServiceGroup.objects.filter(apikey=apikey).first()
    _groups[apikey] = (time.monotonic(), group)
    return group


def device_for(group: ServiceGroup, device_id: str) -> Device | None:
    key = (group.pk, device_id)
    hit = _devices.get(key)
    if hit is not None and time.monotonic() - hit[0] < CACHE_SECONDS:
        return hit[1]
    device = Device.objects.filter(group=group, device_id=device_id).select_related("group").first()
    if device is None and group.autoprovision:
        device = _autoprovision(group, device_id)
    _devices[key] = (time.monotonic(), device)
    return device


def _autoprovision(group: ServiceGroup, device_id: str) -> Device:
    from .services import default_entity_name

    device, _ = Device.objects.get_or_create(
        group=group,
        device_id=device_id,
        defaults={
            "entity_type": group.entity_type,
            "entity_name": default_entity_name(group.entity_type, str(group.region_id), device_id),
            "attributes": group.attributes,
        },
    )
    log.info("device provisioned automatically", extra={"device": device_id, "apikey": group.apikey[:6]})
    return device


# --- decoding ---------------------------------------------------------------------------------------------


def _address(message: RawMessage) -> tuple[str, str, str | None]:
    if message.transport == "mqtt":
        topic = payloads.parse_topic(message.channel)
        return topic.apikey, topic.device_id, topic.attribute
    if not message.apikey or not message.device_id:
        raise PayloadError("the request needs both k (API key) and i (device id)")
    return message.apikey, message.device_id, message.attribute


def _measures(message: RawMessage, group: ServiceGroup, attribute: str | None) -> list[Measure]:
    protocol = message.protocol or group.protocol
    parse = payloads.parse_json if protocol == ServiceGroup.Protocol.JSON else payloads.parse_ultralight
    return parse(message.payload, attribute)


def mapping_of(device: Device) -> dict[str, dict[str, Any]]:
    """object id → attribute description (the group's mapping, overridden by the device's)."""
    entries = [*device.group.attributes, *device.attributes]
    return {str(e.get("object_id") or e["name"]): e for e in entries if isinstance(e, dict) and e.get("name")}


@dataclass(frozen=True)
class Target:
    """Where a mapped object id goes: the attribute, its declared type, plausible range and unit."""

    name: str
    kind: str
    low: float | None
    high: float | None
    unit_code: str | None
    reading_kind: str  # "Property" or "GeoProperty"

    @classmethod
    def of(cls, entry: dict[str, Any]) -> Target:
        kind = str(entry.get("type", ""))
        reading_kind = "GeoProperty" if kind in payloads.POINT_TYPES else "Property"
        low, high = entry.get("min"), entry.get("max")
        return cls(str(entry["name"]), kind, low, high, unit_code(entry), reading_kind)


_targets: dict[int, tuple[Device, dict[str, Target]]] = {}


def targets_of(device: Device) -> dict[str, Target]:
    """`mapping_of` as `Target`s, worked out once per cached device object (not once per message)."""
    hit = _targets.get(device.pk)
    if hit is not None and hit[0] is device:
        return hit[1]
    found = {object_id: Target.of(entry) for object_id, entry in mapping_of(device).items()}
    _targets[device.pk] = (device, found)
    return found


def unit_code(entry: dict[str, Any]) -> str | None:
    """unit_code, unitCode, or the IoT Agent form metadata.unitCode.value."""
    code = entry.get("unit_code") or entry.get("unitCode")
    if code is None and isinstance(entry.get("metadata"), dict):
        code = (entry["metadata"].get("unitCode") or {}).get("value")
    return str(code) if code else None


def _reading(device: Device, measure: Measure, observed_ms: int, target: Target | None) -> Reading:
    name = target.name if target else measure.object_id
    value = payloads.typed(measure.value, target.kind if target else "", name)
    if target and isinstance(value, int | float):
        low, high = target.low, target.high
        if (low is not None and value < low) or (high is not None and value > high):
            raise PayloadError(f"{name}: {value} is outside the plausible range [{low}, {high}]")
    return Reading(
        device=device.pk,
        tenant=str(device.group.region_id),
        entity_id=device.entity_name,
        entity_type=device.entity_type,
        attribute=name,
        value=value,
        observed_ms=observed_ms,
        unit_code=target.unit_code if target else None,
        kind=target.reading_kind if target else "Property",
    )


def time_window(now_ms: int) -> tuple[int, int]:
    """The accepted observation times: not older than the history retention, not ahead by more than the
    allowed clock skew."""
    oldest = now_ms - settings.NGSI_LD_RETENTION_MONTHS * 31 * 86_400_000
    return oldest, now_ms + settings.INGEST_MAX_SKEW_SECONDS * 1000


def decode(message: RawMessage, window: tuple[int, int]) -> tuple[Device, list[Reading]]:
    """The device and readings of a message; PayloadError (the dead-letter reason) when it has none.
    `window`: the accepted observation times (`time_window`)."""
    apikey, device_id, attribute = _address(message)
    group = group_for(apikey)
    if group is None:
        raise UnknownDevice(f"unknown API key {apikey[:12]!r}")
    device = device_for(group, device_id)
    if device is None:
        raise UnknownDevice(f"unknown device {device_id[:60]!r} for this API key")
    default_ms = payloads.parse_time(message.timestamp) if message.timestamp else message.received_ms
    mapping = targets_of(device)
    oldest, newest = window
    readings = []
    for measure in _measures(message, device.group, attribute):
        observed = measure.observed_ms if measure.observed_ms is not None else default_ms
        if not oldest <= observed <= newest:
            raise PayloadError(f"the timestamp {_iso(observed)} is out of range (too old or in the future)")
        readings.append(_reading(device, measure, observed, mapping.get(measure.object_id)))
    return device, readings


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat().replace("+00:00", "Z")


def dead_letter(message: RawMessage, reason: str, received: datetime) -> DeadLetter:
    """The dead-letter row of a refused message (region filled in when the API key is known)."""
    apikey, device_id = message.apikey, message.device_id
    if message.transport == "mqtt":
        try:
            topic = payloads.parse_topic(message.channel)
            apikey, device_id = topic.apikey, topic.device_id
        except PayloadError:
            pass
    group = group_for(apikey[:64]) if apikey else None
    return DeadLetter(
        received_at=received,
        transport=message.transport,
        channel=message.channel[:300],
        apikey=apikey[:64],
        device_id=device_id[:100],
        region_id=group.region_id if group else None,
        raw=message.payload,
        reason=reason[:2000],
    )


# --- writing ---------------------------------------------------------------------------------------------


def ingest(messages: Sequence[RawMessage], now: datetime | None = None) -> Outcome:
    """Decode and store a batch of messages in one transaction (see the module docstring)."""
    now = now or timezone.now()
    window = time_window(int(now.timestamp() * 1000))
    outcome = Outcome()
    readings: list[Reading] = []
    devices: dict[int, Device] = {}
    for message in messages:
        try:
            device, found = decode(message, window)
        except PayloadError as exc:
            outcome.dead.append(dead_letter(message, str(exc), now))
            outcome.unknown += isinstance(exc, UnknownDevice)
            continue
        devices[device.pk] = device
        readings.extend(found)
    outcome.readings = len(readings)
    with transaction.atomic():
        _store(readings, devices, now, outcome)
        _seen(list(devices), now)
        if outcome.dead:
            DeadLetter.objects.bulk_create(outcome.dead)
    for letter in outcome.dead:
        log.warning("message dead-lettered", extra={"channel": letter.channel, "reason": letter.reason})
    if messages:
        metrics.count_ingest(messages[0].transport, len(messages), outcome.stored, len(outcome.dead))
    return outcome


def _store(readings: list[Reading], devices: dict[int, Device], now: datetime, outcome: Outcome) -> None:
    from kotacerdas.alerts.evaluate import evaluate_readings

    terms = jsonld.term_map((jsonld.SDM_CONTEXT_URL,))
    by_tenant: dict[str, list[Reading]] = defaultdict(list)
    for reading in readings:
        by_tenant[reading.tenant].append(reading)
    for tenant_name, found in by_tenant.items():
        tenant = context.tenant_for_write(tenant_name)
        batch = [_observation(r, terms) for r in found]
        seeds = {d.entity_name: seed(d, terms) for d in devices.values() if d.group.region_id == tenant_name}
        written = observations.write(tenant, batch, seeds, now)
        outcome.stored += written.new_instances
        outcome.duplicates += written.duplicates
        outcome.alerts += evaluate_readings(tenant, found, written.entities, now)


def _observation(reading: Reading, terms: jsonld.TermMap) -> Observation:
    return Observation(
        entity_id=reading.entity_id,
        entity_type=terms.expand(reading.entity_type),
        attribute=terms.expand(reading.attribute),
        value=reading.value,
        observed_ms=reading.observed_ms,
        unit_code=reading.unit_code,
        kind=reading.kind,
    )


def seed(device: Device, terms: jsonld.TermMap) -> dict[str, Any]:
    """The stored form a device's new entity starts from: static attributes, location, refDevice-like id."""
    attrs: dict[str, Any] = {}
    for entry in [*device.group.static_attributes, *device.static_attributes]:
        if isinstance(entry, dict) and entry.get("name") and "value" in entry:
            kind = "Relationship" if entry.get("type") == "Relationship" else "Property"
            member = "object" if kind == "Relationship" else "value"
            attrs[terms.expand(str(entry["name"]))] = {"type": kind, member: entry["value"]}
    if device.latitude is not None and device.longitude is not None:
        point = {"type": "Point", "coordinates": [device.longitude, device.latitude]}
        attrs[terms.expand("location")] = {"type": "GeoProperty", "value": point}
    return {"type": [terms.expand(device.entity_type)], "attrs": attrs}


def _seen(device_pks: list[int], now: datetime) -> None:
    """Mark the batch's devices seen now (and available again, logged once). Plain SQL: it runs for every
    batch, and building the two ORM queries cost more than running them."""
    if not device_pks:
        return
    table, marks = Device._meta.db_table, ", ".join(["%s"] * len(device_pks))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT device_id FROM {table} WHERE available = %s AND id IN ({marks})",  # noqa: S608
            [False, *device_pks],
        )
        returning = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"UPDATE {table} SET last_seen = %s, available = %s WHERE id IN ({marks})",  # noqa: S608
            [connection.ops.adapt_datetimefield_value(now), True, *device_pks],
        )
    for device_id in returning:
        log.info("device available again", extra={"device": device_id})


def mark_silent(now: datetime | None = None) -> list[str]:
    """Devices silent for longer than their expected interval become unavailable (logged once, here)."""
    now = now or timezone.now()
    rows = Device.objects.filter(available=True).values_list(
        "pk", "device_id", "last_seen", "created", "expected_interval"
    )
    found = [
        (pk, device_id)
        for pk, device_id, last_seen, created, interval in rows
        if (last_seen or created) < now - timedelta(seconds=interval)
    ]
    Device.objects.filter(pk__in=[pk for pk, _ in found]).update(available=False)
    for _, device_id in found:
        log.warning(
            "device unavailable: no reading within its expected interval", extra={"device": device_id}
        )
    return [device_id for _, device_id in found]
