"""/api/alerts: rules (create, list, change, delete); alerts with history and deliveries."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from kotacerdas.core.permissions import require
from kotacerdas.core.schemas import Pages

from . import rules, services
from .conditions import SEVERITIES
from .models import Alert, AlertRule

router = Router(tags=["alerts"])


class RuleIn(Schema):
    name: str
    entity_type: str
    attribute: str = ""
    kind: str = "threshold"
    threshold: float | None = None
    severity: str | int | None = None
    thresholds: dict[str, float] | None = None
    level_attributes: dict[str, str] | None = None
    above: bool = True
    hysteresis: float = 0
    debounce_count: int = 1
    debounce_seconds: int = 0
    window_seconds: int = 3600
    stale_seconds: int = 0
    parts: list[dict[str, Any]] | None = None
    region: str | None = None
    entity_id: str = ""
    category: str = "naturalDisaster"
    sub_category: str = "flood"
    escalate_after_minutes: int | None = None
    channels: list[dict[str, Any]] | None = None
    enabled: bool = True


class RulePatch(Schema):
    name: str | None = None
    threshold: float | None = None
    severity: str | int | None = None
    thresholds: dict[str, float] | None = None
    level_attributes: dict[str, str] | None = None
    hysteresis: float | None = None
    debounce_count: int | None = None
    debounce_seconds: int | None = None
    escalate_after_minutes: int | None = None
    channels: list[dict[str, Any]] | None = None
    enabled: bool | None = None


class RuleOut(Schema):
    id: int
    name: str
    region: str | None
    entity_type: str
    entity_id: str
    attribute: str
    kind: str
    thresholds: dict[str, Any]
    level_attributes: dict[str, Any]
    above: bool
    hysteresis: float
    debounce_count: int
    debounce_seconds: int
    window_seconds: int
    stale_seconds: int
    severity: str
    parts: list[Any]
    escalate_after_minutes: int | None
    channels: list[Any]
    enabled: bool

    @staticmethod
    def resolve_region(obj: AlertRule) -> str | None:
        return obj.region_id

    @staticmethod
    def resolve_severity(obj: AlertRule) -> str:
        return SEVERITIES[obj.severity]


class EventOut(Schema):
    at: datetime
    kind: str
    severity: str
    by: str | None
    note: str

    @staticmethod
    def resolve_severity(obj: Any) -> str:
        return SEVERITIES[obj.severity]

    @staticmethod
    def resolve_by(obj: Any) -> str | None:
        return obj.by.username if obj.by else None


class DeliveryOut(Schema):
    event: str
    channel: str
    target: str
    status: str
    attempts: int
    last_error: str
    sent_at: datetime | None


class AlertOut(Schema):
    id: int
    ngsi_ld_id: str
    rule: str
    region: str | None
    entity_id: str
    severity: str
    status: str
    value: float | None
    raised_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    escalated_at: datetime | None

    @staticmethod
    def resolve_rule(obj: Alert) -> str:
        return obj.rule.name

    @staticmethod
    def resolve_region(obj: Alert) -> str | None:
        return obj.region_id

    @staticmethod
    def resolve_severity(obj: Alert) -> str:
        return SEVERITIES[obj.severity]


class AlertDetail(AlertOut):
    events: list[EventOut]
    deliveries: list[DeliveryOut]

    @staticmethod
    def resolve_events(obj: Alert) -> list[Any]:
        return list(obj.events.select_related("by"))

    @staticmethod
    def resolve_deliveries(obj: Alert) -> list[Any]:
        return list(obj.deliveries.all())


class AlertFilter(Schema):
    state: str | None = None
    region: str | None = None
    severity: str | None = None


class NoteIn(Schema):
    note: str = ""


@router.post("/alerts/rules", response={201: RuleOut})
def create_rule(request: HttpRequest, body: RuleIn) -> Status[AlertRule]:
    """A rule as data, e.g. {"name", "entity_type", "attribute", "kind": "threshold", "threshold": 3.5,
    "severity": "Awas"}; rate, stale, all/any kinds and per-level thresholds add fields."""
    return Status(201, rules.create_rule(request.user, body.dict(exclude_none=True)))


@router.get("/alerts/rules", response=list[RuleOut])
@paginate(Pages)
def list_rules(request: HttpRequest) -> object:
    return rules.visible_rules(request.user)


@router.get("/alerts/rules/{rule_id}", response=RuleOut)
def get_rule(request: HttpRequest, rule_id: int) -> AlertRule:
    return get_object_or_404(rules.visible_rules(request.user), pk=rule_id)


@router.put("/alerts/rules/{rule_id}", response=RuleOut)
def update_rule(request: HttpRequest, rule_id: int, body: RulePatch) -> AlertRule:
    rule = get_object_or_404(rules.visible_rules(request.user), pk=rule_id)
    return rules.update_rule(request.user, rule, body.dict(exclude_none=True))


@router.delete("/alerts/rules/{rule_id}", response={204: None})
def delete_rule(request: HttpRequest, rule_id: int) -> Status[None]:
    rules.delete_rule(request.user, get_object_or_404(rules.visible_rules(request.user), pk=rule_id))
    return Status(204, None)


@router.get("/alerts", response=list[AlertOut])
@paginate(Pages)
def list_alerts(request: HttpRequest, filters: Query[AlertFilter]) -> object:
    """Alerts, newest first; state=raised|acknowledged|resolved|open, region=73.22, severity=Siaga."""
    return services.filtered_alerts(filters.state, filters.region, filters.severity)


@router.get("/alerts/{alert_id}", response=AlertDetail)
def get_alert(request: HttpRequest, alert_id: int) -> Alert:
    """One alert with its history and delivery log."""
    return get_object_or_404(Alert.objects.select_related("rule"), pk=alert_id)


@router.post("/alerts/{alert_id}/acknowledge", response=AlertOut)
def acknowledge(request: HttpRequest, alert_id: int, body: NoteIn) -> Alert:
    alert = get_object_or_404(Alert.objects.select_related("rule"), pk=alert_id)
    require(request.user, "alerts.manage", alert.region_id)
    return services.acknowledge(alert, request.user, body.note)


@router.post("/alerts/{alert_id}/resolve", response=AlertOut)
def resolve(request: HttpRequest, alert_id: int, body: NoteIn) -> Alert:
    alert = get_object_or_404(Alert.objects.select_related("rule"), pk=alert_id)
    require(request.user, "alerts.manage", alert.region_id)
    return services.resolve(alert, request.user, body.note)
