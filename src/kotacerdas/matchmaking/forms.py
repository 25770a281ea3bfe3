"""Forms of the matchmaking pages: a proposal, a readiness document, an expression of interest, the
region's answer, a pipeline move, a meeting, a partner's registration, an event."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.forms import ServiceErrors
from kotacerdas.pillars.models import Pillar

from .models import MatchmakingEvent, Pipeline, ProposalDocument, Scheme, Stage

DATE = forms.DateInput(attrs={"type": "date"})


def _pillars() -> list[tuple[str, str]]:
    return [(p.key, str(p)) for p in Pillar.objects.order_by("order")]


class ProposalForm(ServiceErrors):
    initiatives = forms.TypedMultipleChoiceField(label=_("initiatives of the master plan"), coerce=int)
    title = forms.CharField(label=_("title"), max_length=200)
    scope = forms.CharField(label=_("scope"), widget=forms.Textarea(attrs={"rows": 3}))
    pillar = forms.ChoiceField(label=_("pillar"))
    sector = forms.CharField(label=_("sector"), max_length=60, help_text=_("e.g. disaster-early-warning"))
    location = forms.CharField(label=_("location"), max_length=200)
    capex_idr = forms.IntegerField(label=_("capital cost (Rp)"), min_value=1)
    opex_idr = forms.IntegerField(label=_("operating cost per year (Rp)"), min_value=0, initial=0)
    scheme = forms.ChoiceField(label=_("scheme"), choices=Scheme.choices)
    revenue_model = forms.CharField(
        label=_("expected revenue model"), widget=forms.Textarea(attrs={"rows": 2})
    )
    stage = forms.ChoiceField(label=_("KPBU stage"), choices=Stage.choices)
    contact_name = forms.CharField(label=_("contact person"), max_length=120)
    contact_email = forms.EmailField(label=_("contact email"))

    def __init__(self, *args: Any, initiatives: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["initiatives"].choices = initiatives
        self.fields["pillar"].choices = _pillars()


class DocumentForm(ServiceErrors):
    kind = forms.ChoiceField(label=_("document"), choices=ProposalDocument.Kind.choices)
    file = forms.FileField(label=_("file (PDF or image)"))


class InterestForm(ServiceErrors):
    message = forms.CharField(label=_("message to the region"), widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(ServiceErrors):
    reply = forms.CharField(label=_("reply to the partner"), required=False)


class StageForm(ServiceErrors):
    to = forms.ChoiceField(
        label=_("next stage"),
        choices=[(k, v) for k, v in Pipeline.choices if k not in ("draft", "published")],
    )
    on = forms.DateField(label=_("date"), widget=DATE)
    note = forms.CharField(label=_("note (the reason when closing)"), required=False)
    partner = forms.TypedChoiceField(label=_("partner"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, partners: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [("", "–"), *partners]


class MeetingForm(ServiceErrors):
    partner = forms.TypedChoiceField(label=_("partner"), coerce=int)
    held_on = forms.DateField(label=_("date"), widget=DATE)
    event = forms.ModelChoiceField(
        label=_("matchmaking event"), queryset=MatchmakingEvent.objects.all(), required=False
    )
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, partners: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = partners


def _codes(text: str) -> list[str]:
    return [c.strip() for c in text.replace(";", ",").split(",") if c.strip()]


class PartnerForm(ServiceErrors):
    name = forms.CharField(label=_("company name"), max_length=200)
    nib = forms.CharField(label=_("NIB (13 digits)"), max_length=20)
    npwp = forms.CharField(label=_("NPWP (15 or 16 digits)"), max_length=24)
    sectors = forms.CharField(label=_("sectors (comma-separated)"), required=False)
    pillars = forms.MultipleChoiceField(
        label=_("pillars"), required=False, widget=forms.CheckboxSelectMultiple
    )
    schemes = forms.MultipleChoiceField(
        label=_("schemes"), choices=Scheme.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    ticket_min_idr = forms.IntegerField(label=_("smallest ticket (Rp)"), min_value=0, initial=0)
    ticket_max_idr = forms.IntegerField(label=_("largest ticket (Rp)"), min_value=0, required=False)
    regions = forms.CharField(
        label=_("regions of interest (codes, comma-separated)"),
        required=False,
        help_text=_("a region (73.22) or a whole province (73); empty: anywhere"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pillars"].choices = _pillars()

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["sectors"], data["regions"] = _codes(data["sectors"]), _codes(data["regions"])
        return data


class EventForm(ServiceErrors):
    name = forms.CharField(label=_("name"), max_length=200)
    held_on = forms.DateField(label=_("date"), widget=DATE)
    place = forms.CharField(label=_("place"), max_length=200)
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
