"""Demo data (also the tests' fixtures): the IKN cluster (Penajam Paser Utara, Kutai Kartanegara,
Balikpapan, Samarinda) with short illustrative approved plans whose initiatives partly overlap."""

from __future__ import annotations

from django.db import transaction

from kotacerdas.core.models import Role, User
from kotacerdas.masterplan.models import Initiative, MasterPlan, PlanStatus
from kotacerdas.pillars.models import Element

from .models import Cluster

IKN = "Ibu Kota Nusantara dan wilayah penyangga"
# region: [(pillar, element, layer, title, description)]
IKN_PLANS: dict[str, list[tuple[str, str, str, str, str]]] = {
    "64.09": [
        (
            "environment",
            "waste",
            "solution",
            "Bank sampah digital",
            "Aplikasi bank sampah dan penjemputan sampah terpilah.",
        ),
        (
            "living",
            "transportation",
            "solution",
            "Bus listrik antarkota Penajam–Balikpapan",
            "Angkutan umum listrik terjadwal ke Balikpapan.",
        ),
        (
            "governance",
            "public_service",
            "ecosystem",
            "Mal pelayanan publik terpadu",
            "Satu loket perizinan dan kependudukan.",
        ),
    ],
    "64.71": [
        (
            "environment",
            "waste",
            "solution",
            "Aplikasi bank sampah digital warga",
            "Bank sampah digital dengan penjemputan sampah terpilah.",
        ),
        (
            "living",
            "transportation",
            "infrastructure",
            "Sistem transit bus listrik Balikpapan–IKN",
            "Bus listrik dan halte pintar menuju Nusantara.",
        ),
        (
            "society",
            "learning",
            "solution",
            "Perpustakaan digital sekolah",
            "Koleksi buku digital untuk sekolah dasar.",
        ),
    ],
    "64.72": [
        (
            "environment",
            "protection",
            "infrastructure",
            "Sensor banjir Sungai Mahakam",
            "Pemantau muka air dan peringatan dini banjir.",
        ),
        (
            "living",
            "health",
            "solution",
            "Rekam medis elektronik puskesmas",
            "Rekam medis elektronik terhubung di semua puskesmas.",
        ),
    ],
    "64.02": [
        (
            "environment",
            "protection",
            "infrastructure",
            "Peringatan dini banjir Mahakam hulu",
            "Sensor muka air sungai dan peringatan dini banjir desa.",
        ),
        ("economy", "welfare", "solution", "Pasar daring UMKM", "Lokapasar produk UMKM desa."),
    ],
}


@transaction.atomic
def seed_clusters() -> dict[str, int]:
    """The IKN cluster and its members' example plans (idempotent)."""
    admin = User.objects.filter(role=Role.NATIONAL_ADMIN).order_by("pk").first()
    if admin is None or Cluster.objects.filter(name=IKN).exists():
        return {"clusters": Cluster.objects.count()}
    elements = {(e.pillar.key, e.key): e for e in Element.objects.select_related("pillar")}
    for code, rows in IKN_PLANS.items():
        if not MasterPlan.objects.filter(region_id=code, status=PlanStatus.APPROVED).exists():
            plan = MasterPlan.objects.create(
                region_id=code,
                title=f"Rencana induk smart city {code} (contoh)",
                period_start=2025,
                period_end=2034,
                status=PlanStatus.APPROVED,
                published=True,
                is_example=True,
            )
            Initiative.objects.bulk_create(
                Initiative(
                    plan=plan,
                    element=elements[(pillar, element)],
                    layer=layer,
                    title=title,
                    description=description,
                    start_year=2025,
                    end_year=2027,
                    order=order,
                )
                for order, (pillar, element, layer, title, description) in enumerate(rows)
            )
    cluster = Cluster.objects.create(
        name=IKN,
        kind=Cluster.Kind.CAPITAL,
        description="Kawasan IKN dan empat daerah penyangga di Kalimantan Timur (data contoh).",
        created_by=admin,
    )
    cluster.members.set(list(IKN_PLANS))
    return {"clusters": Cluster.objects.count()}
