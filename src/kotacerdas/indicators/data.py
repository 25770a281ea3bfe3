"""Seeding the catalogue from the packaged CSV (built by scripts/build_u4ssc_catalogue.py)."""

from __future__ import annotations

import csv
from importlib import resources
from typing import Any


def u4ssc_rows() -> list[dict[str, str]]:
    text = resources.files("kotacerdas.indicators").joinpath("data", "u4ssc.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def seed(apps: Any, schema_editor: Any = None) -> None:
    """Create or refresh the 91 U4SSC KPIs (idempotent)."""
    indicator = apps.get_model("indicators", "Indicator")
    pillars = {p.key: p for p in apps.get_model("pillars", "Pillar").objects.all()}
    for row in u4ssc_rows():
        indicator.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "unit": row["unit"],
                "direction": row["direction"],
                "level": row["level"],
                "pillar": pillars[row["pillar"]],
                "definition": row["definition"],
                "formula": row["formula"][:300],
                "category_path": row["path"][:200],
                "data_source": row["indonesian_source"][:300],
            },
        )
