"""Questionnaire versions as spreadsheets: export any version, import a new one (all rows valid or none)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kotacerdas.core import permissions
from kotacerdas.core.models import User

from .models import Criterion, Dimension, Questionnaire

COLUMNS = [
    "dimension_key",
    "dimension_name",
    "dimension_weight",
    "code",
    "sub_element",
    "question",
    "scale_min",
    "scale_max",
    "weight",
    "evidence_required",
]


def export_rows(questionnaire: Questionnaire) -> tuple[list[str], list[list[Any]]]:
    rows = []
    for c in Criterion.objects.filter(dimension__questionnaire=questionnaire).select_related("dimension"):
        d = c.dimension
        rows.append(
            [
                d.key,
                d.name,
                d.weight,
                c.code,
                c.sub_element,
                c.question,
                c.scale_min,
                c.scale_max,
                c.weight,
                "yes" if c.evidence_required else "no",
            ]
        )
    return COLUMNS, rows


def _number(raw: Any, name: str, row: int, errors: list[str], integer: bool = False) -> float:
    try:
        value = float(str(raw).strip())
        if integer and value != int(value):
            raise ValueError
        return int(value) if integer else value
    except (TypeError, ValueError):
        errors.append(_("Row %(row)d: %(name)s must be a number.") % {"row": row, "name": name})
        return 0


def _parse(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    errors: list[str] = []
    missing = [c for c in COLUMNS if rows and c not in rows[0]]
    if missing or not rows:
        return [], [_("Missing columns: %(cols)s") % {"cols": ", ".join(missing or COLUMNS)}]
    parsed = []
    for row_number, raw in enumerate(rows, start=2):
        item = {k: str(raw.get(k) or "").strip() for k in COLUMNS}
        for key in ("scale_min", "scale_max"):
            item[key] = _number(raw.get(key), key, row_number, errors, integer=True)
        for key in ("dimension_weight", "weight"):
            item[key] = _number(raw.get(key), key, row_number, errors)
        if not item["dimension_key"] or not item["code"] or not item["question"]:
            errors.append(
                _("Row %(row)d: dimension_key, code and question are required.") % {"row": row_number}
            )
        if item["scale_max"] <= item["scale_min"]:
            errors.append(_("Row %(row)d: scale_max must be above scale_min.") % {"row": row_number})
        item["evidence_required"] = item["evidence_required"].lower() in {"yes", "ya", "1", "true"}
        parsed.append(item)
    return parsed, errors


def import_rows(user: User, version: str, title: str, rows: list[dict[str, Any]]) -> Questionnaire:
    """Create a new questionnaire version from spreadsheet rows; every problem is reported at once."""
    permissions.require(user, "program.manage")
    version = version.strip()
    parsed, errors = _parse(rows)
    if not version:
        errors.insert(0, _("Give the new version a name."))
    elif Questionnaire.objects.filter(version=version).exists():
        errors.insert(0, _("Version %(v)s exists already; versions are never overwritten.") % {"v": version})
    codes = [p["code"] for p in parsed]
    if len(codes) != len(set(codes)):
        errors.append(_("Criterion codes must be unique."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        questionnaire = Questionnaire.objects.create(version=version, title=title.strip() or version)
        dimensions: dict[str, Dimension] = {}
        for order, item in enumerate(parsed):
            key = item["dimension_key"]
            if key not in dimensions:
                dimensions[key] = Dimension.objects.create(
                    questionnaire=questionnaire,
                    key=key,
                    name=item["dimension_name"] or key,
                    weight=item["dimension_weight"],
                    order=len(dimensions),
                )
            Criterion.objects.create(
                dimension=dimensions[key],
                code=item["code"],
                sub_element=item["sub_element"] or key,
                question=item["question"],
                scale_min=item["scale_min"],
                scale_max=item["scale_max"],
                weight=item["weight"] or 1.0,
                evidence_required=item["evidence_required"],
                order=order,
            )
    return questionnaire
