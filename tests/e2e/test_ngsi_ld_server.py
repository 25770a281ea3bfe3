"""The NGSI-LD broker as `kotacerdas serve` answers it over real HTTP, with the demo's Luwu Utara gauges."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from kotacerdas.context.jsonld import SDM_CONTEXT_URL

from .conftest import DemoServer

pytestmark = pytest.mark.e2e
LINK = f'<{SDM_CONTEXT_URL}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"'


def _call(
    url: str, method: str = "GET", body: object = None, headers: dict[str, str] | None = None
) -> tuple[int, dict, object]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read()
            return response.status, dict(response.headers), json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"null")


def test_demo_gauges_over_http(demo_server: DemoServer) -> None:
    base = demo_server.url + "/ngsi-ld/v1"
    headers = {"NGSILD-Tenant": "73.22", "Link": LINK}
    status, answer_headers, body = _call(
        f"{base}/entities?type=WaterObserved&options=keyValues&count=true", headers=headers
    )
    assert status == 200 and answer_headers["NGSILD-Results-Count"] == "3"
    assert {e["name"]["languageMap"]["id"] for e in body} == {
        "Sungai Masamba",
        "Sungai Radda",
        "Sungai Rongkong",
    }
    status, _, body = _call(
        f"{base}/temporal/entities/urn:ngsi-ld:WaterObserved:73.22:masamba-01?attrs=waterLevel&lastN=3",
        headers=headers,
    )
    assert status == 200 and len(body["waterLevel"]) == 3
    status, headers_out, problem = _call(f"{base}/entities", "POST", {"id": "urn:x:1", "type": "T"}, headers)
    assert status == 401 and headers_out["Content-Type"] == "application/problem+json"
    status, _, problem = _call(f"{base}/entities?type=WaterObserved", headers={"NGSILD-Tenant": "nope"})
    assert status == 404 and problem["type"] == "https://uri.etsi.org/ngsi-ld/errors/NonexistentTenant"
