"""Forms of the cluster pages: a cluster, a joint initiative."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.core.forms import ServiceErrors
from kotacerdas.pillars.models import Pillar

from .models import Cluster


class ClusterForm(ServiceErrors):
    name = forms.CharField(label=_("name"), max_length=200)
    kind = forms.ChoiceField(label=_("kind"), choices=Cluster.Kind.choices)
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    members = forms.CharField(
        label=_("member regions (codes, comma-separated)"), help_text=_("e.g. 64.02, 64.09, 64.71, 64.72")
    )

    def codes(self) -> list[str]:
        return [c.strip() for c in self.cleaned_data["members"].replace(";", ",").split(",") if c.strip()]


class JointForm(ServiceErrors):
    title = forms.CharField(label=_("title"), max_length=200)
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    pillar = forms.ChoiceField(label=_("pillar"))
    lead_region = forms.ChoiceField(label=_("lead region"))
    initiatives = forms.TypedMultipleChoiceField(label=_("members' initiatives it links"), coerce=int)
    reasons = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, cluster: Cluster, initiatives: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pillar"].choices = [(p.key, str(p)) for p in Pillar.objects.order_by("order")]
        self.fields["lead_region"].choices = [(r.code, r.name) for r in cluster.members.order_by("code")]
        self.fields["initiatives"].choices = initiatives
