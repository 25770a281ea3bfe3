"""The device pages: service groups and devices of the regions a user provisions, a new group, and the
bulk import of devices (CSV/XLSX)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.core.permissions import permission_required, require

from . import services
from .forms import GroupForm, ImportForm
from .models import ServiceGroup


@permission_required("devices.provision")
def device_list(request: HttpRequest) -> HttpResponse:
    devices = services.visible_devices(request.user, None)
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            region = services.region_for(request.user, request.POST.get("region") or None)
            services.create_groups(request.user, region, [dict(form.cleaned_data)])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Service group created."))
            return redirect("devices:list")
    context = {
        "groups": services.visible_groups(request.user).select_related("region"),
        "devices": devices,
        "form": form,
        "import_form": ImportForm(),
        "columns": services.IMPORT_COLUMNS,
    }
    return render(request, "devices/device_list.html", context)


@require_POST
def import_devices(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(ServiceGroup, pk=pk)
    require(request.user, "devices.provision", group.region_id)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a CSV or XLSX file."))
        return redirect("devices:list")
    upload = form.cleaned_data["file"]
    try:
        created = services.import_devices(request.user, group, upload, upload.name)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(n)s devices imported.") % {"n": len(created)})
    return redirect("devices:list")
