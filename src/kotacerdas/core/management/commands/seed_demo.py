"""kotacerdas manage seed_demo: load the demo data set (idempotent); prints the demo logins."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from kotacerdas.context.demo import seed_context
from kotacerdas.core.demo import seed_demo_users
from kotacerdas.devices.demo import seed_flood_scenario
from kotacerdas.harmonisation.demo import seed_clusters
from kotacerdas.masterplan.demo import seed_plans
from kotacerdas.matchmaking.demo import seed_matchmaking
from kotacerdas.monitoring.demo import seed_evaluation
from kotacerdas.program.demo import seed_program


class Command(BaseCommand):
    help = (
        "Load the demo data set: the region registry and one account per role (fresh passwords each run). "
        "Idempotent.\n\nExample: kotacerdas manage seed_demo"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("import_regions", no_progress=options["no_progress"], stdout=self.stdout)
        logins = seed_demo_users()
        counts = seed_program()
        plans = seed_plans()
        seed_context()
        readings = seed_flood_scenario()
        evaluated = seed_evaluation()
        proposals = seed_matchmaking()
        clusters = seed_clusters()
        self.stdout.write(
            f"{counts['cohorts']} cohorts (examples), {counts['participations']} participations, "
            f"{plans['plans']} master plans, {readings} new river-gauge readings (Luwu Utara), "
            f"{evaluated['regions']} regions with illustrative evaluation data, "
            f"{proposals['proposals']} KPBU proposals, {clusters['clusters']} cluster(s) of regions."
        )
        self.stdout.write("Demo logins (role: username / password):")
        for login in logins:
            self.stdout.write(f"  {login.role:18} {login.username:13} / {login.password}")
