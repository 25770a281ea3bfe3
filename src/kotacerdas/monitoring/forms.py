"""Forms of the monitoring pages: a progress report (with one realised budget line and an evidence file),
a milestone, a self-assessment, an impact survey upload, a verification."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.forms import ServiceErrors
from kotacerdas.masterplan.checks import BUDGET_SOURCES

from .models import AssessedDimension, ProgressStatus
from .services import Realised


class ProgressForm(ServiceErrors):
    error_fields = {"budget": "budget_amount"}
    reported_on = forms.DateField(
        label=_("state on (date)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    percent = forms.IntegerField(label=_("progress (%)"))
    status = forms.ChoiceField(label=_("status"), choices=ProgressStatus.choices)
    narrative = forms.CharField(label=_("what was done"), widget=forms.Textarea(attrs={"rows": 3}))
    drop_reason = forms.CharField(label=_("reason for dropping"), required=False)
    budget_year = forms.IntegerField(label=_("realised budget: year"), required=False)
    budget_source = forms.ChoiceField(
        label=_("realised budget: source"),
        required=False,
        choices=[("", "–")] + [(s, s) for s in BUDGET_SOURCES],
    )
    budget_amount = forms.IntegerField(label=_("realised budget: amount (Rp)"), required=False)
    budget_justification = forms.CharField(
        label=_("justification of spending above the plan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence = forms.FileField(label=_("evidence (PDF, image, XLSX, DOCX)"), required=False)

    def budget(self) -> list[Realised]:
        data = self.cleaned_data
        if data.get("budget_amount") is None:
            return []
        return [
            Realised(
                int(data.get("budget_year") or 0), str(data.get("budget_source") or ""), data["budget_amount"]
            )
        ]


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("milestone"), max_length=200)
    due_on = forms.DateField(label=_("due on"), widget=forms.DateInput(attrs={"type": "date"}))


class VerifyForm(forms.Form):
    note = forms.CharField(label=_("verification note"), required=False)


class SelfAssessmentForm(forms.Form):
    dimension = forms.ChoiceField(label=_("dimension"), choices=AssessedDimension.choices)
    score = forms.FloatField(label=_("score"))
    narrative = forms.CharField(label=_("evidence narrative"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("evidence (PDF or image)"), required=False)


class AssessorForm(forms.Form):
    score = forms.FloatField(label=_("verified score"))
    notes = forms.CharField(label=_("interview notes"), widget=forms.Textarea(attrs={"rows": 2}))


class SurveyUploadForm(forms.Form):
    file = forms.FileField(
        label=_("impact survey answers (.xlsx or .csv: element, program, respondent, q1…)")
    )


class SurveyAnswerForm(forms.Form):
    """One respondent's answers typed in: the same row an import would carry."""

    element = forms.ChoiceField(label=_("pillar element"))
    program = forms.CharField(label=_("program"), max_length=200)
    respondent = forms.CharField(label=_("respondent"), max_length=100)
    answers = forms.CharField(label=_("answers, 1–5, separated by commas"), max_length=200)

    def __init__(self, *args: Any, elements: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["element"].choices = list(elements)  # type: ignore[attr-defined]

    def row(self) -> dict[str, object]:
        data = self.cleaned_data
        answers = [a.strip() for a in data["answers"].split(",") if a.strip()]
        return {
            "element": data["element"],
            "program": data["program"],
            "respondent": data["respondent"],
            **{f"q{i}": a for i, a in enumerate(answers, start=1)},
        }
