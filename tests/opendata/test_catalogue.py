"""The open data catalogue: published only for the public, CKAN and DCAT shapes, CSV/JSON/GeoJSON."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from kotacerdas.masterplan.demo import seed_plans
from kotacerdas.monitoring.demo import seed_evaluation
from kotacerdas.opendata.models import Dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(users: dict[str, Any]) -> None:
    seed_plans()
    seed_evaluation()


def test_catalogue_lists_published_datasets_with_metadata_and_downloads(client_as: Any, demo: None) -> None:
    catalogue = client_as(None).get("/api/opendata/datasets").json()
    assert catalogue["count"] == 5
    evaluations = next(d for d in catalogue["items"] if d["name"] == "hasil-evaluasi")
    assert evaluations["license_id"] == "CC-BY-4.0" and evaluations["frequency"] == "annual"
    assert (evaluations["temporal_start"], evaluations["temporal_end"]) == ("2024", "2025")
    assert evaluations["organization"]["title"] and evaluations["spatial"] == "Indonesia"
    assert {r["format"] for r in evaluations["resources"]} == {"CSV", "JSON", "GEOJSON"}
    assert all(
        r["url"].startswith("http://testserver/opendata/hasil-evaluasi.") for r in evaluations["resources"]
    )


def test_downloads_in_three_formats(client_as: Any, demo: None) -> None:
    client = client_as(None)
    rows = list(csv.DictReader(io.StringIO(client.get("/opendata/hasil-evaluasi.csv").content.decode())))
    assert {r["year"] for r in rows} == {"2024", "2025"} and "73.22" in {r["region_code"] for r in rows}
    items = json.loads(client.get("/opendata/nilai-indikator.json").content)
    assert items["count"] == len(items["items"]) > 0 and {"indicator", "unit", "source"} <= set(
        items["items"][0]
    )
    geo = json.loads(client.get("/opendata/wilayah-dan-kepesertaan.geojson").content)
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 514  # every kab/kota
    placed = [f for f in geo["features"] if f["geometry"]]
    assert placed and placed[0]["geometry"]["type"] == "Point"
    assert client.get("/opendata/hasil-evaluasi.xml").status_code == 404


def test_only_published_plans_initiatives_are_public(client_as: Any, demo: None) -> None:
    rows = json.loads(client_as(None).get("/opendata/inisiatif-rencana-induk.json").content)["items"]
    assert {r["region_code"] for r in rows} <= {"73.22"}  # Depok's draft never appears
    assert all(r["region_code"] != "32.76" for r in rows)


def test_a_withdrawn_dataset_is_hidden_from_the_public(client_as: Any, demo: None) -> None:
    url = "/api/opendata/datasets/kpi-sensor/published"
    assert (
        client_as("officer_a")
        .put(url, json.dumps({"published": False}), content_type="application/json")
        .status_code
        == 403
    )
    withdrawn = client_as("national_admin").put(
        url, json.dumps({"published": False}), content_type="application/json"
    )
    assert withdrawn.status_code == 200 and not Dataset.objects.get(slug="kpi-sensor").published
    assert client_as(None).get("/api/opendata/datasets").json()["count"] == 4
    assert client_as(None).get("/opendata/kpi-sensor.csv").status_code == 404
    assert client_as(None).get("/api/opendata/datasets/kpi-sensor").status_code == 404
    assert client_as("national_admin").get("/opendata/kpi-sensor.csv").status_code == 200
    assert "kpi-sensor" not in client_as(None).get("/opendata/").content.decode()


def test_dcat_catalogue_has_an_inline_context(client_as: Any, demo: None) -> None:
    response = client_as(None).get("/opendata/catalog.jsonld")
    assert response["Content-Type"] == "application/ld+json"
    body = response.json()
    assert isinstance(body["@context"], dict) and body["@type"] == "dcat:Catalog"
    first = body["dcat:dataset"][0]
    assert first["dcat:distribution"][0]["dcat:downloadURL"].startswith("http://testserver/opendata/")
    assert first["dct:accrualPeriodicity"]["@id"].startswith(
        "http://publications.europa.eu/resource/authority/frequency/"
    )
