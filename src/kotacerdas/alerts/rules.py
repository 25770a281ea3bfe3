"""Alert rules as data: create, change, delete, with the definition checked by the pure evaluator before it
is stored (a rule that cannot be evaluated is refused with the reason)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kotacerdas.core.permissions import is_national_staff, require

from .conditions import SpecError
from .definitions import RULE_FIELDS, level_of, spec_from
from .models import AlertRule

FIELDS = (
    "name",
    "entity_type",
    "entity_id",
    *(name for name in RULE_FIELDS if name != "severity"),
    "category",
    "sub_category",
    "escalate_after_minutes",
    "channels",
    "enabled",
)
CHANNEL_KINDS = ("webhook", "email", "mqtt", "inapp")


def check_definition(data: Mapping[str, Any]) -> None:
    """Refuse a definition the evaluator cannot use (level attributes are given sample values)."""
    level_attributes = data.get("level_attributes") or {}
    above = data.get("above", True)
    try:
        samples = {
            attribute: float(level_of(name)) * (1 if above else -1)
            for name, attribute in level_attributes.items()
        }
        if data.get("severity") is not None:
            level_of(data["severity"])
        if data.get("kind", "threshold") in ("threshold", "rate") and not (
            data.get("thresholds") or data.get("threshold") is not None or level_attributes
        ):
            raise SpecError("give threshold (with severity), thresholds or level_attributes")
        spec_from(data, samples)
    except (SpecError, AttributeError) as exc:
        raise ValidationError(str(exc)) from exc
    if data.get("kind", "threshold") in ("threshold", "rate", "stale") and not data.get("attribute"):
        raise ValidationError(_("Name the attribute the rule watches."))
    check_channels(data.get("channels") or [])


def check_channels(channels: Any) -> None:
    if not isinstance(channels, list):
        raise ValidationError(_("channels must be a list."))
    for channel in channels:
        if not isinstance(channel, dict) or channel.get("kind") not in CHANNEL_KINDS:
            raise ValidationError(_("Each channel needs a kind: webhook, email, mqtt or inapp."))
        url = str(channel.get("url") or "")
        if channel["kind"] == "webhook" and not url.startswith(("http://", "https://")):
            raise ValidationError(_("A webhook channel needs an http(s) url."))
        if channel["kind"] == "mqtt" and not url.startswith("mqtt://"):
            raise ValidationError(_("An MQTT channel needs an mqtt:// url."))
        if channel["kind"] == "email" and not channel.get("to"):
            raise ValidationError(_("An email channel needs to (one address or a list)."))
        try:
            level_of(channel.get("min_severity", 1))
        except SpecError as exc:
            raise ValidationError(str(exc)) from exc


def _normalised(data: Mapping[str, Any]) -> dict[str, Any]:
    """Fold the short form (threshold + severity) into thresholds; severity names into numbers."""
    values = {k: v for k, v in data.items() if v is not None}
    if values.get("threshold") is not None:
        name = values.get("severity", "Waspada")
        values["thresholds"] = {**(values.get("thresholds") or {}), str(name): values["threshold"]}
    values.pop("threshold", None)
    if "severity" in values:
        values["severity"] = level_of(values["severity"])
    return values


def create_rule(user: Any, data: Mapping[str, Any]) -> AlertRule:
    region = data.get("region") or None
    require(user, "alerts.manage", region)
    check_definition(data)
    values = _normalised(data)
    rule = AlertRule(region_id=region, created_by=user if user.is_authenticated else None)
    for name in (*FIELDS, "severity"):
        if name in values:
            setattr(rule, name, values[name])
    rule.full_clean(exclude=["created_by", "region"])
    rule.save()
    return rule


def update_rule(user: Any, rule: AlertRule, data: Mapping[str, Any]) -> AlertRule:
    require(user, "alerts.manage", rule.region_id)
    merged = {**{name: getattr(rule, name) for name in FIELDS}, "severity": rule.severity, **data}
    check_definition(merged)
    for name, value in _normalised(data).items():
        if name in (*FIELDS, "severity"):
            setattr(rule, name, value)
    rule.full_clean(exclude=["created_by", "region"])
    rule.save()
    return rule


def delete_rule(user: Any, rule: AlertRule) -> None:
    require(user, "alerts.manage", rule.region_id)
    rule.delete()


def visible_rules(user: Any) -> QuerySet[AlertRule]:
    """Rules a user may see: national staff all; an officer its region's and the national ones."""
    rules = AlertRule.objects.select_related("region")
    if is_national_staff(user):
        return rules
    region = getattr(user, "region_id", None)
    return rules.filter(Q(region_id=region) | Q(region=None)) if region else rules.none()
