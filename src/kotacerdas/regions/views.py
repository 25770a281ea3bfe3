"""Region registry pages; thin: they call services and render (full page, or a fragment for htmx)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig
from pydantic import ValidationError

from kotacerdas.core import permissions
from kotacerdas.core.permissions import permission_required
from kotacerdas.core.tabular import TabularError, read_rows
from kotacerdas.program.services import region_history

from . import services
from .filters import RegionFilter
from .forms import ProfileImportForm, ProfileValueForm, RegionFilterForm
from .models import ProfileFact, Region
from .profile import METRICS
from .services import PROFILE_COLUMNS, ProfileInput
from .tables import RegionTable


def _parse_filters(request: HttpRequest) -> tuple[RegionFilter | None, list[str]]:
    try:
        return RegionFilter.model_validate(request.GET.dict()), []
    except ValidationError as exc:
        return None, [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]


def region_list(request: HttpRequest) -> HttpResponse:
    """All kabupaten/kota, filterable by province, kind and name; htmx requests get the table only."""
    filters, errors = _parse_filters(request)
    regions = services.list_regions(filters) if filters else Region.objects.none()
    table = RegionTable(regions)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    provinces = list(services.list_provinces().values_list("code", "name"))
    context = {
        "table": table,
        "filter_errors": errors,
        "form": RegionFilterForm(request.GET or None, provinces=provinces),
        "api_url": "/api/regions?" + request.GET.urlencode(),
        "can_import": permissions.can(request.user, "regions.import"),
    }
    template = "regions/_region_table.html" if request.htmx else "regions/region_list.html"
    return render(request, template, context, status=400 if errors else 200)


def _region_or_404(code: str) -> Region:
    try:
        return services.get_region(code)
    except Region.DoesNotExist as exc:
        raise Http404(_("No region has the code %(code)s.") % {"code": code}) from exc


def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A region's page: code, kind, province, coordinates and profile (editable by national admins)."""
    region = _region_or_404(code)
    can_edit = permissions.can(request.user, "regions.edit_profile")
    context = {
        "region": region,
        "profile": services.region_profile(region),
        "can_edit": can_edit,
        "form": ProfileValueForm() if can_edit else None,
        "history": region_history(
            region, public_only=not permissions.can(request.user, "program.view_funnel")
        ),
    }
    return render(request, "regions/region_detail.html", context)


@require_POST
@permission_required("regions.edit_profile")
def profile_value_save(request: HttpRequest, code: str) -> HttpResponse:
    """Add or replace one profile value; errors re-render the page with field errors."""
    region = _region_or_404(code)
    form = ProfileValueForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        item = ProfileInput(
            region.code, data["metric"], data["year"], data["number"], data["text"], data["source"]
        )
        services.save_profile_values(request.user, [item])
        messages.success(request, _("Profile value saved."))
        return redirect(region)
    context = {
        "region": region,
        "profile": services.region_profile(region),
        "can_edit": True,
        "form": form,
        "history": region_history(region),
    }
    return render(request, "regions/region_detail.html", context, status=400)


@require_POST
@permission_required("regions.edit_profile")
def profile_value_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    fact = ProfileFact.objects.filter(region_id=code, pk=pk).first()
    if fact is None:
        raise Http404(_("No such profile value."))
    services.delete_profile_value(request.user, fact)
    messages.success(request, _("Profile value deleted."))
    return redirect("regions:detail", code=code)


@permission_required("regions.import")
def profile_import(request: HttpRequest) -> HttpResponse:
    """Upload profile values from CSV/XLSX: every bad row is reported and nothing is written."""
    form = ProfileImportForm(request.POST or None, request.FILES or None)
    report = None
    file_error = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.import_profile_rows(request.user, read_rows(upload, upload.name))
        except TabularError as exc:
            file_error = str(exc)
        if report and report.ok:
            messages.success(request, _("%(n)d profile values imported.") % {"n": report.saved})
            return redirect("regions:import")
    context = {
        "form": form,
        "report": report,
        "file_error": file_error,
        "columns": PROFILE_COLUMNS,
        "metrics": METRICS,
    }
    status = 400 if (file_error or (report and not report.ok) or form.errors) else 200
    return render(request, "regions/profile_import.html", context, status=status)
