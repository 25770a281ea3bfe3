"""Public shapes of regions in the JSON API."""

from __future__ import annotations

from decimal import Decimal

from ninja import Schema


class ProvinceOut(Schema):
    code: str
    name: str


class RegionOut(Schema):
    code: str
    name: str
    kind: str
    province_code: str
    province_name: str
    latitude: float | None
    longitude: float | None

    @staticmethod
    def resolve_province_code(obj: object) -> str:
        return str(obj.province_id)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_province_name(obj: object) -> str:
        return str(obj.province.name)  # type: ignore[attr-defined]


class ProfileValueOut(Schema):
    metric: str
    year: int
    value: Decimal | str | None
    source: str


class RegionDetailOut(RegionOut):
    coordinate_source: str
    profile: list[ProfileValueOut]

    @staticmethod
    def resolve_profile(obj: object) -> list[dict[str, object]]:
        from .services import region_profile

        return [
            {"metric": f.metric, "year": f.year, "value": f.value, "source": f.source}
            for row in region_profile(obj)  # type: ignore[arg-type]
            for f in row.history
        ]
