"""Small helpers shared by the HTML views."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


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
