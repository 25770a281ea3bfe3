"""Public shapes of indicators in the JSON API."""

from ninja import Schema


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    direction: str
    level: str
    pillar: str
    definition: str

    @staticmethod
    def resolve_pillar(obj: object) -> str:
        return str(obj.pillar.key)  # type: ignore[attr-defined]
