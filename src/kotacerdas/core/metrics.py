"""Prometheus metrics (GET /metrics): requests, ingestion, dead letters, the outbox and alerts.

Counters of this process (requests, readings ingested) live in prometheus_client's registry; with several
worker processes set PROMETHEUS_MULTIPROC_DIR and every process writes there (docs/operations.md). Figures
that belong to the whole installation (dead letters, the outbox's backlog and lag, open alerts) are read from
the database when the metrics are scraped, so every process answers the same.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

REQUESTS = Counter(
    "kotacerdas_http_requests",
    "HTTP requests answered, by method, route pattern and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "kotacerdas_http_request_duration_seconds",
    "Time to answer a request, by method and route pattern",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
INGESTED = Counter("kotacerdas_ingest_readings", "Device readings stored, by transport", ["transport"])
MESSAGES = Counter("kotacerdas_ingest_messages", "Device messages received, by transport", ["transport"])
DEAD_LETTERED = Counter(
    "kotacerdas_ingest_dead_lettered",
    "Device messages sent to the dead-letter table, by transport",
    ["transport"],
)


def route_of(request: HttpRequest) -> str:
    """The URL pattern that answered (bounded label values), or "unmatched"."""
    match = getattr(request, "resolver_match", None)
    return match.route if match and match.route else "unmatched"


class MetricsMiddleware:
    """Count every request and time it, labelled by the route pattern (not the path: no id in labels)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        route = route_of(request)
        LATENCY.labels(request.method, route).observe(time.perf_counter() - started)
        REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        return response


def count_ingest(transport: str, messages: int, stored: int, dead: int) -> None:
    """Record one ingested batch (called by devices.ingest after its transaction)."""
    MESSAGES.labels(transport).inc(messages)
    INGESTED.labels(transport).inc(stored)
    DEAD_LETTERED.labels(transport).inc(dead)


class PlatformCollector(Collector):
    """Installation-wide gauges read from the database at scrape time."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from kotacerdas.alerts.models import Alert, Delivery
        from kotacerdas.context.models import Notification
        from kotacerdas.devices.models import DeadLetter

        now = timezone.now()
        yield GaugeMetricFamily(
            "kotacerdas_dead_letters",
            "Device messages kept in the dead-letter table",
            value=DeadLetter.objects.count(),
        )
        pending = Notification.objects.filter(status=Notification.Status.PENDING).aggregate(
            n=Count("pk"), oldest=Min("created")
        )
        yield GaugeMetricFamily(
            "kotacerdas_outbox_pending", "NGSI-LD notifications waiting for delivery", value=pending["n"]
        )
        lag = (now - pending["oldest"]).total_seconds() if pending["oldest"] else 0.0
        yield GaugeMetricFamily(
            "kotacerdas_outbox_lag_seconds", "Age of the oldest undelivered NGSI-LD notification", value=lag
        )
        failed = Notification.objects.filter(status=Notification.Status.FAILED).count()
        yield GaugeMetricFamily(
            "kotacerdas_outbox_failed", "NGSI-LD notifications given up after every retry", value=failed
        )
        deliveries = GaugeMetricFamily(
            "kotacerdas_alert_deliveries", "Alert deliveries by status", labels=["status"]
        )
        for row in Delivery.objects.values("status").annotate(n=Count("pk")).order_by("status"):
            deliveries.add_metric([row["status"]], row["n"])
        yield deliveries
        alerts = GaugeMetricFamily(
            "kotacerdas_alerts", "Alerts by status and severity", labels=["status", "severity"]
        )
        for row in (
            Alert.objects.values("status", "severity").annotate(n=Count("pk")).order_by("status", "severity")
        ):
            alerts.add_metric([row["status"], str(row["severity"])], row["n"])
        yield alerts


def exposition() -> bytes:
    """The text exposition of this process's (or, in multiprocess mode, all processes') metrics and the
    installation-wide gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        process: Any = CollectorRegistry()
        multiprocess.MultiProcessCollector(process)
    else:
        process = REGISTRY
    platform = CollectorRegistry(auto_describe=False)
    platform.register(PlatformCollector())
    return generate_latest(process) + generate_latest(platform)


CONTENT_TYPE = CONTENT_TYPE_LATEST
