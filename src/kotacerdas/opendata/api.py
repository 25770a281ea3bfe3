"""/api/opendata: the catalogue of published datasets (CKAN-like records with download URLs)."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from . import services
from .models import Dataset

router = Router(tags=["open data"])


class CatalogueOut(Schema):
    count: int
    items: list[dict[str, Any]]


@router.get("/opendata/datasets", response=CatalogueOut)
def catalogue(request: HttpRequest) -> dict[str, Any]:
    """The published datasets with metadata (title, description, publisher, licence, frequency, temporal
    and spatial coverage) and their CSV, JSON and GeoJSON download URLs."""
    items = [services.package(d, request.build_absolute_uri) for d in services.visible(request.user)]
    return {"count": len(items), "items": items}


@router.get("/opendata/datasets/{slug}", response=dict[str, Any])
def dataset(request: HttpRequest, slug: str) -> dict[str, Any]:
    """One dataset's record (withdrawn datasets: national admins only)."""
    found = get_object_or_404(services.visible(request.user), slug=slug)
    return services.package(found, request.build_absolute_uri)


class PublishIn(Schema):
    published: bool


@router.put("/opendata/datasets/{slug}/published", response=dict[str, Any])
def publish(request: HttpRequest, slug: str, body: PublishIn) -> dict[str, Any]:
    """Publish or withdraw a dataset (national admins)."""
    found = services.set_published(request.user, get_object_or_404(Dataset, slug=slug), body.published)
    return services.package(found, request.build_absolute_uri)
