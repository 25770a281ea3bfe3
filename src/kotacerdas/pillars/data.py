"""The six pillars of the Gerakan Menuju Smart City and their elements (METHODOLOGY.md §6).

Pure data, read by the seeding migration and by tests. Indonesian names are the officials' words.
"""

from __future__ import annotations

# key, Indonesian name, English name, Indonesian description, English description, colour, elements
# element: key, Indonesian name, English name
PILLARS: list[tuple[str, str, str, str, str, str, list[tuple[str, str, str]]]] = [
    (
        "governance",
        "Smart Governance",
        "Smart Governance",
        "Tata kelola pemerintahan berbasis digital (e-government).",
        "Digital e-government.",
        "#1f5f8b",
        [
            ("public_service", "Pelayanan publik", "Public service"),
            ("bureaucracy", "Birokrasi", "Bureaucracy"),
            ("public_policy", "Kebijakan publik", "Public policy"),
        ],
    ),
    (
        "branding",
        "Smart Branding",
        "Smart Branding",
        "Pengembangan daerah dari potensinya untuk meningkatkan daya saing.",
        "Developing the region from its potential to raise competitiveness.",
        "#b5522b",
        [
            ("tourism", "Pariwisata", "Tourism"),
            ("business", "Bisnis", "Business"),
            ("city_appearance", "Wajah kota", "City appearance"),
        ],
    ),
    (
        "economy",
        "Smart Economy",
        "Smart Economy",
        "Kewirausahaan dan perdagangan elektronik.",
        "Entrepreneurship and e-commerce.",
        "#c99a06",
        [
            ("industry", "Ekosistem industri", "Industry ecosystem"),
            ("welfare", "Kesejahteraan rakyat", "Welfare"),
            ("financial_transactions", "Ekosistem transaksi keuangan", "Financial-transaction ecosystem"),
        ],
    ),
    (
        "society",
        "Smart Society",
        "Smart Society",
        "Pembangunan manusia, riset, serta karakter sosial dan budaya.",
        "Human development, research, social and cultural character.",
        "#7a3e9d",
        [
            ("community", "Komunitas", "Community"),
            ("learning", "Ekosistem belajar", "Learning ecosystem"),
            ("security", "Keamanan", "Security"),
        ],
    ),
    (
        "living",
        "Smart Living",
        "Smart Living",
        "Kota layak huni dengan akses pendidikan, kesehatan dan keamanan.",
        "A liveable city with access to education, health and security.",
        "#2e8b57",
        [
            ("spatial_harmony", "Harmonisasi tata wilayah", "Harmonised spatial planning"),
            ("health", "Kesehatan", "Health"),
            ("transportation", "Transportasi", "Transportation"),
        ],
    ),
    (
        "environment",
        "Smart Environment",
        "Smart Environment",
        "Pengelolaan digital lingkungan, sumber daya alam dan energi terbarukan.",
        "Digital management of environment, natural resources and renewable energy.",
        "#3b7f3b",
        [
            ("protection", "Proteksi lingkungan", "Environmental protection"),
            ("waste", "Sampah dan limbah", "Waste and sewage"),
            ("energy", "Energi", "Energy"),
        ],
    ),
]


def seed(apps: object, schema_editor: object = None) -> None:
    """Create or refresh the pillars and elements (used by migration 0002; idempotent)."""
    pillar_model = apps.get_model("pillars", "Pillar")  # type: ignore[attr-defined]
    element_model = apps.get_model("pillars", "Element")  # type: ignore[attr-defined]
    for order, (key, name_id, name_en, desc_id, desc_en, colour, elements) in enumerate(PILLARS, start=1):
        pillar, _ = pillar_model.objects.update_or_create(
            key=key,
            defaults={
                "name_id": name_id,
                "name_en": name_en,
                "description_id": desc_id,
                "description_en": desc_en,
                "colour": colour,
                "order": order,
            },
        )
        for e_order, (e_key, e_id, e_en) in enumerate(elements, start=1):
            element_model.objects.update_or_create(
                pillar=pillar, key=e_key, defaults={"name_id": e_id, "name_en": e_en, "order": e_order}
            )
