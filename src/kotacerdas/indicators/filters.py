"""The one filter spec of indicator values, shared by GET /api/indicators/values and the values page."""

from typing import Annotated

from ninja import FilterLookup, FilterSchema

from kotacerdas.core.schemas import Year


class ValueFilter(FilterSchema):
    indicator: Annotated[str | None, FilterLookup("indicator__code")] = None
    region: Annotated[str | None, FilterLookup("region_id")] = None
    year: Annotated[Year | None, FilterLookup("year")] = None
