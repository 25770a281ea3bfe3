"""Drop NGSI-LD attribute history older than the retention period."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from kotacerdas.context.partitions import prune


class Command(BaseCommand):
    help = "Remove history older than KOTACERDAS_NGSI_LD_RETENTION_MONTHS (or --months) whole months."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--months", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        months = options["months"] if options["months"] is not None else settings.NGSI_LD_RETENTION_MONTHS
        removed = prune(months)
        self.stdout.write(f"history older than {months} months removed ({removed} partitions/rows)")
