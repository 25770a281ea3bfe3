"""Public shapes of pillars in the JSON API."""

from __future__ import annotations

from ninja import Schema


class ElementOut(Schema):
    key: str
    name: str
    name_id: str
    name_en: str


class PillarOut(Schema):
    key: str
    name: str
    description: str
    colour: str
    elements: list[ElementOut]

    @staticmethod
    def resolve_elements(obj: object) -> list[object]:
        return list(obj.elements.all())  # type: ignore[attr-defined]
