"""Fixtures of the NGSI-LD tests: a broker client that speaks JSON and knows the tenant and the token."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

BASE = "/ngsi-ld/v1"
LINK_REL = 'rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"'


class Broker:
    """A thin wrapper over the Django test client for /ngsi-ld/v1 calls."""

    def __init__(self, token: str | None = None, tenant: str | None = None) -> None:
        self.client = Client()
        self.headers: dict[str, str] = {}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        if tenant is not None:
            self.headers["NGSILD-Tenant"] = tenant

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        content_type: str = "application/json",
        headers: dict[str, str] | None = None,
        raw: bytes | str | None = None,
    ) -> Any:
        send = getattr(self.client, method.lower())
        merged = {**self.headers, **(headers or {})}
        if body is None and raw is None:
            return send(BASE + path, headers=merged)
        data = raw if raw is not None else json.dumps(body)
        return send(BASE + path, data, content_type=content_type, headers=merged)

    def get(self, path: str, **kw: Any) -> Any:
        return self.call("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.call("POST", path, body, **kw)

    def patch(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.call("PATCH", path, body, **kw)

    def put(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.call("PUT", path, body, **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self.call("DELETE", path, **kw)


@pytest.fixture
def broker(db: Any, settings: Any) -> Broker:
    """Anonymous client with KOTACERDAS_NGSI_LD_OPEN=1 (writes to the default tenant allowed)."""
    settings.NGSI_LD_OPEN = True
    return Broker()


@pytest.fixture
def broker_as(api_token: Callable[[str], str]) -> Callable[..., Broker]:
    def make(key: str | None, tenant: str | None = None) -> Broker:
        return Broker(api_token(key) if key else None, tenant)

    return make


def water(number: int = 1, level: float = 2.5, lon: float = 120.3, lat: float = -2.6, **extra: Any) -> dict:
    """A WaterObserved entity of a river gauge in Luwu Utara."""
    entity = {
        "id": f"urn:ngsi-ld:WaterObserved:73.22:gauge-{number:03d}",
        "type": "WaterObserved",
        "waterLevel": {
            "type": "Property",
            "value": level,
            "unitCode": "MTR",
            "observedAt": "2026-11-20T10:00:00Z",
        },
        "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [lon, lat]}},
    }
    entity.update(extra)
    return entity
