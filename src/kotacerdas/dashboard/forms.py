"""The evaluation window form: year, dates, the five weights and the scale."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.monitoring import evaluation
from kotacerdas.monitoring.index import DEFAULT_WEIGHTS, DIMENSIONS
from kotacerdas.monitoring.models import EvaluationRound


class RoundForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2017, max_value=2100)
    opens_on = forms.DateField(label=_("opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("closes on"), widget=forms.DateInput(attrs={"type": "date"}))
    baseline = forms.FloatField(label=_("weight: baseline"), min_value=0, initial=DEFAULT_WEIGHTS["baseline"])
    output = forms.FloatField(label=_("weight: output"), min_value=0, initial=DEFAULT_WEIGHTS["output"])
    outcome = forms.FloatField(label=_("weight: outcome"), min_value=0, initial=DEFAULT_WEIGHTS["outcome"])
    impact = forms.FloatField(label=_("weight: impact"), min_value=0, initial=DEFAULT_WEIGHTS["impact"])
    quickwin = forms.FloatField(
        label=_("weight: quick win"), min_value=0, initial=DEFAULT_WEIGHTS["quickwin"]
    )
    scale_max = forms.FloatField(label=_("top of the scale"), min_value=0.1, initial=5.0)

    def save(self, user: Any) -> EvaluationRound:
        data = self.cleaned_data
        weights = {key: data[key] for key in DIMENSIONS}
        return evaluation.open_round(
            user, data["year"], data["opens_on"], data["closes_on"], weights, data["scale_max"]
        )
