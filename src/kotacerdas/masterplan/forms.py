"""Forms of the master plan pages; validation of the rules is in services.py and checks.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.indicators.models import Indicator
from kotacerdas.pillars.models import Element

from .checks import BUDGET_SOURCES
from .models import Initiative, Layer

BUDGET_ROWS = 8


class NewPlanForm(forms.Form):
    region = forms.CharField(label=_("Region code"), max_length=5)
    period_start = forms.IntegerField(label=_("First year"), min_value=2017, max_value=2100)
    period_end = forms.IntegerField(label=_("Last year"), min_value=2017, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)


class ElementChoiceField(forms.ModelChoiceField):
    """Elements labelled with their pillar: "Smart Living: Kesehatan"."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.pillar.name}: {obj.name}"


class InitiativeForm(forms.Form):
    """One initiative with up to BUDGET_ROWS budget lines; `row_version` guards against stale saves."""

    element = ElementChoiceField(label=_("Pillar element"), queryset=Element.objects.select_related("pillar"))
    layer = forms.ChoiceField(label=_("Framework layer"), choices=Layer.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    lead_opd = forms.CharField(label=_("Lead agency (OPD)"), max_length=200, required=False)
    partners = forms.CharField(label=_("Partners"), max_length=300, required=False)
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    start_year = forms.IntegerField(label=_("First year"))
    end_year = forms.IntegerField(label=_("Last year"))
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators it moves"), required=False, queryset=Indicator.objects.all()
    )
    depends_on = forms.ModelMultipleChoiceField(
        label=_("Depends on"), required=False, queryset=Initiative.objects.none()
    )
    is_quick_win = forms.BooleanField(label=_("Quick win"), required=False)
    quick_win_owner = forms.CharField(label=_("Quick-win owner (OPD)"), max_length=200, required=False)
    quick_win_deadline = forms.DateField(
        label=_("Quick-win deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    visible_effect = forms.BooleanField(label=_("Direct, visible effect on citizens"), required=False)
    rpjmd_aligned = forms.BooleanField(label=_("Aligned with the RPJMD"), required=False)
    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, plan: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["depends_on"].queryset = plan.initiatives.all()  # type: ignore[attr-defined]
        for n in range(BUDGET_ROWS):
            self.fields[f"budget_year_{n}"] = forms.IntegerField(label=_("Year"), required=False)
            self.fields[f"budget_source_{n}"] = forms.ChoiceField(
                label=_("Source"), required=False, choices=[("", "–"), *[(s, s) for s in BUDGET_SOURCES]]
            )
            self.fields[f"budget_amount_{n}"] = forms.IntegerField(label=_("Rupiah"), required=False)

    def budget(self) -> tuple[tuple[int, str, int], ...]:
        data = self.cleaned_data
        rows = []
        for n in range(BUDGET_ROWS):
            year, source, amount = (data.get(f"budget_{k}_{n}") for k in ("year", "source", "amount"))
            if year is not None and source and amount is not None:
                rows.append((year, source, amount))
            elif any(v not in (None, "") for v in (year, source, amount)):
                self.add_error(f"budget_year_{n}", _("Give the year, the source and the amount."))
        return tuple(rows)

    def budget_rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (self[f"budget_year_{n}"], self[f"budget_source_{n}"], self[f"budget_amount_{n}"])
            for n in range(BUDGET_ROWS)
        ]


def initial_for(initiative: Initiative) -> dict[str, Any]:
    initial: dict[str, Any] = {
        f: getattr(initiative, f)
        for f in (
            "layer",
            "title",
            "description",
            "lead_opd",
            "partners",
            "location",
            "start_year",
            "end_year",
            "is_quick_win",
            "quick_win_owner",
            "quick_win_deadline",
            "visible_effect",
            "rpjmd_aligned",
            "row_version",
        )
    }
    initial.update(
        element=initiative.element_id,
        indicators=list(initiative.indicators.all()),
        depends_on=list(initiative.depends_on.all()),
    )
    for n, line in enumerate(initiative.budget_lines.all()[:BUDGET_ROWS]):
        initial.update(
            {
                f"budget_year_{n}": line.year,
                f"budget_source_{n}": line.source,
                f"budget_amount_{n}": line.amount,
            }
        )
    return initial
