"""RFC 7807 problem details: the one shape of every API error.

Pure module (no Django import) so the JSON API and the NGSI-LD API build their errors the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_BASE = "https://kotacerdas.id/problems/"


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem: a type URI, a short title, the HTTP status, a specific detail, and extra members."""

    status: int
    title: str
    detail: str
    type: str = "about:blank"
    extra: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": self.type,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        body.update(self.extra)
        return body


def problem(status: int, slug: str, title: str, detail: str, **extra: Any) -> Problem:
    """A problem whose type is PROBLEM_BASE + slug (e.g. "invalid-parameter")."""
    return Problem(status=status, title=title, detail=detail, type=PROBLEM_BASE + slug, extra=extra)


def validation_errors(errors: list[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Flatten pydantic-style errors ({"loc": [...], "msg": ...}) into {"field", "message"} pairs."""
    flat = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "body", "path", "header")]
        flat.append({"field": ".".join(loc) or "-", "message": str(err.get("msg", "invalid"))})
    return flat
