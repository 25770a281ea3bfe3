"""Benchmark: the official document of a 10-year plan with 60 initiatives (issue #4 budget ≤ 10 s each).

One command:  .venv/bin/python bench/documents.py [--database-url URL]
Builds the plan through the services (not timed), then times the PDF (WeasyPrint) and the DOCX (python-docx)
from its snapshot, as the worker does.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from common import prepare_database

BUDGET_S = 10.0


def build_plan() -> object:
    from kotacerdas.core.models import Role, User
    from kotacerdas.masterplan import services
    from kotacerdas.pillars.models import Element

    officer = User.objects.create(username="bench-officer", role=Role.REGIONAL_OFFICER, region_id="73.22")
    plan = services.create_plan(officer, "73.22", 2025, 2034, "Rencana Induk uji beban 2025–2034")
    for key, _label in plan.sections.model.KEYS:
        services.save_section(officer, plan, key, "Teks bagian rencana induk. " * 40, 1)
    elements = list(Element.objects.select_related("pillar"))
    for n in range(60):
        start = 2025 + n % 8
        services.save_initiative(
            officer,
            plan,
            services.InitiativeInput(
                element_id=elements[n % len(elements)].pk,
                layer=("infrastructure", "ecosystem", "solution")[n % 3],
                title=f"Inisiatif nomor {n + 1} untuk layanan kota",
                start_year=start,
                end_year=min(2034, start + 2),
                lead_opd="Diskominfo",
                description="Deskripsi inisiatif. " * 10,
                budget=tuple(
                    (y, ("APBD", "APBN", "KPBU")[y % 3], 250_000_000)
                    for y in range(start, min(2034, start + 2) + 1)
                ),
            ),
        )
    return plan


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    prepare_database(args.database_url)
    from kotacerdas.masterplan.services import snapshot
    from kotacerdas.reports import masterplan as report

    snap = snapshot(build_plan())
    results = {}
    for kind, builder in (("pdf", report.pdf), ("docx", report.docx)):
        start = time.perf_counter()
        data = builder(snap, False)
        results[kind] = (time.perf_counter() - start, len(data))
    print(f"10-year plan, {len(snap['initiatives'])} initiatives; {os.cpu_count()} cores\n")
    print("| document | seconds | size |\n|---|---:|---:|")
    for kind, (seconds, size) in results.items():
        print(f"| {kind.upper()} | {seconds:.2f} | {size / 1024:.0f} KiB |")
    worst = max(s for s, _ in results.values())
    print(f"\nslowest {worst:.2f} s: {'within' if worst <= BUDGET_S else 'OVER'} the {BUDGET_S:.0f} s budget")
    return 0 if worst <= BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
