"""The indicator values page: the values of a region (or all), entering one value, importing a file."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from pydantic import ValidationError as PydanticError

from kotacerdas.core.permissions import permission_required
from kotacerdas.core.tabular import TabularError, read_rows

from . import values
from .filters import ValueFilter
from .forms import ValueForm, ValueImportForm
from .models import Indicator, IndicatorValue


@permission_required("indicators.enter")
def value_list(request: HttpRequest) -> HttpResponse:
    """Values filtered like GET /api/indicators/values (indicator, region, year); enter one value."""
    form = ValueForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        indicator = Indicator.objects.filter(code=data["indicator"]).first()
        try:
            if indicator is None:
                raise ValidationError(
                    {"indicator": [_("There is no indicator with that code in the catalogue.")]}
                )
            values.enter_value(
                request.user,
                indicator,
                data["region"],
                data["year"],
                data["value"],
                data["source"],
                data["unit"] or None,
                request.FILES.get("evidence"),
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("indicator" if indicator is None else "value", message)
        else:
            messages.success(request, _("The value is saved."))
            return redirect(request.get_full_path())
    rows = IndicatorValue.objects.select_related("indicator", "region").order_by("-year", "indicator__code")
    try:
        filters = ValueFilter.model_validate({k: v for k, v in request.GET.items() if v and k != "page"})
    except PydanticError:
        filters = ValueFilter()
        messages.error(request, _("Some filters are not valid:") + " " + request.GET.urlencode())
    rows = filters.filter(rows)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {"form": form, "import_form": ValueImportForm(), "page": page}
    return render(request, "indicators/values.html", context, status=400 if form.errors else 200)


@require_POST
@permission_required("indicators.enter")
def value_import(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file."))
        return redirect("indicators:values")
    try:
        result = values.import_values(request.user, read_rows(upload, upload.name or ""))
    except TabularError as exc:
        messages.error(request, str(exc))
        return redirect("indicators:values")
    for error in result.errors:
        messages.error(request, error)
    if not result.errors:
        messages.success(request, _("%(count)d values are stored.") % {"count": result.stored})
    return redirect("indicators:values")
