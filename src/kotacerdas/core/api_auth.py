"""Bearer tokens for the JSON API: `Authorization: Bearer kc_...` signs the request in as the token's user.

A middleware, so that the API, the pages and core.permissions see the same `request.user`. A read-only
token is refused (403) on every method that is not GET, HEAD or OPTIONS, whatever its user may do.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .http import problem_response
from .models import ApiToken, hash_token
from .problems import problem

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def user_for_token(raw: str) -> ApiToken | None:
    """The live token for a raw value, or None if unknown or revoked."""
    token = ApiToken.objects.select_related("user").filter(digest=hash_token(raw), revoked=None).first()
    if token is None or not token.user.is_active:
        return None
    return token


class ApiTokenMiddleware:
    """Authenticate API requests that carry a bearer token; a bad token is 401 problem+json."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        if header.lower().startswith("bearer ") and request.path.startswith(("/api/", "/ngsi-ld/", "/iot/")):
            token = user_for_token(header[7:].strip())
            if token is None:
                return problem_response(
                    problem(401, "invalid-token", "Invalid token", "The bearer token is unknown or revoked.")
                )
            if token.read_only and request.method not in READ_METHODS:
                return problem_response(
                    problem(
                        403, "read-only-token", "Read-only token", "This token may read, not change anything."
                    )
                )
            request.user = token.user
            request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
            ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now())
        return self.get_response(request)
