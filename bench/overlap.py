"""Benchmark: overlap detection across the initiatives of 250 plans (≈ 15,000; issue #8 budget ≤ 5 s).

One command:  .venv/bin/python bench/overlap.py [--plans 250] [--per-plan 60]
The pure module on synthetic plans (no database yet: the matchmaking app does not exist): each initiative is
one of ~150 program themes of the six pillars, worded in one of several ways, with its region's name and a
location, so that many regions carry the same programs in different words, as real plans do. Every pair of
initiatives of different regions is a candidate (one big cluster: the worst case). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=250)
    parser.add_argument("--per-plan", type=int, default=60)
    args = parser.parse_args()
    items = synthetic(args.plans, args.per_plan)
    start = time.perf_counter()
    found = overlap.overlaps(items)
    seconds = time.perf_counter() - start
    print(f"{len(items):,} initiatives of {args.plans} plans; {found.total:,} overlapping pairs, ", end="")
    print(f"the best {len(found.pairs):,} explained\n")
    print("| step | figure | budget |\n|---|---:|---:|")
    print(f"| overlap detection (pure module) | {seconds:.2f} s | {BUDGET_S:.0f} s |")
    return 0 if seconds <= BUDGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
