"""GET /api/audit (national admins) and GET /api/tokens (your own): twins of the audit and token pages."""

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from . import audit, permissions
from .models import ApiToken
from .schemas import ApiTokenOut, AuditEntryOut, Pages

router = Router(tags=["core"])


class AuditFilter(Schema):
    """The audit page's filters: user id, model ("regions.region") and object key ("73.22")."""

    actor: int | None = None
    model: str | None = Field(None, pattern=r"^\w+\.\w+$")
    object: str | None = Field(None, max_length=100)


@router.get("/audit", response=list[AuditEntryOut])
@paginate(Pages)
def list_audit(request: HttpRequest, filters: Query[AuditFilter]) -> object:
    """Every recorded change, newest first (national admins only)."""
    permissions.require(request.user, "audit.view")
    return audit.entries(actor_id=filters.actor, model=filters.model, object_pk=filters.object)


@router.get("/tokens", response=list[ApiTokenOut])
@paginate(Pages)
def list_tokens(request: HttpRequest) -> object:
    """The signed-in user's API tokens (never the secret)."""
    permissions.require(request.user, "tokens.manage")
    return ApiToken.objects.filter(user=request.user).order_by("-created")
