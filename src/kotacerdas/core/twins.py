"""Every dashboard page has twins: `?format=json` (the page's data), `?format=csv` and `?format=xlsx`
(its main table). One function serves the page and its twins from the same data."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from .tabular import XLSX_TYPE, csv_bytes, xlsx_bytes

Table = tuple[list[str], Sequence[Sequence[Any]]]
TWIN_FORMATS = ("json", "csv", "xlsx")


def respond(
    request: HttpRequest,
    template: str,
    data: dict[str, Any],
    table: Callable[[], Table],
    name: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The HTML page, or one of its twins when `?format=` asks for it."""
    fmt = request.GET.get("format")
    if fmt == "json":
        return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    if fmt == "csv":
        header, rows = table()
        return _download(csv_bytes(header, rows), "text/csv; charset=utf-8", f"{name}.csv")
    if fmt == "xlsx":
        header, rows = table()
        return _download(xlsx_bytes(name, header, [list(r) for r in rows]), XLSX_TYPE, f"{name}.xlsx")
    return render(request, template, {**(context or {}), "data": data, "twin_formats": TWIN_FORMATS})


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
