"""Home page (national map), audit log, API tokens, the map outline, and the error pages."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from kotacerdas.pillars import services as pillars
from kotacerdas.regions import geo
from kotacerdas.regions import services as regions

from . import audit, health, metrics, permissions
from .api import AuditFilter
from .http import problem_response
from .models import ApiToken
from .permissions import permission_required
from .problems import problem


def home(request: HttpRequest) -> HttpResponse:
    """The national map with headline counts."""
    context = {"counts": regions.region_counts(), "pillar_count": pillars.list_pillars().count()}
    return render(request, "core/home.html", context)


@lru_cache(maxsize=1)
def _outline() -> dict[str, object]:
    return geo.outline_geojson()


def indonesia_outline(request: HttpRequest) -> JsonResponse:
    """Indonesia's simplified outline (Natural Earth, public domain) as GeoJSON; cached per process."""
    response = JsonResponse(_outline())
    response["Cache-Control"] = "public, max-age=86400"
    return response


def region_points(request: HttpRequest) -> JsonResponse:
    """Every region with coordinates as a GeoJSON FeatureCollection (the map's markers)."""
    return JsonResponse(regions.regions_geojson())


@permission_required("audit.view")
def audit_log(request: HttpRequest) -> HttpResponse:
    """Every recorded change, newest first; filters as GET /api/audit (user id, model, object)."""
    try:
        filters = AuditFilter.model_validate({k: v for k, v in request.GET.items() if v and k != "page"})
    except ValidationError:
        filters = AuditFilter()
        messages.error(request, _("Some filters are not valid:") + " " + request.GET.urlencode())
    entries = audit.entries(actor_id=filters.actor, model=filters.model, object_pk=filters.object)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page})


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """The signed-in user's API tokens; a new token is shown once after creation."""
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created")
    new_token = request.session.pop("new_api_token", None)
    return render(request, "core/token_list.html", {"tokens": tokens, "new_token": new_token})


@require_POST
@login_required
def token_create(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, "tokens.manage")
    _token, raw = ApiToken.issue(
        request.user, name=request.POST.get("name", "")[:100], read_only=bool(request.POST.get("read_only"))
    )
    request.session["new_api_token"] = raw
    return redirect("tokens")


@require_POST
@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk)
    permissions.require(request.user, "tokens.manage", token)
    token.revoked = timezone.now()
    token.save(update_fields=["revoked"])
    messages.success(request, _("Token revoked."))
    return redirect("tokens")


def _wants_problem(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A friendly 404 in the user's language; problem+json under /api/."""
    if _wants_problem(request):
        body = problem(404, "not-found", "Not found", f"No API endpoint at {request.path}.")
        return problem_response(body)
    return render(request, "404.html", {"path": request.path}, status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The public is asked to sign in; a signed-in user whose role may not gets a 403 page."""
    if not request.user.is_authenticated and not _wants_problem(request):
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    return render(request, "403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    if _wants_problem(request):
        body = problem(500, "internal-error", "Internal error", "The server failed; the error was logged.")
        return problem_response(body)
    return render(request, "500.html", status=500)


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The signed-in user's notifications, newest first; opening the page marks them read."""
    items = list(request.user.notifications.all()[:100])
    request.user.notifications.filter(read_at=None).update(read_at=timezone.now())
    return render(request, "core/notifications.html", {"items": items})


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers (nothing else is touched)."""
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: database, migrations and media folder; 503 with the failing checks when not ready."""
    result = health.readiness()
    return JsonResponse(result.as_json(), status=200 if result.ready else 503)


def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics: for a scraper on this host, one with the metrics token, or a national admin."""
    if not permissions.may_scrape_metrics(request):
        body = problem(
            403,
            "forbidden",
            "Metrics are not public",
            "Scrape from this host, send the metrics token as a bearer token or sign in as national admin.",
        )
        return problem_response(body)
    return HttpResponse(metrics.exposition(), content_type=metrics.CONTENT_TYPE)


def choose_language(request: HttpRequest) -> HttpResponse:
    """The language switch (a GET, so that public pages need no CSRF token and can be cached): keep the
    choice in the language cookie (the LANGUAGE_COOKIE_* settings, as Django's own switch) and go back to
    `next` (a path on this site)."""
    code = request.GET.get("language", "")
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = redirect(target)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
