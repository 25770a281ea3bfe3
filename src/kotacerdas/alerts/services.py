"""The alert lifecycle: raised → acknowledged → resolved (automatically when the condition clears, or by
hand), escalation when unacknowledged, de-duplication (one open alert per rule and entity), history
events, notification deliveries queued in the outbox, and the NGSI-LD `Alert` entity of every alert."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.context import jsonld, store
from kotacerdas.context import services as context
from kotacerdas.context.models import Tenant
from kotacerdas.context.store import iso

from .conditions import SEVERITIES
from .models import Alert, AlertEvent, AlertRule, Delivery

log = logging.getLogger("kotacerdas.alerts")
OPEN = (Alert.Status.RAISED, Alert.Status.ACKNOWLEDGED)
CHANNELS = ("webhook", "email", "mqtt", "inapp")


def open_alert(rule: AlertRule, entity_id: str) -> Alert | None:
    alert = Alert.objects.filter(rule=rule, entity_id=entity_id, status__in=OPEN).first()
    if alert is not None:
        alert.rule = rule  # the caller's rule: its channels and name without another query
    return alert


def transition(
    rule: AlertRule,
    tenant: Tenant,
    entity_id: str,
    level: int,
    value: float | None,
    now: datetime,
    source: Mapping[str, Any] | None = None,
) -> Alert | None:
    """Apply a rule's new level to the entity's alert: raise, change severity, or resolve. `source` is the
    entity's stored form when the caller has it (its location goes on the NGSI-LD Alert)."""
    alert = open_alert(rule, entity_id)
    if level > 0 and alert is None:
        alert = Alert.objects.create(
            rule=rule,
            region_id=tenant.region_id,
            tenant=tenant.name,
            entity_id=entity_id,
            severity=level,
            value=value,
            raised_at=now,
            updated_at=now,
        )
        _record(alert, "raised", now, source=source)
    elif alert is not None and level > 0 and level != alert.severity:
        rising = level > alert.severity
        alert.severity, alert.value, alert.updated_at = level, value, now
        alert.save(update_fields=["severity", "value", "updated_at"])
        _record(alert, "severity_raised" if rising else "severity_lowered", now, notify=rising, source=source)
    elif alert is not None and level == 0:
        _close(alert, now, None, _("The condition cleared."), value, source)
    return alert


def _close(
    alert: Alert,
    now: datetime,
    user: Any,
    note: str,
    value: float | None = None,
    source: Mapping[str, Any] | None = None,
) -> None:
    alert.status, alert.resolved_at, alert.resolved_by, alert.updated_at = (
        Alert.Status.RESOLVED,
        now,
        user,
        now,
    )
    if value is not None:
        alert.value = value
    alert.save(update_fields=["status", "resolved_at", "resolved_by", "updated_at", "value"])
    _record(alert, "resolved", now, by=user, note=note, source=source)


def _record(
    alert: Alert,
    kind: str,
    now: datetime,
    by: Any = None,
    note: str = "",
    notify: bool = True,
    source: Mapping[str, Any] | None = None,
) -> None:
    AlertEvent.objects.create(alert=alert, at=now, kind=kind, severity=alert.severity, by=by, note=note)
    if notify:
        queue_deliveries(alert, kind, now)
    publish_entity(alert, source)
    log.info(
        "alert %s", kind, extra={"alert": alert.pk, "entity": alert.entity_id, "severity": alert.severity}
    )


def acknowledge(alert: Alert, user: Any, note: str = "") -> Alert:
    """Someone has seen the alert and acts on it."""
    if alert.status != Alert.Status.RAISED:
        raise ValidationError(_("Only a raised alert can be acknowledged."))
    now = timezone.now()
    with transaction.atomic():
        alert.status, alert.acknowledged_at, alert.acknowledged_by, alert.updated_at = (
            Alert.Status.ACKNOWLEDGED,
            now,
            user,
            now,
        )
        alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "updated_at"])
        _record(alert, "acknowledged", now, by=user, note=note, notify=False)
    return alert


def resolve(alert: Alert, user: Any, note: str = "") -> Alert:
    """Close the alert by hand."""
    if alert.status == Alert.Status.RESOLVED:
        raise ValidationError(_("The alert is already resolved."))
    with transaction.atomic():
        _close(alert, timezone.now(), user, note)
    return alert


def escalate_due(now: datetime | None = None) -> int:
    """Raised alerts left unacknowledged longer than their rule allows are escalated (once)."""
    now = now or timezone.now()
    count = 0
    waiting = Alert.objects.filter(
        status=Alert.Status.RAISED, escalated_at=None, rule__escalate_after_minutes__isnull=False
    ).select_related("rule")
    for alert in waiting:
        if alert.raised_at + timedelta(minutes=alert.rule.escalate_after_minutes or 0) > now:
            continue
        with transaction.atomic():
            alert.escalated_at = now
            alert.save(update_fields=["escalated_at"])
            _record(alert, "escalated", now)
        count += 1
    return count


# --- deliveries ----------------------------------------------------------------------------------------


def payload(alert: Alert, event: str) -> dict[str, Any]:
    """The JSON document every channel sends."""
    return {
        "alert": alert.pk,
        "id": alert.ngsi_ld_id,
        "event": event,
        "rule": alert.rule.name,
        "entity": alert.entity_id,
        "region": alert.region_id,
        "severity": SEVERITIES[alert.severity],
        "status": alert.status,
        "value": alert.value,
        "raisedAt": iso(alert.raised_at),
        "escalated": alert.escalated_at is not None,
    }


def queue_deliveries(alert: Alert, event: str, now: datetime) -> list[Delivery]:
    """Outbox rows for every channel of the rule whose minimum severity the alert reaches; an escalation
    also goes in-app to the national admins."""
    rows = []
    body = payload(alert, event)
    for channel in alert.rule.channels:
        if not isinstance(channel, Mapping) or channel.get("kind") not in CHANNELS:
            continue
        if alert.severity < _minimum(channel):
            continue
        for target in _targets(channel):
            rows.append(
                Delivery(alert=alert, event=event, channel=channel["kind"], target=target, payload=body)
            )
    if event == "escalated":
        rows.append(Delivery(alert=alert, event=event, channel="inapp", target="national", payload=body))
    for row in rows:
        row.next_attempt_at = now
    return Delivery.objects.bulk_create(rows)


def _minimum(channel: Mapping[str, Any]) -> int:
    from .definitions import level_of

    return level_of(channel.get("min_severity", 1))


def _targets(channel: Mapping[str, Any]) -> list[str]:
    if channel["kind"] == "email":
        to = channel.get("to") or []
        return [str(t) for t in (to if isinstance(to, list) else [to])]
    if channel["kind"] == "inapp":
        return [str(channel.get("to") or "region")]
    return [str(channel.get("url") or "")]


# --- the NGSI-LD Alert entity ----------------------------------------------------------------------------


def alert_entity(alert: Alert, location: Any = None) -> dict[str, Any]:
    """The Smart Data Models Alert of an alert (compact, with the Smart Data Models context)."""
    rule = alert.rule
    entity: dict[str, Any] = {
        "id": alert.ngsi_ld_id,
        "type": "Alert",
        "category": {"type": "Property", "value": rule.category},
        "subCategory": {"type": "Property", "value": rule.sub_category},
        "severity": {"type": "Property", "value": SEVERITIES[alert.severity]},
        "alertSource": {"type": "Relationship", "object": alert.entity_id},
        "dateIssued": {"type": "Property", "value": {"@type": "DateTime", "@value": iso(alert.raised_at)}},
        "validFrom": {"type": "Property", "value": {"@type": "DateTime", "@value": iso(alert.raised_at)}},
        "description": {"type": "Property", "value": rule.name},
        "data": {"type": "JsonProperty", "json": {"status": alert.status, "value": alert.value}},
    }
    if alert.resolved_at:
        entity["validTo"] = {
            "type": "Property",
            "value": {"@type": "DateTime", "@value": iso(alert.resolved_at)},
        }
    if location is not None:
        entity["location"] = {"type": "GeoProperty", "value": location}
    return entity


def publish_entity(alert: Alert, source: Mapping[str, Any] | None = None) -> None:
    """Create or replace the alert's NGSI-LD entity in its tenant, located where its source entity is
    (`source`: that entity's stored form, when the caller has it; otherwise it is loaded)."""
    tenant = context.tenant_for_write(alert.tenant)
    terms = jsonld.term_map((jsonld.SDM_CONTEXT_URL,))
    if source is None:
        loaded = store.load(tenant, [alert.entity_id]).get(alert.entity_id)
        source = store.stored_form(loaded) if loaded is not None else None
    found = (source or {}).get("attrs", {}).get(terms.expand("location"))
    location = found.get("value") if isinstance(found, dict) else None
    result = context.batch_write(tenant, [alert_entity(alert, location)], lambda _: terms, "upsert-replace")
    for entity_id, error in result.errors:
        log.error("alert entity not written", extra={"entity": entity_id, "error": error.detail})


def filtered_alerts(state: str | None, region: str | None, severity: str | None) -> QuerySet[Alert]:
    """The one filter of alerts, shared by the API and the operations page."""
    from .definitions import level_of

    alerts = Alert.objects.select_related("rule", "region")
    if state == "open":
        alerts = alerts.filter(status__in=OPEN)
    elif state:
        if state not in Alert.Status.values:
            raise ValidationError(_("state must be raised, acknowledged, resolved or open."))
        alerts = alerts.filter(status=state)
    if region:
        alerts = alerts.filter(region_id=region)
    if severity:
        try:
            alerts = alerts.filter(severity=level_of(severity))
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
    return alerts
