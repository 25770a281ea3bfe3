"""GET /api/provinces, /api/regions, /api/regions/{code}: shapes, filters, pagination, problem+json."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_regions_list_shape_and_pagination(client: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(3):
        body = client.get("/api/regions?limit=2&offset=1").json()
    assert body["count"] == 514
    assert [item["code"] for item in body["items"]] == ["11.02", "11.03"]
    item = body["items"][0]
    assert set(item) >= {"code", "name", "kind", "province_code", "latitude", "longitude"}


def test_regions_filters(client: Client) -> None:
    body = client.get("/api/regions?province=73&kind=kabupaten&q=luwu").json()
    assert [i["code"] for i in body["items"]] == ["73.17", "73.22", "73.24"]
    assert body["items"][1]["province_code"] == "73"
    kota = client.get("/api/regions?kind=kota&limit=1000").json()
    assert kota["count"] == 98 and len(kota["items"]) == 98


def test_unknown_coordinates_are_null(client: Client) -> None:
    item = client.get("/api/regions?q=binjai").json()["items"][0]
    assert item["latitude"] is None and item["longitude"] is None


@pytest.mark.parametrize(
    "query",
    [
        "kind=desa",
        "province=7",
        "province=abc",
        "limit=abc",
        "limit=0",
        "offset=-1",
        "limit=100000",
        "offset=3931165343523971006464",
    ],
)
def test_bad_parameters_are_400_problems(client: Client, query: str) -> None:
    response = client.get(f"/api/regions?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400 and body["title"] and body["detail"] and body["title"] != body["detail"]


def test_region_detail_and_404(client: Client) -> None:
    body = client.get("/api/regions/73.22").json()
    assert body["name"] == "Kabupaten Luwu Utara" and body["profile"] == []
    missing = client.get("/api/regions/99.99")
    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"


def test_provinces(client: Client) -> None:
    body = client.get("/api/provinces?limit=100").json()
    assert body["count"] == 38
    assert body["items"][0] == {"code": "11", "name": "Aceh"}


def test_unknown_api_url_is_a_problem(client: Client) -> None:
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.json()["type"].endswith("/not-found")


def test_openapi_lists_the_endpoints(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/regions", "/api/provinces", "/api/pillars", "/api/regions/{code}"} <= set(paths)
    assert client.get("/api/docs").status_code == 200
