from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HarmonisationConfig(AppConfig):
    name = "kotacerdas.harmonisation"
    label = "harmonisation"
    verbose_name = _("Harmonisation across regions")
