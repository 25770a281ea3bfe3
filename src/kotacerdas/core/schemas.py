"""Public shapes of core objects in the JSON API."""

from datetime import datetime
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Path, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator, Field

from .validators import YEAR_MAX, YEAR_MIN, plausible_moment

Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]
"""A calendar year in a request body or query (the program began in 2017; plans reach to 2045)."""
YearPath = Annotated[int, Path(ge=YEAR_MIN, le=YEAR_MAX)]
"""A calendar year in a URL path."""


def _plausible(value: datetime) -> datetime:
    try:
        plausible_moment(value)
    except DjangoValidationError as exc:
        raise ValueError(exc.messages[0]) from exc
    return value


Moment = Annotated[datetime, AfterValidator(_plausible)]
"""A date and time in a request body, in 1900–2100 (the database cannot hold year 1 at +00:01 in UTC)."""


class AuditEntryOut(Schema):
    id: int
    timestamp: datetime
    actor: str | None
    action: str
    model: str
    object_pk: str
    object_repr: str
    changes: dict[str, Any]

    @staticmethod
    def resolve_actor(obj: Any) -> str | None:
        return obj.actor.username if obj.actor else None

    @staticmethod
    def resolve_action(obj: Any) -> str:
        return {0: "create", 1: "update", 2: "delete"}.get(obj.action, str(obj.action))

    @staticmethod
    def resolve_model(obj: Any) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"

    @staticmethod
    def resolve_changes(obj: Any) -> dict[str, Any]:
        return {field: {"before": pair[0], "after": pair[1]} for field, pair in obj.changes_dict.items()}


class ApiTokenOut(Schema):
    id: int
    name: str
    prefix: str
    created: datetime
    last_used: datetime | None
    revoked: datetime | None
    read_only: bool


OFFSET_MAX = 2**31 - 1


class Pages(LimitOffsetPagination):
    """limit/offset paging of every list in /api/; the offset is bounded so that a huge one is a 422 problem
    rather than a number the database cannot hold."""

    class Input(Schema):
        limit: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT)
        offset: int = Field(0, ge=0, le=OFFSET_MAX)
