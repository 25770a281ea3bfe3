"""GET /api/pillars: the six pillars with their elements."""

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from kotacerdas.core.schemas import Pages

from . import services
from .schemas import PillarOut

router = Router(tags=["pillars"])


@router.get("/pillars", response=list[PillarOut])
@paginate(Pages)
def list_pillars(request: HttpRequest) -> object:
    """The six smart city pillars, in order, each with its three elements."""
    return services.list_pillars()
