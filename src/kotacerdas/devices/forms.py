"""Forms of the device pages: a new service group, and a device import file."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import ServiceGroup
from .services import parse_attribute_cell


class GroupForm(forms.Form):
    entity_type = forms.CharField(label=_("entity type"), max_length=100, initial="FloodMonitoring")
    protocol = forms.ChoiceField(label=_("protocol"), choices=ServiceGroup.Protocol.choices)
    attributes = forms.CharField(
        label=_("attribute mapping"),
        required=False,
        initial="l=currentLevel:Number:MTR",
        help_text=_("object_id=name:type:unit, separated by ';'"),
    )
    autoprovision = forms.BooleanField(label=_("provision unknown devices automatically"), required=False)

    def clean_attributes(self) -> list[dict[str, object]]:
        try:
            return parse_attribute_cell(self.cleaned_data.get("attributes") or "")
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))
