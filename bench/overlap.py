"""Benchmark: overlap detection across the initiatives of 250 plans (≈ 15,000; issue #8 budget ≤ 5 s).

One command:  .venv/bin/python bench/overlap.py [--plans 250] [--per-plan 60] [--database-url URL]
Synthetic plans: each initiative is one of 30 program themes of the six pillars, worded in one of several
ways, with its region's name and a location, so that many regions carry the same programs in different words,
as real plans do. Every pair of initiatives of different regions is a candidate (one cluster of all 250
regions: the worst case). Times the pure module alone, then the same plans stored as approved master plans
of 250 real kab/kota on a fresh database (SQLite file by default): the service (reading the initiatives,
detecting, explaining the best 1,000) and GET /api/clusters/{id}/overlaps. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from common import prepare_database  # noqa: E402  (bench/ is run as a script folder)

from kotacerdas.harmonisation import overlap  # noqa: E402

BUDGET_S = 5.0
PILLARS = {
    "governance": ["layanan perizinan", "satu data", "e-budgeting", "pengaduan warga", "arsip elektronik"],
    "branding": ["promosi wisata", "festival budaya", "produk unggulan", "desa wisata", "ruang kreatif"],
    "economy": [
        "pasar digital",
        "umkm daring",
        "retribusi nontunai",
        "koperasi digital",
        "pelatihan wirausaha",
    ],
    "society": ["literasi digital", "sekolah daring", "relawan bencana", "perpustakaan digital", "posyandu"],
    "living": ["angkutan umum", "telemedisin", "parkir elektronik", "penerangan jalan", "air minum"],
    "environment": [
        "bank sampah",
        "peringatan dini banjir",
        "kualitas udara",
        "ruang terbuka hijau",
        "limbah",
    ],
}
FORMS = [
    "Aplikasi {t} {place}",
    "Sistem {t} terintegrasi",
    "{t} berbasis sensor di {place}",
    "Layanan {t} warga",
    "Platform {t} untuk {place}",
    "Digitalisasi {t}",
]
EXTRA = ["kecamatan", "kelurahan", "desa", "pusat", "pesisir", "pegunungan", "sungai", "pasar", "terminal"]
LAYERS = ["infrastructure", "ecosystem", "solution"]


def synthetic(plans: int, per_plan: int, seed: int = 7) -> list[overlap.Initiative]:
    rng = random.Random(seed)
    themes = [(p, t, f"{t.split()[0]}-{i}") for p, ts in PILLARS.items() for i, t in enumerate(ts)]
    items = []
    for plan in range(plans):
        region = f"{10 + plan // 20}.{plan % 20 + 1:02d}"
        place = f"wilayah{plan}"
        for k in range(per_plan):
            pillar, theme, element = rng.choice(themes)
            title = rng.choice(FORMS).format(t=theme, place=place)
            description = f"{theme} {rng.choice(EXTRA)} {rng.choice(EXTRA)} tahap {k % 5 + 1}"
            items.append(
                overlap.Initiative(
                    len(items) + 1, region, pillar, element, rng.choice(LAYERS), title, description
                )
            )
    return items


def store(items: list[overlap.Initiative]) -> int:
    """The synthetic initiatives as approved plans of real regions, and one cluster of all of them."""
    from kotacerdas.core.models import Role, User
    from kotacerdas.harmonisation.models import Cluster
    from kotacerdas.masterplan.models import Initiative, MasterPlan, PlanStatus
    from kotacerdas.pillars.models import Element
    from kotacerdas.regions.models import Region

    admin = User.objects.create(username="bench-admin", role=Role.NATIONAL_ADMIN)
    codes = list(Region.objects.order_by("code").values_list("code", flat=True))
    synthetic_regions = sorted({i.region for i in items})
    real = dict(zip(synthetic_regions, codes, strict=False))
    plans = {
        code: MasterPlan.objects.create(
            region_id=code, title="bench", period_start=2025, period_end=2034, status=PlanStatus.APPROVED
        )
        for code in real.values()
    }
    elements = list(Element.objects.select_related("pillar"))
    by_pillar = {p: [e for e in elements if e.pillar.key == p] for p in PILLARS}
    Initiative.objects.bulk_create(
        (
            Initiative(
                plan=plans[real[i.region]],
                element=by_pillar[i.pillar][int(i.element.rsplit("-", 1)[1]) % len(by_pillar[i.pillar])],
                layer=i.layer,
                title=i.title,
                description=i.description,
                start_year=2025,
                end_year=2027,
            )
            for i in items
        ),
        batch_size=2000,
    )
    cluster = Cluster.objects.create(name="bench", created_by=admin)
    cluster.members.set(list(plans))
    return cluster.pk


def timed(action: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=250)
    parser.add_argument("--per-plan", type=int, default=60)
    parser.add_argument("--database-url", help="e.g. postgresql://... (default: a fresh SQLite file)")
    args = parser.parse_args()
    items = synthetic(args.plans, args.per_plan)
    pure, found = timed(lambda: overlap.overlaps(items))
    prepare_database(args.database_url)
    from django.db import connection
    from django.test import Client

    from kotacerdas.harmonisation import services
    from kotacerdas.harmonisation.models import Cluster

    cluster = Cluster.objects.get(pk=store(items))
    service, (total, pairs) = timed(lambda: services.cluster_overlaps(cluster, limit=1000))
    client = Client()
    api, response = timed(lambda: client.get(f"/api/clusters/{cluster.pk}/overlaps?limit=1000"))
    assert response.status_code == 200 and response.json()["count"] == total
    print(
        f"{len(items):,} initiatives of {args.plans} plans ({connection.vendor}, {os.cpu_count()} cores); ",
        end="",
    )
    print(f"{found.total:,} overlapping pairs, the best {len(pairs):,} explained\n")
    print("| step | figure | budget |\n|---|---:|---:|")
    print(f"| overlap detection (pure module) | {pure:.2f} s | {BUDGET_S:.0f} s |")
    print(f"| cluster overlaps (service: read, detect, explain 1,000) | {service:.2f} s | {BUDGET_S:.0f} s |")
    print(f"| GET /api/clusters/{{id}}/overlaps?limit=1000 | {api:.2f} s | {BUDGET_S:.0f} s |")
    return 0 if max(pure, service, api) <= BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
