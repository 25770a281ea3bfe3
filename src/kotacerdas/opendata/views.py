"""The open data catalogue page, the DCAT catalogue (JSON-LD) and the downloads."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from . import services


def catalogue(request: HttpRequest) -> HttpResponse:
    packages = [services.package(d, request.build_absolute_uri) for d in services.visible(request.user)]
    return render(request, "opendata/catalogue.html", {"packages": packages})


def dcat(request: HttpRequest) -> JsonResponse:
    """The catalogue as DCAT JSON-LD (context inline)."""
    packages = [services.package(d, request.build_absolute_uri) for d in services.visible(request.user)]
    body = services.dcat(packages, request.build_absolute_uri(reverse("opendata:dcat")))
    return JsonResponse(body, content_type="application/ld+json", json_dumps_params={"ensure_ascii": False})


def download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """A published dataset as CSV, JSON or GeoJSON (withdrawn ones: national admins only)."""
    dataset = get_object_or_404(services.visible(request.user), slug=slug)
    if fmt not in services.FORMATS:
        raise Http404(fmt)
    response = HttpResponse(services.download(dataset, fmt), content_type=services.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{slug}.{fmt}"'
    return response
