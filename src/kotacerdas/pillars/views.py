"""The pillars page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import services


def pillar_list(request: HttpRequest) -> HttpResponse:
    return render(request, "pillars/pillar_list.html", {"pillars": services.list_pillars()})
