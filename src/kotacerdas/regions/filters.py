"""The one filter spec for regions, used by the HTML list, its htmx fragment and GET /api/regions."""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import FilterLookup, FilterSchema
from pydantic import Field, field_validator


class RegionFilter(FilterSchema):
    """province: two-digit code; kind: kabupaten|kota; q: part of the name (case-insensitive)."""

    province: Annotated[str | None, FilterLookup("province_id"), Field(None, pattern=r"^\d{2}$")] = None
    kind: Annotated[Literal["kabupaten", "kota"] | None, FilterLookup("kind")] = None
    q: Annotated[str | None, FilterLookup("name__icontains"), Field(None, max_length=100)] = None

    @field_validator("province", "kind", "q", mode="before")
    @classmethod
    def blank_is_none(cls, value: object) -> object:
        """An empty form field means "no filter", not an invalid value."""
        return None if value == "" else value
