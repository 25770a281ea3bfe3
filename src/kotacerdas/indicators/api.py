"""GET /api/indicators: the catalogue."""

from datetime import date, datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, FilterLookup, FilterSchema, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from kotacerdas.core.permissions import require
from kotacerdas.core.schemas import Pages, Year
from kotacerdas.core.tabular import TabularError, read_rows

from . import compute, services, values
from .filters import ValueFilter
from .models import Indicator, IndicatorValue, KpiBinding, KpiValue
from .schemas import IndicatorOut

router = Router(tags=["indicators"])


class IndicatorFilter(FilterSchema):
    pillar: Annotated[str | None, FilterLookup("pillar__key")] = None
    level: Annotated[str | None, FilterLookup("level")] = None
    q: Annotated[str | None, FilterLookup(["name__icontains", "code__icontains"])] = None


@router.get("/indicators", response=list[IndicatorOut])
@paginate(Pages)
def list_indicators(request: HttpRequest, filters: Query[IndicatorFilter]) -> object:
    """The indicator catalogue (91 U4SSC KPIs and national indicators) with code, name, unit and pillar."""
    return filters.filter(Indicator.objects.select_related("pillar"))


class BindingIn(Schema):
    indicator: str
    entity_type: str
    attribute: str = ""
    method: str
    threshold: float | None = None
    period: str = "month"
    region: str | None = None


class BindingOut(Schema):
    id: int
    indicator: str
    region: str | None
    entity_type: str
    attribute: str
    method: str
    threshold: float | None
    period: str
    enabled: bool

    @staticmethod
    def resolve_indicator(obj: KpiBinding) -> str:
        return obj.indicator.code

    @staticmethod
    def resolve_region(obj: KpiBinding) -> str | None:
        return obj.region_id


class KpiValueOut(Schema):
    indicator: str
    region: str
    period_start: date
    period_end: date
    value: float | None
    reading_count: int
    query: str
    computed_at: datetime
    entity_id: str

    @staticmethod
    def resolve_indicator(obj: KpiValue) -> str:
        return obj.binding.indicator.code

    @staticmethod
    def resolve_region(obj: KpiValue) -> str:
        return obj.region_id

    @staticmethod
    def resolve_entity_id(obj: KpiValue) -> str:
        return compute.entity_id(obj)


class KpiValueFilter(FilterSchema):
    indicator: Annotated[str | None, FilterLookup("binding__indicator__code")] = None
    region: Annotated[str | None, FilterLookup("region_id")] = None
    year: Annotated[Year | None, FilterLookup("period_start__year")] = None


@router.get("/kpis/bindings", response=list[BindingOut])
@paginate(Pages)
def list_bindings(request: HttpRequest) -> object:
    """Indicators computed from live data, and how."""
    return KpiBinding.objects.select_related("indicator")


@router.post("/kpis/bindings", response={201: BindingOut})
def create_binding(request: HttpRequest, body: BindingIn) -> Status[KpiBinding]:
    """Bind an indicator of the catalogue to readings (national admins; officers for their region)."""
    return Status(201, services.create_binding(request.user, body.dict()))


@router.post("/kpis/bindings/{binding_id}/compute", response=list[KpiValueOut])
def compute_binding(request: HttpRequest, binding_id: int) -> list[KpiValue]:
    """Compute the current period now, for every region of the binding."""
    binding = get_object_or_404(KpiBinding.objects.select_related("indicator"), pk=binding_id)
    require(request.user, "alerts.manage", binding.region_id)
    return [v for code in compute.regions_of(binding) if (v := compute.compute(binding, code)) is not None]


@router.get("/kpis/values", response=list[KpiValueOut])
@paginate(Pages)
def list_values(request: HttpRequest, filters: Query[KpiValueFilter]) -> object:
    """Computed KPI values with provenance (what was aggregated, how many readings, when)."""
    return filters.filter(KpiValue.objects.select_related("binding__indicator"))


class IndicatorIn(Schema):
    code: str
    name: str
    unit: str
    direction: str
    pillar: str
    definition: str = ""
    data_source: str = ""
    goal_min: float | None = None
    goal_max: float | None = None


@router.post("/indicators", response={201: IndicatorOut})
def add_indicator(request: HttpRequest, body: IndicatorIn) -> Status[Indicator]:
    """A national indicator (e.g. SPBE index, IPM) with optional goalposts (national admins)."""
    return Status(201, values.add_national_indicator(request.user, body.dict()))


class GoalpostsIn(Schema):
    goal_min: float | None = None
    goal_max: float | None = None


@router.put("/indicators/{code}/goalposts", response=IndicatorOut)
def set_goalposts(request: HttpRequest, code: str, body: GoalpostsIn) -> Indicator:
    """Set (or clear) the goalposts that normalise the indicator (national admins)."""
    indicator = get_object_or_404(Indicator, code=code)
    return values.set_goalposts(request.user, indicator, body.goal_min, body.goal_max)


class ValueIn(Schema):
    indicator: str
    region: str
    year: Year
    value: float
    source: str
    unit: str | None = None


class ValueOut(Schema):
    indicator: str
    region: str
    year: int
    value: float
    method: str
    source: str

    @staticmethod
    def resolve_indicator(obj: IndicatorValue) -> str:
        return obj.indicator.code

    @staticmethod
    def resolve_region(obj: IndicatorValue) -> str:
        return str(obj.region_id)


@router.get("/indicators/values", response=list[ValueOut])
@paginate(Pages)
def list_indicator_values(request: HttpRequest, filters: Query[ValueFilter]) -> object:
    """Indicator values per region and year, with how each was obtained and its source."""
    return filters.filter(IndicatorValue.objects.select_related("indicator"))


@router.post("/indicators/values", response={201: ValueOut})
def enter_value(request: HttpRequest, body: ValueIn) -> Status[IndicatorValue]:
    """Enter a value (national admins; officers for their region); wrong unit or implausible → 400."""
    indicator = get_object_or_404(Indicator, code=body.indicator)
    row = values.enter_value(
        request.user, indicator, body.region, body.year, body.value, body.source, body.unit
    )
    return Status(201, row)


class ImportOut(Schema):
    stored: int
    errors: list[str]


@router.post("/indicators/values/import", response=ImportOut)
def import_indicator_values(request: HttpRequest, file: File[UploadedFile]) -> ImportOut:
    """Import values from .xlsx or .csv (columns indicator, region, year, value, source, unit); all or
    nothing: any bad row stores nothing and the problem lists every row error."""
    require(request.user, "indicators.enter")
    try:
        rows = read_rows(file, file.name or "")
    except TabularError as exc:
        raise ValidationError(str(exc)) from exc
    result = values.import_values(request.user, rows)
    if result.errors:
        raise ValidationError(result.errors)
    return ImportOut(stored=result.stored, errors=[])
