"""Forms of the region pages; validation goes through regions.profile like the import and the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .profile import MAX_YEAR, METRICS, MIN_YEAR, ProfileValueError, parse_value

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class RegionFilterForm(forms.Form):
    """Renders the filter controls; parsing is done by filters.RegionFilter."""

    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    province = forms.ChoiceField(label=_("Province"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All")), ("kabupaten", _("Kabupaten")), ("kota", _("Kota"))],
    )

    def __init__(self, *args: Any, provinces: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("All provinces")), *provinces]  # type: ignore[attr-defined]


class ProfileValueForm(forms.Form):
    """Add or replace one profile value of a region."""

    metric = forms.ChoiceField(label=_("Metric"), choices=[(k, _(m.label)) for k, m in METRICS.items()])
    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    value = forms.CharField(label=_("Value"), max_length=40)
    source = forms.CharField(label=_("Source"), max_length=300)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "metric" in data and "value" in data:
            try:
                data["number"], data["text"] = parse_value(data["metric"], data["value"])
            except ProfileValueError as exc:
                self.add_error("value", str(exc))
        return data


class ProfileImportForm(forms.Form):
    """Upload a CSV or XLSX of profile values (columns: region_code, metric, year, value, source)."""

    file = forms.FileField(label=_("CSV or XLSX file"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Only .csv and .xlsx files can be imported."))
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload
