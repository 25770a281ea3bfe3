"""Delivering alert notifications from the outbox (the worker calls `deliver_due`): webhook (JSON POST),
email (SMTP), MQTT publish (QoS 1) and in-app. Failures are retried with exponential back-off and kept in the
delivery log; the stream only writes rows, so a slow receiver never slows ingestion."""

from __future__ import annotations

import json
import logging
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone

from kotacerdas.core import notify
from kotacerdas.core.models import Notification
from kotacerdas.core.outbound import DeliveryError, backoff, post, publish_mqtt

from .models import Delivery

log = logging.getLogger("kotacerdas.alerts")


def deliver_due(limit: int = 200, now: datetime | None = None) -> int:
    """Send pending deliveries whose time has come; returns how many were sent."""
    now = now or timezone.now()
    due = Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now).order_by("pk")
    if connection.vendor == "postgresql":
        due = due.select_for_update(skip_locked=True)
    with transaction.atomic():
        batch = list(due.select_related("alert", "alert__rule")[:limit])
    return sum(_deliver(row) for row in batch)


def _deliver(row: Delivery) -> int:
    try:
        send(row)
    except DeliveryError as exc:
        _failed(row, str(exc))
        return 0
    Delivery.objects.filter(pk=row.pk).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), attempts=row.attempts + 1, last_error=""
    )
    return 1


def _failed(row: Delivery, error: str) -> None:
    attempts = row.attempts + 1
    gave_up = attempts >= settings.ALERT_DELIVERY_MAX_ATTEMPTS
    Delivery.objects.filter(pk=row.pk).update(
        attempts=attempts,
        last_error=error[:2000],
        next_attempt_at=timezone.now() + backoff(attempts),
        status=Delivery.Status.FAILED if gave_up else Delivery.Status.PENDING,
    )
    log.warning("alert delivery failed", extra={"delivery": row.pk, "channel": row.channel, "error": error})


def _title(row: Delivery) -> str:
    data = row.payload
    return f"[{data.get('severity')}] {data.get('rule')}: {data.get('entity')} ({data.get('event')})"


def send(row: Delivery) -> None:
    """Deliver one row on its channel (DeliveryError when it did not go through)."""
    body = json.dumps(row.payload).encode()
    timeout = settings.ALERT_DELIVERY_TIMEOUT
    if row.channel == "webhook":
        post(row.target, body, {"Content-Type": "application/json"}, timeout)
    elif row.channel == "mqtt":
        publish_mqtt(row.target, body, timeout, "kotacerdas/alerts")
    elif row.channel == "email":
        try:
            send_mail(
                _title(row), json.dumps(row.payload, indent=2), settings.DEFAULT_FROM_EMAIL, [row.target]
            )
        except Exception as exc:  # the SMTP server is the outside world
            raise DeliveryError(f"email: {type(exc).__name__}: {exc}") from exc
    elif row.channel == "inapp":
        users = notify.national_admins()
        if row.target != "national" and row.alert.region_id:
            users += notify.officers_of([row.alert.region_id])
        for user in {u.pk: u for u in users if u.is_active}.values():
            Notification.objects.create(
                user=user, kind="alert", title=_title(row)[:200], url=f"/operations/alerts/{row.alert_id}/"
            )
    else:
        raise DeliveryError(f"unknown channel {row.channel!r}")
