"""kotacerdas manage send_deadline_reminders: remind regions of an approaching assessment deadline."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kotacerdas.assessment.services import deadline_reminders


class Command(BaseCommand):
    help = (
        "Notify (in-app and by email) the officers of every unsubmitted readiness assessment 7 days and "
        "1 day "
        "before the deadline; each reminder is sent once. Run it daily (cron or a systemd timer).\n\n"
        "Example: kotacerdas manage send_deadline_reminders"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{deadline_reminders()} reminders sent.")
