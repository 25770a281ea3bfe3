"""Provisioning: service groups and devices in the FIWARE IoT Agent JSON shapes (`/iot/services`,
`/iot/devices`), the same functions behind the pages and the bulk import (CSV/XLSX)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kotacerdas.context.entities import is_uri
from kotacerdas.core.permissions import is_national_admin, require
from kotacerdas.core.tabular import TabularError, read_rows
from kotacerdas.regions.models import Region

from . import ingest
from .models import DeadLetter, Device, ServiceGroup

ATTRIBUTE_KEYS = {
    "object_id",
    "name",
    "type",
    "unit_code",
    "unitCode",
    "metadata",
    "min",
    "max",
    "expression",
}


def default_entity_name(entity_type: str, region: str, device_id: str) -> str:
    return f"urn:ngsi-ld:{entity_type}:{region}:{device_id}"


def _text(item: Mapping[str, Any], key: str, default: str | None = None, limit: int = 100) -> str:
    value = item.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(_("%(key)s must be a non-empty text.") % {"key": key})
    if len(value) > limit:
        raise ValidationError(
            _("%(key)s may have at most %(limit)s characters.") % {"key": key, "limit": limit}
        )
    return value.strip()


def _attributes(value: Any, what: str) -> list[dict[str, Any]]:
    if value in (None, ""):
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ValidationError(_("%(what)s must be a list of objects.") % {"what": what})
    for entry in value:
        if not isinstance(entry.get("name"), str) or not entry["name"]:
            raise ValidationError(_("Every entry of %(what)s needs a name.") % {"what": what})
        for bound in ("min", "max"):
            if entry.get(bound) is not None and not isinstance(entry[bound], int | float):
                raise ValidationError(
                    _("%(bound)s of %(name)s must be a number.") % {"bound": bound, "name": entry["name"]}
                )
    return [
        {k: v for k, v in entry.items() if k in ATTRIBUTE_KEYS or what == "static_attributes"}
        for entry in value
    ]


def region_for(user: Any, code: str | None) -> Region:
    """The region a provisioning request is for: the Fiware-Service header (a region code) or the
    officer's own region."""
    code = code or getattr(user, "region_id", None)
    region = Region.objects.filter(code=code).first() if code else None
    if region is None:
        raise ValidationError(_("Name the region with the Fiware-Service header (e.g. 73.22)."))
    require(user, "devices.provision", region)
    return region


# --- service groups -------------------------------------------------------------------------------------


def create_groups(user: Any, region: Region, items: Any) -> list[ServiceGroup]:
    """POST /iot/services: {"services": [{"apikey", "entity_type", "resource", ...}]}."""
    if not isinstance(items, list) or not items:
        raise ValidationError(_('The body must be {"services": [...]} with at least one service group.'))
    groups = [_group(region, item) for item in items]
    _save_all(groups, _("That API key is already in use."))
    return groups


def _save_all(objects: list[Any], taken: str) -> None:
    """Save every object or none (`taken` is the message when a unique key is already used)."""
    try:
        with transaction.atomic():
            for obj in objects:
                obj.save()
    except IntegrityError as exc:
        raise ValidationError(taken) from exc
    ingest.forget()


def _group(region: Region, item: Any, group: ServiceGroup | None = None) -> ServiceGroup:
    if not isinstance(item, dict):
        raise ValidationError(_("Each service group must be a JSON object."))
    group = group or ServiceGroup(region=region)
    if "apikey" in item or group.pk is None:
        group.apikey = _text(item, "apikey", group.apikey, 64)
    group.entity_type = _text(item, "entity_type", group.entity_type)
    group.resource = _text(item, "resource", group.resource)
    protocol = item.get("protocol", group.protocol)
    if protocol not in ServiceGroup.Protocol.values:
        raise ValidationError(_("protocol must be IoTA-UL or IoTA-JSON."))
    group.protocol = protocol
    group.autoprovision = bool(item.get("autoprovision", group.autoprovision))
    group.attributes = _attributes(item.get("attributes", group.attributes), "attributes")
    group.static_attributes = _attributes(
        item.get("static_attributes", group.static_attributes), "static_attributes"
    )
    group.description = str(item.get("description", group.description))[:200]
    return group


def group_json(group: ServiceGroup) -> dict[str, Any]:
    return {
        "apikey": group.apikey,
        "resource": group.resource,
        "entity_type": group.entity_type,
        "protocol": group.protocol,
        "autoprovision": group.autoprovision,
        "attributes": group.attributes,
        "static_attributes": group.static_attributes,
        "service": group.region_id,
        "description": group.description,
    }


def find_group(user: Any, apikey: str) -> ServiceGroup:
    group = ServiceGroup.objects.filter(apikey=apikey).first()
    if group is None:
        raise ServiceGroup.DoesNotExist(_("There is no service group with that API key."))
    require(user, "devices.provision", group.region)
    return group


def update_group(user: Any, apikey: str, item: Any) -> ServiceGroup:
    group = _group(find_group(user, apikey).region, item, find_group(user, apikey))
    group.save()
    ingest.forget()
    return group


def delete_group(user: Any, apikey: str) -> None:
    find_group(user, apikey).delete()
    ingest.forget()


# --- devices --------------------------------------------------------------------------------------------


def _group_for_device(region: Region, item: Mapping[str, Any]) -> ServiceGroup:
    groups = ServiceGroup.objects.filter(region=region)
    if item.get("apikey"):
        groups = groups.filter(apikey=item["apikey"])
    elif item.get("entity_type"):
        groups = groups.filter(entity_type=item["entity_type"]) or groups
    found = list(groups[:2])
    if len(found) != 1:
        raise ValidationError(_("Say which service group the device belongs to with its apikey."))
    return found[0]


def _device(region: Region, item: Any, device: Device | None = None) -> Device:
    if not isinstance(item, dict):
        raise ValidationError(_("Each device must be a JSON object."))
    if device is None:
        group = _group_for_device(region, item)
        device = Device(group=group, device_id=_text(item, "device_id"))
    device.entity_type = _text(item, "entity_type", device.entity_type or device.group.entity_type)
    name = item.get("entity_name") or device.entity_name
    device.entity_name = name or default_entity_name(device.entity_type, str(region.pk), device.device_id)
    if not is_uri(device.entity_name) or len(device.entity_name) > 256:
        raise ValidationError(
            _("entity_name must be a URI such as urn:ngsi-ld:WaterObserved:73.22:masamba-01.")
        )
    device.attributes = _attributes(item.get("attributes", device.attributes), "attributes")
    device.static_attributes = _attributes(
        item.get("static_attributes", device.static_attributes), "static_attributes"
    )
    _position(device, item)
    return device


def _position(device: Device, item: Mapping[str, Any]) -> None:
    for key, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
        if key in item:
            value = item[key]
            if value is not None and (not isinstance(value, int | float) or not low <= value <= high):
                raise ValidationError(
                    _("%(key)s must be a number within [%(low)s, %(high)s].")
                    % {"key": key, "low": low, "high": high}
                )
            setattr(device, key, value)
    if "expected_interval" in item:
        interval = item["expected_interval"]
        if not isinstance(interval, int) or isinstance(interval, bool) or interval < 1:
            raise ValidationError(_("expected_interval must be a positive number of seconds."))
        device.expected_interval = interval


def create_devices(user: Any, region: Region, items: Any) -> list[Device]:
    """POST /iot/devices: {"devices": [{"device_id", "entity_name", "entity_type", "attributes", ...}]}."""
    if not isinstance(items, list) or not items:
        raise ValidationError(_('The body must be {"devices": [...]} with at least one device.'))
    devices = [_device(region, item) for item in items]
    _save_all(devices, _("A device with that id already exists in its service group."))
    return devices


def device_json(device: Device) -> dict[str, Any]:
    return {
        "device_id": device.device_id,
        "service": device.group.region_id,
        "apikey": device.group.apikey,
        "entity_name": device.entity_name,
        "entity_type": device.entity_type,
        "protocol": device.group.protocol,
        "attributes": device.attributes,
        "static_attributes": device.static_attributes,
        "latitude": device.latitude,
        "longitude": device.longitude,
        "expected_interval": device.expected_interval,
        "available": device.available,
        "last_seen": device.last_seen.isoformat() if device.last_seen else None,
    }


def visible_devices(user: Any, region: Region | None) -> QuerySet[Device]:
    devices = Device.objects.select_related("group")
    if region is not None:
        require(user, "devices.provision", region)
        return devices.filter(group__region=region)
    return _provisioned_by(user, devices, "group__region_id")


def _provisioned_by(user: Any, objects: QuerySet[Any], region_field: str) -> QuerySet[Any]:
    """The one rule of what a provisioner sees without naming a region: everything for a national admin
    (also dead letters of unknown keys, which have no region), its own region's for a regional officer."""
    require(user, "devices.provision", None)
    if is_national_admin(user):
        return objects
    return objects.filter(**{region_field: getattr(user, "region_id", None)})


def find_device(user: Any, region: Region | None, device_id: str) -> Device:
    found = list(visible_devices(user, region).filter(device_id=device_id)[:2])
    if len(found) != 1:
        raise Device.DoesNotExist(
            _("There is no device %(id)s (name the region with Fiware-Service).") % {"id": device_id}
        )
    return found[0]


def update_device(user: Any, region: Region | None, device_id: str, item: Any) -> Device:
    device = find_device(user, region, device_id)
    device = _device(device.group.region, item, device)
    device.save()
    ingest.forget()
    return device


def delete_device(user: Any, region: Region | None, device_id: str) -> None:
    find_device(user, region, device_id).delete()
    ingest.forget()


# --- bulk import ----------------------------------------------------------------------------------------

IMPORT_COLUMNS = "device_id, entity_type, entity_name, latitude, longitude, expected_interval, attributes"


def parse_attribute_cell(text: str) -> list[dict[str, Any]]:
    """`l=waterLevel:Number:MTR; t=temperature:Number:CEL` → attribute mapping entries."""
    entries = []
    for part in filter(None, (p.strip() for p in str(text or "").split(";"))):
        object_id, _sep, rest = part.partition("=")
        name, kind, unit = ([*rest.split(":"), "", ""])[:3]
        if not object_id.strip() or not name.strip():
            raise ValidationError(_("%(part)r is not object_id=name:type:unit.") % {"part": part})
        entry = {"object_id": object_id.strip(), "name": name.strip(), "type": kind.strip() or "Number"}
        if unit.strip():
            entry["unit_code"] = unit.strip()
        entries.append(entry)
    return entries


def import_devices(user: Any, group: ServiceGroup, stream: IO[bytes], filename: str) -> list[Device]:
    """Create the devices of a CSV/XLSX file (columns: IMPORT_COLUMNS); nothing is created if a row is
    wrong, and the errors name the rows."""
    require(user, "devices.provision", group.region)
    try:
        rows = read_rows(stream, filename)
    except TabularError as exc:
        raise ValidationError(str(exc)) from exc
    items, errors = [], []
    for number, row in enumerate(rows, start=2):
        try:
            item = _import_item(group, row)
            _device(group.region, item)  # every check of a single device, per row
            items.append(item)
        except ValidationError as exc:
            errors.append(_("Row %(row)s: %(error)s") % {"row": number, "error": "; ".join(exc.messages)})
    if errors:
        raise ValidationError(errors)
    return create_devices(user, group.region, items)


def _import_item(group: ServiceGroup, row: Mapping[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {"apikey": group.apikey, "device_id": str(row.get("device_id") or "").strip()}
    for key in ("entity_type", "entity_name"):
        if row.get(key):
            item[key] = str(row[key]).strip()
    for key in ("latitude", "longitude"):
        if row.get(key) not in (None, ""):
            try:
                item[key] = float(str(row[key]).replace(",", "."))
            except ValueError as exc:
                raise ValidationError(_("%(key)s is not a number.") % {"key": key}) from exc
    if row.get("expected_interval") not in (None, ""):
        item["expected_interval"] = int(float(str(row["expected_interval"])))
    item["attributes"] = parse_attribute_cell(str(row.get("attributes") or ""))
    return item


def visible_dead_letters(user: Any, region: str | None, device_id: str | None) -> QuerySet[DeadLetter]:
    """The one filter of dead letters (API and page): a national admin sees all (also those of unknown
    keys, which have no region); a regional officer its own region's."""
    if region:
        require(user, "devices.provision", region)
        letters = DeadLetter.objects.filter(region_id=region)
    else:
        letters = _provisioned_by(user, DeadLetter.objects.all(), "region_id")
    if device_id:
        letters = letters.filter(device_id=device_id)
    return letters


def visible_groups(user: Any) -> QuerySet[ServiceGroup]:
    """Service groups a user provisions: all for a national admin, its region's for an officer."""
    return _provisioned_by(user, ServiceGroup.objects.all(), "region_id")
