from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContextConfig(AppConfig):
    name = "kotacerdas.context"
    label = "context"
    verbose_name = _("City context data (NGSI-LD)")

    def ready(self) -> None:
        from django.conf import settings

        from . import jsonld
        from .services import cached_context

        jsonld.configure(cached_context, settings.NGSI_LD_CONTEXT_TIMEOUT)
