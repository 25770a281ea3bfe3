from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PillarsConfig(AppConfig):
    name = "kotacerdas.pillars"
    label = "pillars"
    verbose_name = _("Pillars")
