"""The public pages' cache: an anonymous visitor's HTML page is kept for KOTACERDAS_PUBLIC_CACHE_SECONDS
(60 by default) per path and query, language and htmx fragment, so dashboards stay fast under many readers.

Only what is the same for every anonymous visitor is kept: a 200 text/html answer to a GET that rendered no
CSRF token (pages with forms are never cached) and showed no flash message. Signed-in users, the APIs and
the operational endpoints always get a fresh answer. Public figures may lag up to the cache time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

NEVER = ("/api/", "/ngsi-ld/", "/iot/", "/admin/", "/account/", "/i18n/", "/language/", "/media/", "/static/")
OPERATIONAL = ("/healthz", "/readyz", "/metrics")


def cache_key(request: HttpRequest) -> str:
    """The key of a page: language, htmx or whole page, and the full path with its query."""
    fragment = "htmx" if request.headers.get("HX-Request") else "page"
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"public-page:{get_language()}:{fragment}:{digest}"


def cacheable_request(request: HttpRequest) -> bool:
    return (
        settings.PUBLIC_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and not request.path.startswith(NEVER + OPERATIONAL)
    )


def cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    messages = getattr(request, "_messages", None)
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")  # the page holds a CSRF token (a form)
        and not (messages is not None and getattr(messages, "used", False))
        and not response.cookies
    )


class PublicPageCacheMiddleware:
    """Serve and keep anonymous visitors' public pages (the innermost middleware: the answer still passes
    through the security headers, the CSP and the metrics on its way out)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not cacheable_request(request):
            return self.get_response(request)
        key = cache_key(request)
        kept = cache.get(key)
        if kept is not None:
            content, content_type = kept
            response = HttpResponse(content, content_type=content_type)
            response["X-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if cacheable_response(request, response):
            cache.set(key, (response.content, response["Content-Type"]), settings.PUBLIC_CACHE_SECONDS)
            response["X-Cache"] = "miss"
        return response
