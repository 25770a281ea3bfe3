"""Public shapes of master plans in the JSON API."""

from ninja import Schema


class PlanListOut(Schema):
    id: int
    region_code: str
    region_name: str
    title: str
    status: str
    period_start: int
    period_end: int
    published: bool

    @staticmethod
    def resolve_region_code(obj: object) -> str:
        return str(obj.region_id)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_region_name(obj: object) -> str:
        return str(obj.region.name)  # type: ignore[attr-defined]


class DocumentOut(Schema):
    kind: str
    status: str
    progress: int
    version: int
    error: str
