"""NGSI-LD subscriptions: validation, matching of changes, the durable outbox, and delivery.

A change that matches a subscription writes a Notification row in the same database transaction as the
change itself (`enqueue_for`), so a crash cannot lose it. The worker (`deliver_due`) sends pending rows to
http(s):// or mqtt:// endpoints and marks them delivered only after the receiver accepted them; failures are
retried with exponential back-off (1 s, 2 s, 4 s ... capped at one hour) up to
KOTACERDAS_NGSI_LD_NOTIFY_MAX_ATTEMPTS, and each subscription keeps its status and last error.
Delivery is at-least-once: a receiver may see a notification twice after a crash, never zero times.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.parse
import urllib.request
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from kotacerdas.core.outbound import DeliveryError, backoff, post, publish_mqtt

from . import jsonld
from . import query as ql
from .entities import is_datetime, is_uri
from .errors import NgsiError, bad_data
from .geo import GeoError, parse_geoquery
from .jsonld import TermMap
from .models import Notification, Subscription, Tenant
from .representation import RenderOptions, instances, render
from .selection import run_query
from .store import Change, EntityQuery, add_filters, iso, matches, parse_time

log = logging.getLogger(__name__)
TRIGGERS = (
    "entityCreated",
    "entityUpdated",
    "entityDeleted",
    "attributeCreated",
    "attributeUpdated",
    "attributeDeleted",
)
DEFAULT_TRIGGERS = ("attributeCreated", "attributeUpdated")
FORMATS = ("normalized", "keyValues", "concise")
MEMBERS = {
    "id",
    "type",
    "subscriptionName",
    "description",
    "entities",
    "watchedAttributes",
    "notificationTrigger",
    "timeInterval",
    "q",
    "geoQ",
    "csf",
    "isActive",
    "notification",
    "expiresAt",
    "throttling",
    "lang",
    "jsonldContext",
    "@context",
    "scopeQ",
    "status",
}


# --- validation -----------------------------------------------------------------------------------------


def _ensure(condition: bool, detail: str) -> None:
    if not condition:
        raise bad_data(detail)


def validate(body: Any, partial: bool = False) -> None:
    """BadRequestData unless `body` is a valid subscription (or a valid fragment of one when partial)."""
    _ensure(isinstance(body, dict), "a subscription is a JSON object")
    unknown = set(body) - MEMBERS
    _ensure(not unknown, f"unknown subscription members: {', '.join(sorted(unknown))}")
    if not partial:
        _ensure(body.get("type", "Subscription") == "Subscription", "type must be Subscription")
        _ensure("notification" in body, "a subscription needs a notification member")
        _ensure(
            bool(body.get("entities") or body.get("watchedAttributes")),
            "a subscription needs entities or watchedAttributes",
        )
    if "id" in body:
        _ensure(is_uri(body["id"]), "the subscription id must be a URI")
    _validate_entities(body.get("entities"))
    for name in ("watchedAttributes",):
        if name in body:
            _ensure(
                isinstance(body[name], list) and body[name] and all(isinstance(a, str) for a in body[name]),
                f"{name} must be a non-empty array of attribute names",
            )
    if "notificationTrigger" in body:
        triggers = body["notificationTrigger"]
        _ensure(
            isinstance(triggers, list) and triggers and all(t in TRIGGERS for t in triggers),
            f"notificationTrigger must be a list of {', '.join(TRIGGERS)}",
        )
    for name in ("timeInterval", "throttling"):
        if name in body:
            value = body[name]
            _ensure(
                isinstance(value, int | float) and not isinstance(value, bool) and value > 0,
                f"{name} must be a positive number of seconds",
            )
    _ensure(
        not ("timeInterval" in body and "watchedAttributes" in body),
        "timeInterval excludes watchedAttributes",
    )
    if "expiresAt" in body:
        _ensure(is_datetime(body["expiresAt"]), "expiresAt must be a date-time with a time zone")
    if "isActive" in body:
        _ensure(isinstance(body["isActive"], bool), "isActive must be true or false")
    if "q" in body:
        try:
            ql.parse(body["q"])
        except (ql.QueryError, TypeError) as exc:
            raise bad_data(f"invalid q: {exc}") from exc
    if "geoQ" in body:
        geo = body["geoQ"]
        _ensure(isinstance(geo, dict), "geoQ must be an object")
        try:
            parse_geoquery(
                geo.get("georel"), geo.get("geometry"), geo.get("coordinates"), geo.get("geoproperty")
            )
        except GeoError as exc:
            raise bad_data(f"invalid geoQ: {exc}") from exc
    if "notification" in body:
        _validate_notification(body["notification"])


def _validate_entities(entities: Any) -> None:
    if entities is None:
        return
    _ensure(isinstance(entities, list) and entities, "entities must be a non-empty array")
    for selector in entities:
        _ensure(
            isinstance(selector, dict) and isinstance(selector.get("type"), str),
            "each entities item needs a type",
        )
        if "id" in selector:
            _ensure(is_uri(selector["id"]), "entities[].id must be a URI")
        if "idPattern" in selector:
            try:
                re.compile(selector["idPattern"])
            except (re.error, TypeError) as exc:
                raise bad_data(f"entities[].idPattern is not a regular expression: {exc}") from exc


def _validate_notification(notification: Any) -> None:
    _ensure(isinstance(notification, dict), "notification must be an object")
    endpoint = notification.get("endpoint")
    _ensure(
        isinstance(endpoint, dict) and isinstance(endpoint.get("uri"), str),
        "notification.endpoint.uri is required",
    )
    scheme = urllib.parse.urlsplit(endpoint["uri"]).scheme
    _ensure(
        scheme in ("http", "https", "mqtt"), "notification.endpoint.uri must be http://, https:// or mqtt://"
    )
    accept = endpoint.get("accept", "application/json")
    _ensure(
        accept in ("application/json", "application/ld+json", "application/geo+json"),
        "unsupported endpoint.accept",
    )
    if "format" in notification:
        _ensure(notification["format"] in FORMATS, f"notification.format must be one of {', '.join(FORMATS)}")
    if "attributes" in notification:
        _ensure(
            isinstance(notification["attributes"], list)
            and all(isinstance(a, str) for a in notification["attributes"]),
            "notification.attributes must be an array of names",
        )
    for flag in ("showChanges", "sysAttrs"):
        if flag in notification:
            _ensure(isinstance(notification[flag], bool), f"notification.{flag} must be true or false")


# --- CRUD ------------------------------------------------------------------------------------------------


def _apply(subscription: Subscription, body: Mapping[str, Any], terms: TermMap) -> None:
    subscription.body = dict(body)
    subscription.entity_types = sorted({terms.expand(e["type"]) for e in body.get("entities", [])})
    subscription.watched = sorted({terms.expand(a) for a in body.get("watchedAttributes", [])})
    subscription.is_active = body.get("isActive", True)
    subscription.expires_at = parse_time(body["expiresAt"]) if "expiresAt" in body else None
    subscription.throttling = float(body.get("throttling", 0))
    subscription.time_interval = float(body.get("timeInterval", 0))
    if subscription.time_interval and subscription.next_interval_at is None:
        subscription.next_interval_at = timezone.now()


def create(tenant: Tenant, body: Any, context: jsonld.ContextKey, owner: Any) -> Subscription:
    validate(body)
    terms = jsonld.term_map(context)
    subscription_id = body.get("id") or f"urn:ngsi-ld:Subscription:{uuid.uuid4()}"
    if Subscription.objects.filter(tenant=tenant, subscription_id=subscription_id).exists():
        raise NgsiError("AlreadyExists", f"the subscription {subscription_id} already exists")
    subscription = Subscription(
        tenant=tenant,
        subscription_id=subscription_id,
        context_key=list(context),
        owner=owner if getattr(owner, "is_authenticated", False) else None,
    )
    _apply(subscription, {**body, "id": subscription_id}, terms)
    subscription.save()
    return subscription


def get(tenant: Tenant, subscription_id: str) -> Subscription:
    found = Subscription.objects.filter(tenant=tenant, subscription_id=subscription_id).first()
    if found is None:
        raise NgsiError("ResourceNotFound", f"there is no subscription {subscription_id}")
    return found


def update(tenant: Tenant, subscription_id: str, fragment: Any) -> Subscription:
    validate(fragment, partial=True)
    subscription = get(tenant, subscription_id)
    body = {**subscription.body, **{k: v for k, v in fragment.items() if k not in ("id", "@context")}}
    validate(body)
    _apply(subscription, body, jsonld.term_map(tuple(subscription.context_key)))
    subscription.save()
    return subscription


def status(subscription: Subscription) -> str:
    if subscription.expires_at and subscription.expires_at <= timezone.now():
        return "expired"
    return "active" if subscription.is_active else "paused"


def represent(subscription: Subscription, sys_attrs: bool = False) -> dict[str, Any]:
    """The subscription as GET returns it, with its delivery status."""
    body = {k: v for k, v in subscription.body.items() if k != "@context"}
    body.update({"type": "Subscription", "status": status(subscription), "isActive": subscription.is_active})
    notification = dict(body.get("notification", {}))
    notification.update(
        {
            "timesSent": subscription.times_sent,
            "timesFailed": subscription.times_failed,
            "status": "failed"
            if subscription.last_failure
            and (not subscription.last_success or subscription.last_failure > subscription.last_success)
            else "ok",
        }
    )
    for name in ("last_notification", "last_success", "last_failure"):
        value = getattr(subscription, name)
        if value:
            notification[re.sub(r"_(\w)", lambda m: m.group(1).upper(), name)] = iso(value)
    if subscription.last_error:
        notification["lastErrorReason"] = subscription.last_error
    body["notification"] = notification
    if sys_attrs:
        body["createdAt"] = iso(subscription.created_at)
        body["modifiedAt"] = iso(subscription.modified_at)
    return body


# --- matching --------------------------------------------------------------------------------------------


def _selects(subscription: Subscription, stored: Mapping[str, Any], terms: TermMap) -> bool:
    selectors = subscription.body.get("entities")
    if not selectors:
        return True
    for selector in selectors:
        if terms.expand(selector["type"]) not in stored["type"]:
            continue
        if "id" in selector and selector["id"] != stored["id"]:
            continue
        if "idPattern" in selector and not re.search(selector["idPattern"], stored["id"]):
            continue
        return True
    return False


def _query_of(subscription: Subscription, terms: TermMap) -> EntityQuery:
    return add_filters(EntityQuery(), terms, subscription.body.get("q"), subscription.body.get("geoQ"))


def _triggers(change: Change, trigger: str) -> set[str]:
    if trigger == "entityDeleted":
        return {"entityDeleted"}
    if trigger == "attributeDeleted":
        return {"attributeDeleted", "entityUpdated"}
    old_names = set(change.old["attrs"]) if change.old else set()
    fired = {trigger}
    for name in change.changed:
        fired.add("attributeUpdated" if name in old_names else "attributeCreated")
    if change.deleted_attrs:
        fired.add("attributeDeleted")
    return fired


def _fires(subscription: Subscription, change: Change, trigger: str, now: datetime) -> bool:
    if not subscription.is_active or subscription.time_interval:
        return False
    if subscription.expires_at and subscription.expires_at <= now:
        return False
    wanted = set(subscription.body.get("notificationTrigger", DEFAULT_TRIGGERS))
    if not wanted & _triggers(change, trigger):
        return False
    state = change.stored or change.old
    if state is None:
        return False
    terms = jsonld.term_map(tuple(subscription.context_key))
    if not _selects(subscription, state, terms):
        return False
    touched = set(change.changed) | set(change.deleted_attrs)
    if subscription.watched and change.stored is not None and not touched & set(subscription.watched):
        return False
    if change.stored is not None and not matches(change.stored, _query_of(subscription, terms)):
        return False
    return not (
        subscription.throttling
        and subscription.last_notification
        and now - subscription.last_notification < timedelta(seconds=subscription.throttling)
    )


def enqueue_for(tenant: Tenant, changes: Sequence[Change], trigger: str) -> int:
    """Write outbox rows for every subscription a change fires (call inside the change's transaction)."""
    with connection.cursor() as cursor:  # the common case, no subscription: one cheap probe
        cursor.execute(
            "SELECT 1 FROM context_subscription "
            "WHERE tenant_id = %s AND is_active AND time_interval = 0 LIMIT 1",
            [tenant.pk],
        )
        if cursor.fetchone() is None:
            return 0
    subscriptions = list(Subscription.objects.filter(tenant=tenant, is_active=True, time_interval=0))
    now = timezone.now()
    rows = []
    for subscription in subscriptions:
        for change in changes:
            if _fires(subscription, change, trigger, now):
                rows.append(_notification(subscription, [_data(subscription, change)], now))
                subscription.last_notification = now
    Notification.objects.bulk_create(rows)
    for subscription in {r.subscription for r in rows}:
        Subscription.objects.filter(pk=subscription.pk).update(last_notification=now)
    return len(rows)


def _data(subscription: Subscription, change: Change) -> dict[str, Any]:
    notification = subscription.body["notification"]
    terms = jsonld.term_map(tuple(subscription.context_key))
    state = change.stored or {**(change.old or {}), "attrs": {}}
    names = notification.get("attributes")
    options = RenderOptions(
        key_values=notification.get("format") == "keyValues",
        sys_attrs=bool(notification.get("sysAttrs")),
        attrs=frozenset(terms.expand(n) for n in names) if names else None,
    )
    if notification.get("showChanges") and change.old and change.stored:
        state = _with_previous(change.stored, change.old)
    body = render(state, terms, options)
    if change.stored is None:
        body["deletedAt"] = iso(timezone.now())
    return body


def _with_previous(new: Mapping[str, Any], old: Mapping[str, Any]) -> dict[str, Any]:
    attrs = {}
    for name, attribute in new["attrs"].items():
        before = {i.get("datasetId"): i for i in instances(old["attrs"].get(name, []))}
        shown = []
        for instance in instances(attribute):
            previous = before.get(instance.get("datasetId"))
            if (
                previous is not None
                and "value" in previous
                and previous.get("value") != instance.get("value")
            ):
                instance = {**instance, "previousValue": previous["value"]}
            elif (
                previous is not None
                and "object" in previous
                and previous.get("object") != instance.get("object")
            ):
                instance = {**instance, "previousObject": previous["object"]}
            shown.append(instance)
        attrs[name] = shown if isinstance(attribute, list) else shown[0]
    return {**new, "attrs": attrs}


def _notification(subscription: Subscription, data: list[dict[str, Any]], now: datetime) -> Notification:
    notification_id = f"urn:ngsi-ld:Notification:{uuid.uuid4()}"
    payload = {
        "id": notification_id,
        "type": "Notification",
        "subscriptionId": subscription.subscription_id,
        "notifiedAt": iso(now),
        "data": data,
    }
    return Notification(
        subscription=subscription, notification_id=notification_id, payload=payload, next_attempt=now
    )


def enqueue_intervals(now: datetime | None = None) -> int:
    """Periodic (timeInterval) subscriptions that are due get a notification with the current entities."""
    now = now or timezone.now()
    due = Subscription.objects.filter(is_active=True, time_interval__gt=0, next_interval_at__lte=now)
    made = 0
    for subscription in due.select_related("tenant"):
        if subscription.expires_at and subscription.expires_at <= now:
            continue
        terms = jsonld.term_map(tuple(subscription.context_key))
        spec = _query_of(subscription, terms)
        spec.types = subscription.entity_types
        spec.limit = settings.NGSI_LD_MAX_LIMIT
        found, _ = run_query(subscription.tenant, spec)
        data = [_data(subscription, Change(s)) for s in found if _selects(subscription, s, terms)]
        with transaction.atomic():
            _notification(subscription, data, now).save()
            subscription.last_notification = now
            subscription.next_interval_at = now + timedelta(seconds=subscription.time_interval)
            subscription.save(update_fields=["last_notification", "next_interval_at"])
        made += 1
    return made


# --- delivery --------------------------------------------------------------------------------------------


def _headers_and_body(subscription: Subscription, payload: Mapping[str, Any]) -> tuple[dict[str, str], bytes]:
    endpoint = subscription.body["notification"]["endpoint"]
    accept = endpoint.get("accept", "application/json")
    context = list(subscription.context_key) or [jsonld.CORE_CONTEXT_URL]
    headers = {"Content-Type": accept if accept != "application/geo+json" else "application/json"}
    body = dict(payload)
    if accept == "application/ld+json":
        body["@context"] = context if len(context) > 1 else context[0]
    else:
        url = context[0] if context and not context[0].startswith("{") else jsonld.CORE_CONTEXT_URL
        headers["Link"] = jsonld.link_header(url)
    for item in endpoint.get("receiverInfo", []) or []:
        if isinstance(item, dict) and "key" in item and "value" in item:
            headers[str(item["key"])] = str(item["value"])
    headers["NGSILD-Tenant"] = subscription.tenant.name
    return headers, json.dumps(body).encode()


def send(subscription: Subscription, payload: Mapping[str, Any]) -> None:
    """Deliver one notification (DeliveryError when the endpoint does not accept it)."""
    uri = subscription.body["notification"]["endpoint"]["uri"]
    headers, body = _headers_and_body(subscription, payload)
    if uri.startswith("mqtt://"):
        message = json.dumps({"metadata": dict(headers), "body": json.loads(body)}).encode()
        publish_mqtt(uri, message, settings.NGSI_LD_NOTIFY_TIMEOUT, "ngsi-ld/notifications")
        return
    post(uri, body, headers, settings.NGSI_LD_NOTIFY_TIMEOUT)


def deliver_due(limit: int = 200, now: datetime | None = None) -> int:
    """Send pending notifications whose time has come; returns how many were delivered."""
    now = now or timezone.now()
    due = Notification.objects.filter(status=Notification.Status.PENDING, next_attempt__lte=now).order_by(
        "pk"
    )
    if connection.vendor == "postgresql":
        due = due.select_for_update(skip_locked=True)
    delivered = 0
    with transaction.atomic():
        batch = list(due.select_related("subscription", "subscription__tenant")[:limit])
    for notification in batch:
        delivered += _deliver_one(notification)
    return delivered


def _deliver_one(notification: Notification) -> int:
    subscription = notification.subscription
    try:
        send(subscription, notification.payload)
    except DeliveryError as exc:
        _failed(notification, str(exc))
        return 0
    now = timezone.now()
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.DELIVERED, delivered=now, attempts=notification.attempts + 1, last_error=""
    )
    Subscription.objects.filter(pk=subscription.pk).update(last_success=now, times_sent=F("times_sent") + 1)
    return 1


def _failed(notification: Notification, error: str) -> None:
    now = timezone.now()
    attempts = notification.attempts + 1
    gave_up = attempts >= settings.NGSI_LD_NOTIFY_MAX_ATTEMPTS
    Notification.objects.filter(pk=notification.pk).update(
        attempts=attempts,
        last_error=error[:2000],
        next_attempt=now + backoff(attempts),
        status=Notification.Status.FAILED if gave_up else Notification.Status.PENDING,
    )
    subscription = notification.subscription
    Subscription.objects.filter(pk=subscription.pk).update(
        last_failure=now, last_error=error[:2000], times_failed=F("times_failed") + 1
    )
    log.warning(
        "notification %s to %s failed (%s)", notification.notification_id, subscription.subscription_id, error
    )
