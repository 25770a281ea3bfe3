"""The difference between two plan snapshots: a pure function (no Django)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Change:
    path: str  # e.g. "sections.vision", "initiatives[12].title", "initiatives[15]"
    before: Any
    after: Any


def diff(old: dict[str, Any], new: dict[str, Any], prefix: str = "") -> list[Change]:
    """Every changed leaf between two snapshots; initiatives are matched by id (added/removed whole)."""
    changes: list[Change] = []
    for key in sorted(set(old) | set(new)):
        path = f"{prefix}.{key}" if prefix else key
        a, b = old.get(key), new.get(key)
        if key == "initiatives" and isinstance(a, list) and isinstance(b, list):
            changes += _diff_by_id(a, b, path)
        elif isinstance(a, dict) and isinstance(b, dict):
            changes += diff(a, b, path)
        elif a != b:
            changes.append(Change(path, a, b))
    return changes


def _diff_by_id(old: list[dict[str, Any]], new: list[dict[str, Any]], path: str) -> list[Change]:
    before = {item["id"]: item for item in old}
    after = {item["id"]: item for item in new}
    changes: list[Change] = []
    for key in sorted(set(before) | set(after)):
        item_path = f"{path}[{key}]"
        if key not in after:
            changes.append(Change(item_path, before[key]["title"], None))
        elif key not in before:
            changes.append(Change(item_path, None, after[key]["title"]))
        else:
            changes += diff(before[key], after[key], item_path)
    return changes
