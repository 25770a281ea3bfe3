"""kotacerdas manage build_documents: one pass of the document worker (see also `kotacerdas worker`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kotacerdas.masterplan.documents import build_pending


class Command(BaseCommand):
    help = (
        "Build every waiting master plan document (PDF/DOCX) once.\n\n"
        "Example: kotacerdas manage build_documents"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{build_pending()} documents built.")
