"""Reading the pillars; the pillars page and GET /api/pillars share these."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .models import Element, Pillar


def list_pillars() -> QuerySet[Pillar]:
    """The six pillars in order, each with its elements prefetched."""
    return Pillar.objects.prefetch_related(Prefetch("elements", queryset=Element.objects.order_by("order")))
