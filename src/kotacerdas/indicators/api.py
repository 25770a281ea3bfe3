"""GET /api/indicators: the catalogue."""

from typing import Annotated

from django.http import HttpRequest
from ninja import FilterLookup, FilterSchema, Query, Router
from ninja.pagination import LimitOffsetPagination, paginate

from .models import Indicator
from .schemas import IndicatorOut

router = Router(tags=["indicators"])


class IndicatorFilter(FilterSchema):
    pillar: Annotated[str | None, FilterLookup("pillar__key")] = None
    level: Annotated[str | None, FilterLookup("level")] = None
    q: Annotated[str | None, FilterLookup(["name__icontains", "code__icontains"])] = None


@router.get("/indicators", response=list[IndicatorOut])
@paginate(LimitOffsetPagination)
def list_indicators(request: HttpRequest, filters: Query[IndicatorFilter]) -> object:
    """The indicator catalogue (91 U4SSC KPIs and national indicators) with code, name, unit and pillar."""
    return filters.filter(Indicator.objects.select_related("pillar"))
