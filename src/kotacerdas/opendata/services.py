"""The open data catalogue: what the public may see, its metadata in CKAN and DCAT shapes, and the
downloads (CSV, JSON, GeoJSON) built from the same table."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from kotacerdas.core.permissions import can, require
from kotacerdas.core.tabular import csv_bytes
from kotacerdas.regions.models import Region

from .datasets import BUILDERS, Table
from .models import Dataset

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json", "geojson": "application/geo+json"}
LICENCES = {"CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/"}


def visible(user: Any) -> QuerySet[Dataset]:
    """Published datasets; national admins also see the withdrawn ones."""
    datasets = Dataset.objects.all()
    return datasets if can(user, "opendata.manage") else datasets.filter(published=True)


def set_published(user: Any, dataset: Dataset, published: bool) -> Dataset:
    require(user, "opendata.manage")
    dataset.published, dataset.modified = published, timezone.now()
    dataset.save(update_fields=["published", "modified"])
    return dataset


def table(dataset: Dataset) -> Table:
    return BUILDERS[dataset.kind]()


def resources(dataset: Dataset, absolute: Any = str) -> list[dict[str, str]]:
    return [
        {
            "name": f"{dataset.slug}.{fmt}",
            "format": fmt.upper(),
            "mediatype": FORMATS[fmt].split(";")[0],
            "url": absolute(reverse("opendata:download", args=[dataset.slug, fmt])),
        }
        for fmt in FORMATS
    ]


def package(dataset: Dataset, absolute: Any = str, years: list[int] | None = None) -> dict[str, Any]:
    """A CKAN package_show-like record (with DCAT names in `extras`)."""
    years = table(dataset).years if years is None else years
    return {
        "name": dataset.slug,
        "title": dataset.title,
        "notes": dataset.description,
        "organization": {"title": dataset.publisher},
        "license_id": dataset.licence,
        "license_url": LICENCES.get(dataset.licence, ""),
        "published": dataset.published,
        "metadata_modified": dataset.modified.isoformat(),
        "frequency": dataset.frequency,
        "temporal_start": str(min(years)) if years else None,
        "temporal_end": str(max(years)) if years else None,
        "spatial": dataset.spatial,
        "resources": resources(dataset, absolute),
    }


FREQUENCY_IRI = "http://publications.europa.eu/resource/authority/frequency/"
DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
}


def dcat(packages: list[dict[str, Any]], catalogue_url: str) -> dict[str, Any]:
    """The catalogue as DCAT in JSON-LD, with the context inline (no remote context)."""
    return {
        "@context": DCAT_CONTEXT,
        "@id": catalogue_url,
        "@type": "dcat:Catalog",
        "dct:title": "kotacerdas open data",
        "dcat:dataset": [_dcat_dataset(p) for p in packages],
    }


def _dcat_dataset(p: dict[str, Any]) -> dict[str, Any]:
    frequency = {"annual": "ANNUAL", "monthly": "MONTHLY", "daily": "DAILY", "continuous": "CONT"}
    return {
        "@type": "dcat:Dataset",
        "dct:identifier": p["name"],
        "dct:title": p["title"],
        "dct:description": p["notes"],
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": p["organization"]["title"]},
        "dct:license": p["license_url"] or p["license_id"],
        "dct:modified": p["metadata_modified"],
        "dct:accrualPeriodicity": {"@id": FREQUENCY_IRI + frequency.get(p["frequency"], "IRREG")},
        "dct:temporal": {"dcat:startDate": p["temporal_start"], "dcat:endDate": p["temporal_end"]},
        "dct:spatial": p["spatial"],
        "dcat:distribution": [
            {
                "@type": "dcat:Distribution",
                "dcat:downloadURL": r["url"],
                "dcat:mediaType": r["mediatype"],
                "dct:format": r["format"],
            }
            for r in p["resources"]
        ],
    }


def download(dataset: Dataset, fmt: str) -> bytes:
    """The dataset's rows in a format of FORMATS (KeyError for another)."""
    if fmt not in FORMATS:
        raise KeyError(fmt)
    content = table(dataset)
    if fmt == "csv":
        return csv_bytes(content.header, content.rows)
    records = [dict(zip(content.header, row, strict=True)) for row in content.rows]
    if fmt == "json":
        return _json({"dataset": dataset.slug, "count": len(records), "items": records})
    return _json(_geojson(records, content.region_column))


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")


def _geojson(records: list[dict[str, Any]], region_column: str | None) -> dict[str, Any]:
    """Each record as a Feature at its region's point (null geometry where the region has none)."""
    points = {
        code: [lon, lat]
        for code, lat, lon in Region.objects.exclude(latitude=None).values_list(
            "code", "latitude", "longitude"
        )
    }
    features = []
    for record in records:
        point = points.get(str(record.get(region_column or ""))) if region_column else None
        geometry = {"type": "Point", "coordinates": point} if point else None
        features.append({"type": "Feature", "geometry": geometry, "properties": record})
    return {"type": "FeatureCollection", "features": features}
