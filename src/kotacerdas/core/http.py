"""Small helpers shared by the HTML views."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def flash_errors(request: HttpRequest, exc: ValidationError) -> None:
    """Show every message of a refused business rule on the next page."""
    for message in exc.messages:
        messages.error(request, message)
