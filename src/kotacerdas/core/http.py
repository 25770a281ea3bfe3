"""Small helpers shared by the views and the middleware."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse

from .problems import PROBLEM_CONTENT_TYPE, Problem


def problem_response(body: Problem) -> JsonResponse:
    """An RFC 7807 answer (application/problem+json) with the problem's status."""
    return JsonResponse(body.as_dict(), status=body.status, content_type=PROBLEM_CONTENT_TYPE)


def flash_errors(request: HttpRequest, exc: ValidationError) -> None:
    """Show every message of a refused business rule on the next page."""
    for message in exc.messages:
        messages.error(request, message)


def attempt(request: HttpRequest, action: Callable[[], object], success: str) -> bool:
    """Run one business action; show `success`, or every refusal of the rules. Returns whether it worked."""
    try:
        action()
    except ValidationError as exc:
        flash_errors(request, exc)
        return False
    messages.success(request, success)
    return True
