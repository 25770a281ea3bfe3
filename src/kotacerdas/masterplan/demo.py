"""Demo master plans (idempotent): Kabupaten Luwu Utara's approved plan, and a draft of Kota Depok.

Luwu Utara's focus follows METHODOLOGY.md §1 (smart environment, living and economy around three rivers after
a flash flood; ICT infrastructure, an early warning system, digital literacy). The initiatives, budgets and
targets are illustrative examples, labelled as such.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from kotacerdas.core.models import Role, User
from kotacerdas.indicators.models import Indicator
from kotacerdas.pillars.models import Element

from . import services
from .models import MasterPlan, PlanStatus

M = 1_000_000  # rupiah
# pillar, element, layer, title, OPD, first, last, budget per year (APBD unless noted), quick win
LUWU_UTARA = [
    (
        "environment",
        "protection",
        "infrastructure",
        "Stasiun pemantau muka air Sungai Masamba, Rongkong dan Radda",
        "BPBD",
        2023,
        2024,
        [(2023, "APBD", 1_200 * M), (2024, "DAK", 800 * M)],
        True,
    ),
    (
        "environment",
        "protection",
        "solution",
        "Sistem peringatan dini banjir bandang berbasis sensor",
        "BPBD",
        2023,
        2025,
        [(2023, "APBD", 600 * M), (2024, "APBN", 900 * M), (2025, "APBD", 300 * M)],
        False,
    ),
    (
        "environment",
        "waste",
        "ecosystem",
        "Pengelolaan sampah terpadu berbasis aplikasi bank sampah",
        "DLH",
        2024,
        2027,
        [(2024, "APBD", 250 * M), (2025, "CSR", 150 * M)],
        False,
    ),
    (
        "living",
        "spatial_harmony",
        "ecosystem",
        "Peta rawan bencana terintegrasi dengan RTRW",
        "Bappelitbangda",
        2023,
        2024,
        [(2023, "APBD", 400 * M)],
        False,
    ),
    (
        "living",
        "health",
        "solution",
        "Layanan kesehatan darurat pascabencana terhubung",
        "Dinas Kesehatan",
        2024,
        2026,
        [(2024, "APBD", 350 * M), (2025, "APBD", 350 * M)],
        False,
    ),
    (
        "living",
        "transportation",
        "infrastructure",
        "Jalur evakuasi dengan penanda digital",
        "Dinas PUPR",
        2024,
        2028,
        [(2025, "KPBU", 5_000 * M)],
        False,
    ),
    (
        "economy",
        "welfare",
        "solution",
        "Pasar daring hasil pertanian dan kakao Luwu Utara",
        "Dinas Koperasi",
        2023,
        2024,
        [(2023, "APBD", 300 * M), (2024, "private", 200 * M)],
        True,
    ),
    (
        "economy",
        "financial_transactions",
        "ecosystem",
        "Retribusi dan pajak daerah nontunai",
        "Bapenda",
        2024,
        2026,
        [(2024, "APBD", 450 * M)],
        False,
    ),
    (
        "governance",
        "public_service",
        "solution",
        "Mal pelayanan publik digital",
        "DPMPTSP",
        2023,
        2024,
        [(2023, "APBD", 700 * M)],
        True,
    ),
    (
        "governance",
        "public_policy",
        "ecosystem",
        "Satu data Luwu Utara untuk perencanaan",
        "Diskominfo",
        2024,
        2027,
        [(2024, "APBD", 300 * M), (2026, "APBN", 300 * M)],
        False,
    ),
    (
        "society",
        "learning",
        "solution",
        "Literasi digital masyarakat desa rawan bencana",
        "Diskominfo",
        2023,
        2024,
        [(2023, "APBD", 200 * M)],
        True,
    ),
    (
        "society",
        "security",
        "ecosystem",
        "Relawan siaga bencana terhubung aplikasi",
        "BPBD",
        2024,
        2026,
        [(2024, "CSR", 120 * M)],
        False,
    ),
    (
        "branding",
        "tourism",
        "solution",
        "Promosi wisata arung jeram Sungai Rongkong",
        "Dinas Pariwisata",
        2025,
        2028,
        [(2025, "APBD", 250 * M)],
        False,
    ),
    (
        "branding",
        "city_appearance",
        "infrastructure",
        "Ruang publik tepian sungai dengan Wi-Fi publik",
        "Dinas PUPR",
        2026,
        2030,
        [(2026, "DAK", 1_500 * M)],
        False,
    ),
]
SECTIONS = {
    "profile": "Kabupaten Luwu Utara (73.22), Sulawesi Selatan; ibu kota Masamba. Contoh data demo.",
    "issues": "Banjir bandang Juli 2020 di Masamba; tiga sungai rawan: Masamba, Rongkong, Radda.",
    "potentials": "Pertanian kakao, perkebunan, wisata alam sungai.",
    "swot": "S: sumber daya alam; W: rawan bencana; O: dukungan program nasional; T: perubahan iklim.",
    "rpjmd_alignment": "Sejalan dengan misi RPJMD tentang ketangguhan bencana dan ekonomi kerakyatan.",
    "national_alignment": "Mendukung prioritas nasional pengurangan risiko bencana dan transformasi digital.",
    "vision": "Luwu Utara cerdas, tangguh bencana dan sejahtera.",
    "mission": "Memanfaatkan data dan teknologi digital untuk keselamatan warga dan ekonomi lokal.",
    "enablers": "Jaringan serat optik ibu kota kabupaten; pusat data Diskominfo; Tim Pelaksana Smart City.",
    "risks": "Ketersediaan anggaran; pemeliharaan sensor di lapangan; konektivitas desa.",
}
TARGETS = [  # pillar, indicator code, baseline year, baseline, {year: target}
    ("environment", "SC: SH: SA: 1C", 2020, 12.0, {2025: 2.0, 2030: 1.0}),
    ("society", "EC: ICT: ICT: 1C", 2022, 52.0, {2024: 60.0, 2027: 75.0, 2032: 90.0}),
]


def _officer(region: str, username: str) -> User:
    user, _ = User.objects.get_or_create(
        username=username, defaults={"role": Role.REGIONAL_OFFICER, "region_id": region}
    )
    return user


@transaction.atomic
def seed_plans() -> dict[str, int]:
    if not MasterPlan.objects.filter(region_id="73.22", is_example=True).exists():
        _luwu_utara()
    if not MasterPlan.objects.filter(region_id="32.76", is_example=True).exists():
        _depok_draft()
    return {"plans": MasterPlan.objects.count()}


def _fill(plan: MasterPlan, officer: User, rows: list[tuple]) -> None:  # type: ignore[type-arg]
    for key, content in SECTIONS.items():
        services.save_section(officer, plan, key, content, 1)
    for pillar in {r[0] for r in rows}:
        services.save_goal(officer, plan, pillar, f"Tujuan {pillar}: contoh.", "", 1)
    elements = {(e.pillar.key, e.key): e.pk for e in Element.objects.select_related("pillar")}
    for pillar, element, layer, title, opd, first, last, budget, quick in rows:
        services.save_initiative(
            officer,
            plan,
            services.InitiativeInput(
                element_id=elements[(pillar, element)],
                layer=layer,
                title=title,
                start_year=first,
                end_year=last,
                lead_opd=opd,
                budget=tuple(budget),
                is_quick_win=quick,
                quick_win_owner=opd if quick else "",
                quick_win_deadline=date(last, 12, 31) if quick else None,
                visible_effect=quick,
                rpjmd_aligned=True,
                description="Contoh inisiatif (data demo).",
            ),
        )


def _profile_examples() -> None:
    """Example profile values of Luwu Utara (illustrative), so the plan's profile has registry data."""
    from kotacerdas.regions.models import ProfileFact

    for metric, number, text in (
        ("population", 322_919, ""),
        ("area_km2", 7_502.58, ""),
        ("fiscal_capacity", None, "rendah"),
    ):
        ProfileFact.objects.get_or_create(
            region_id="73.22",
            metric=metric,
            year=2023,
            defaults={"value_number": number, "value_text": text, "source": "Contoh data demo"},
        )


def _luwu_utara() -> None:
    _profile_examples()
    officer = _officer("73.22", "officer")
    admin = User.objects.filter(role=Role.NATIONAL_ADMIN).first() or User.objects.create(
        username="demo-admin", role=Role.NATIONAL_ADMIN
    )
    from kotacerdas.program.models import Participation

    plan = services.create_plan(
        admin, "73.22", 2023, 2032, "Rencana Induk Smart City Kabupaten Luwu Utara 2023–2032 (contoh)"
    )
    plan.is_example = True
    plan.participation = Participation.objects.filter(cohort__year=2022, region_id="73.22").first()
    plan.save()
    _fill(plan, officer, LUWU_UTARA)
    first = plan.initiatives.order_by("order").first()
    plan.initiatives.filter(title__startswith="Sistem peringatan dini").first().depends_on.add(first)
    for pillar, code, year, base, yearly in TARGETS:
        goal = plan.goals.get(pillar__key=pillar)
        indicator = Indicator.objects.filter(code=code).first()
        if indicator:
            goal.targets.create(
                indicator=indicator,
                baseline_year=year,
                baseline_value=base,
                yearly={str(k): v for k, v in yearly.items()},
            )
    services.submit_plan(officer, plan)
    services.approve(admin, plan)


def _depok_draft() -> None:
    officer = _officer("32.76", "officer-depok")
    admin = User.objects.filter(role=Role.NATIONAL_ADMIN).first()
    plan = services.create_plan(
        admin or officer, "32.76", 2026, 2035, "Rencana Induk Smart City Kota Depok 2026–2035 (draf contoh)"
    )
    plan.is_example = True
    plan.save()
    services.save_section(officer, plan, "vision", "Depok kota cerdas yang nyaman dan religius (contoh).", 1)
    elements = {(e.pillar.key, e.key): e.pk for e in Element.objects.select_related("pillar")}
    services.save_initiative(
        officer,
        plan,
        services.InitiativeInput(
            element_id=elements[("living", "transportation")],
            layer="solution",
            title="Integrasi angkutan umum",
            start_year=2026,
            end_year=2028,
            lead_opd="Dinas Perhubungan",
            budget=((2026, "APBD", 500 * M),),
        ),
    )
    assert plan.status == PlanStatus.DRAFT
