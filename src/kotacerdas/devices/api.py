"""/api/deadletters: messages that were not stored, with the raw message and the reason."""

import base64
from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from kotacerdas.core.schemas import Pages

from . import services
from .models import DeadLetter

router = Router(tags=["devices"])


class DeadLetterOut(Schema):
    id: int
    received_at: datetime
    transport: str
    channel: str
    apikey: str
    device_id: str
    region: str | None
    raw: str
    raw_base64: str
    reason: str

    @staticmethod
    def resolve_region(obj: DeadLetter) -> str | None:
        return obj.region_id

    @staticmethod
    def resolve_raw(obj: DeadLetter) -> str:
        return obj.text

    @staticmethod
    def resolve_raw_base64(obj: DeadLetter) -> str:
        return base64.b64encode(bytes(obj.raw)).decode()


class DeadLetterFilter(Schema):
    region: str | None = None
    device_id: str | None = None


@router.get("/deadletters", response=list[DeadLetterOut])
@paginate(Pages)
def list_dead_letters(request: HttpRequest, filters: Query[DeadLetterFilter]) -> object:
    """Refused messages, newest first (national admins: all; regional officers: their region's)."""
    return services.visible_dead_letters(request.user, filters.region, filters.device_id)
