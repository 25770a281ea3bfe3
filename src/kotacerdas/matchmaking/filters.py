"""The one filter spec of proposals, shared by GET /api/proposals and the proposals page."""

from typing import Annotated

from ninja import FilterLookup, FilterSchema


class ProposalFilter(FilterSchema):
    region: Annotated[str | None, FilterLookup("region_id")] = None
    province: Annotated[str | None, FilterLookup("region__province_id")] = None
    pillar: Annotated[str | None, FilterLookup("pillar__key")] = None
    scheme: Annotated[str | None, FilterLookup("scheme")] = None
    sector: Annotated[str | None, FilterLookup("sector")] = None
    status: Annotated[str | None, FilterLookup("status")] = None
    q: Annotated[str | None, FilterLookup(["title__icontains", "scope__icontains"])] = None
