"""The alert rule form: the common fields of a rule; every other option is in the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AlertRule

LEVEL_NAMES = ("Waspada", "Siaga", "Awas")


class RuleForm(forms.Form):
    """Name, what it watches, the kind, thresholds per level (numbers or entity attributes), damping,
    escalation and channels. `definition()` gives the data `rules.create_rule` takes."""

    name = forms.CharField(label=_("name"), max_length=200)
    region = forms.CharField(label=_("region code (empty: every region)"), max_length=5, required=False)
    entity_type = forms.CharField(label=_("entity type"), max_length=100, initial="FloodMonitoring")
    attribute = forms.CharField(label=_("attribute"), max_length=100, initial="currentLevel")
    kind = forms.ChoiceField(
        label=_("kind"), choices=[c for c in AlertRule.Kind.choices if c[0] not in ("all", "any")]
    )
    waspada = forms.FloatField(label="Waspada", required=False)
    siaga = forms.FloatField(label="Siaga", required=False)
    awas = forms.FloatField(label="Awas", required=False)
    siaga_attribute = forms.CharField(
        label=_("Siaga from the entity's attribute"), required=False, initial="alertLevel"
    )
    awas_attribute = forms.CharField(
        label=_("Awas from the entity's attribute"), required=False, initial="dangerLevel"
    )
    hysteresis = forms.FloatField(label=_("hysteresis"), required=False, min_value=0)
    debounce_count = forms.IntegerField(label=_("consecutive readings"), required=False, min_value=1)
    window_seconds = forms.IntegerField(label=_("window (seconds)"), required=False, min_value=1)
    stale_seconds = forms.IntegerField(label=_("no data for (seconds)"), required=False, min_value=1)
    escalate_after_minutes = forms.IntegerField(
        label=_("escalate after (minutes)"), required=False, min_value=1
    )
    webhook = forms.URLField(label=_("webhook URL"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("email"), required=False)
    inapp = forms.BooleanField(label=_("notify in the app"), required=False, initial=True)

    def definition(self) -> dict[str, Any]:
        data = self.cleaned_data
        levels = {name: data[name.lower()] for name in LEVEL_NAMES if data.get(name.lower()) is not None}
        from_entity = {
            name: data[f"{name.lower()}_attribute"]
            for name in ("Siaga", "Awas")
            if data.get(f"{name.lower()}_attribute")
        }
        channels: list[dict[str, Any]] = []
        if data.get("webhook"):
            channels.append({"kind": "webhook", "url": data["webhook"]})
        if data.get("email"):
            channels.append({"kind": "email", "to": [data["email"]]})
        if data.get("inapp"):
            channels.append({"kind": "inapp"})
        definition: dict[str, Any] = {
            "name": data["name"],
            "region": data.get("region") or None,
            "entity_type": data["entity_type"],
            "attribute": data["attribute"],
            "kind": data["kind"],
            "thresholds": levels,
            "level_attributes": from_entity if data["kind"] == "threshold" else {},
            "channels": channels,
        }
        if data["kind"] == "stale":
            definition["severity"] = 1
        for name in (
            "hysteresis",
            "debounce_count",
            "window_seconds",
            "stale_seconds",
            "escalate_after_minutes",
        ):
            if data.get(name) is not None:
                definition[name] = data[name]
        return definition
