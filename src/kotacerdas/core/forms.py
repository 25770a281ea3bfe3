"""A form mixin shared by the pages: the refusals of a service shown next to their fields."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError


class ServiceErrors(forms.Form):
    """`apply(exc)` puts a service's ValidationError on the form: each message on its field when the form has
    one (or on the field `error_fields` maps it to), the rest on top of the form."""

    error_fields: Mapping[str, str] = {}

    def apply(self, exc: ValidationError) -> None:
        found = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        for field, messages in found.items():
            name = self.error_fields.get(field, field)
            target = name if name in self.fields else None
            for message in messages:
                self.add_error(target, message)
