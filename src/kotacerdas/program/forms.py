"""Forms of the program pages; the rules themselves are in services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Cohort, GuidanceSession, Mou


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = [
            "year",
            "title",
            "quota_kabkota",
            "quota_provinces",
            "questionnaire",
            "invitation_opens",
            "submission_deadline",
            "selection_date",
            "guidance_starts",
            "plan_due",
            "reviewers_per_submission",
            "exclude_own_province",
            "max_per_province",
            "min_eastern",
            "candidate_weights",
            "priority_sectors",
        ]
        widgets = {
            "invitation_opens": forms.DateInput(attrs={"type": "date"}),
            "selection_date": forms.DateInput(attrs={"type": "date"}),
            "guidance_starts": forms.DateInput(attrs={"type": "date"}),
            "plan_due": forms.DateInput(attrs={"type": "date"}),
            "submission_deadline": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }


class InviteImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX with a region_code column"))


class OverrideForm(forms.Form):
    """Force a participant in or out of the selection, with the reason (audited)."""

    code = forms.CharField(label=_("Region or province code"), max_length=5)
    decision = forms.ChoiceField(label=_("Decision"), choices=[("in", _("Select")), ("out", _("Exclude"))])
    reason = forms.CharField(
        label=_("Written reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )


class MouForm(forms.ModelForm):
    class Meta:
        model = Mou
        fields = ["signed_on", "signatories", "document"]
        widgets = {
            "signed_on": forms.DateInput(attrs={"type": "date"}),
            "signatories": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_document(self) -> Any:
        document = self.cleaned_data.get("document")
        if document and hasattr(document, "size"):
            from kotacerdas.assessment.services import check_evidence_file

            check_evidence_file(document)
        return document


class SessionForm(forms.ModelForm):
    link = forms.URLField(label=_("online link"), required=False, assume_scheme="https")

    class Meta:
        model = GuidanceSession
        fields = ["kind", "title", "starts_at", "place", "link", "agenda"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "agenda": forms.Textarea(attrs={"rows": 3}),
        }


class MinutesForm(forms.ModelForm):
    class Meta:
        model = GuidanceSession
        fields = ["minutes", "held"]
        widgets = {"minutes": forms.Textarea(attrs={"rows": 6})}


class FollowUpForm(forms.Form):
    action = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.CharField(label=_("Owner"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))


class AttendeeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    opd = forms.CharField(label=_("OPD / institution"), max_length=200, required=False)
    is_mentor = forms.BooleanField(label=_("Mentor"), required=False)
