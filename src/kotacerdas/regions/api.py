"""GET /api/provinces, /api/regions, /api/regions/{code}: the JSON twins of the registry pages."""

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from kotacerdas.core.schemas import Pages

from . import services
from .filters import RegionFilter
from .models import Province, Region
from .schemas import ProvinceOut, RegionDetailOut, RegionOut

router = Router(tags=["regions"])


@router.get("/provinces", response=list[ProvinceOut])
@paginate(Pages)
def list_provinces(request: HttpRequest) -> object:
    """The 38 provinces with their Kemendagri codes."""
    return services.list_provinces()


@router.get("/regions", response=list[RegionOut])
@paginate(Pages)
def list_regions(request: HttpRequest, filters: Query[RegionFilter]) -> object:
    """Kabupaten/kota; filter by `province` (e.g. 73), `kind` (kabupaten|kota) and `q` (part of the name)."""
    return services.list_regions(filters)


@router.get("/regions/{code}", response=RegionDetailOut)
def get_region(request: HttpRequest, code: str) -> Region:
    """One region with every profile value (newest year first per metric)."""
    return services.get_region(code)


@router.get("/provinces/{code}", response=ProvinceOut)
def get_province(request: HttpRequest, code: str) -> Province:
    return Province.objects.get(code=code)
