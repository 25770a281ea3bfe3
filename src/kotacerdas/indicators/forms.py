"""Forms of the indicator values page: one value, or a file of values."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ValueForm(forms.Form):
    indicator = forms.CharField(label=_("indicator code"), max_length=40)
    region = forms.CharField(label=_("region code"), max_length=5)
    year = forms.IntegerField(label=_("year"))
    value = forms.CharField(label=_("value"), max_length=40)
    unit = forms.CharField(
        label=_("unit (optional, checked against the indicator)"), max_length=60, required=False
    )
    source = forms.CharField(label=_("source"), max_length=300)
    evidence = forms.FileField(label=_("evidence (PDF or image)"), required=False)


class ValueImportForm(forms.Form):
    file = forms.FileField(label=_("values (.xlsx or .csv: indicator, region, year, value, source, unit)"))
