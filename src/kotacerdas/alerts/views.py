"""The operations page (live levels, open alerts with acknowledge buttons, level history with thresholds),
an alert's page, and the dead letters page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.core.permissions import permission_required, require
from kotacerdas.devices.services import visible_dead_letters

from . import live, rules, services
from .forms import RuleForm
from .models import Alert


def _region(request: HttpRequest) -> str | None:
    return request.GET.get("region") or None


@permission_required("alerts.operate")
def operations(request: HttpRequest) -> HttpResponse:
    """Live levels and open alerts; htmx polls the `_live.html` fragment every 10 seconds."""
    region = _region(request)
    context = {"stations": live.stations(region), "alerts": live.open_alerts(region), "region": region}
    template = "alerts/_live.html" if request.htmx else "alerts/operations.html"
    return render(request, template, context)


@permission_required("alerts.operate")
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(Alert.objects.select_related("rule", "region"), pk=pk)
    return render(
        request,
        "alerts/alert_detail.html",
        {"alert": alert, "events": alert.events.select_related("by"), "deliveries": alert.deliveries.all()},
    )


@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Acknowledge or resolve an alert (with an optional note)."""
    alert = get_object_or_404(Alert.objects.select_related("rule"), pk=pk)
    require(request.user, "alerts.manage", alert.region_id)
    note = request.POST.get("note", "")[:1000]
    try:
        if action == "acknowledge":
            services.acknowledge(alert, request.user, note)
            messages.success(request, _("Alert acknowledged."))
        else:
            services.resolve(alert, request.user, note)
            messages.success(request, _("Alert resolved."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(request.POST.get("next") or "alerts:operations")


@permission_required("alerts.operate")
def dead_letters(request: HttpRequest) -> HttpResponse:
    letters = visible_dead_letters(request.user, _region(request), request.GET.get("device_id") or None)
    page = Paginator(letters, 50).get_page(request.GET.get("page"))
    return render(request, "alerts/dead_letters.html", {"page": page})


@permission_required("alerts.operate")
def rule_list(request: HttpRequest) -> HttpResponse:
    """The rules a user may see, and a form for a new one (field errors and refusals shown on the form)."""
    form = RuleForm(request.POST or None, initial={"region": getattr(request.user, "region_id", "") or ""})
    if request.method == "POST" and form.is_valid():
        try:
            rule = rules.create_rule(request.user, form.definition())
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied:
            form.add_error("region", _("You may set rules only for your own region."))
        else:
            messages.success(request, _("Rule %(name)s saved.") % {"name": rule.name})
            return redirect("alerts:rules")
    return render(request, "alerts/rules.html", {"rules": rules.visible_rules(request.user), "form": form})
