"""The default readiness questionnaire (METHODOLOGY.md §4), in Bahasa Indonesia: three elements with three
sub-elements each, plus the regional head's vision and commitment; 1–5 scale; weights 30/30/30/10.

Pure data read by services.ensure_default_questionnaire(); national admins edit copies or import XLSX.
"""

from __future__ import annotations

DEFAULT_VERSION = "2024-default"
DEFAULT_TITLE = "Kuesioner kesiapan smart city (bawaan)"

# dimension key, name, weight, [(code, sub-element, question, evidence required)]
DIMENSIONS: list[tuple[str, str, float, list[tuple[str, str, str, bool]]]] = [
    (
        "struktur",
        "Struktur",
        30.0,
        [
            ("S1", "SDM", "Ketersediaan SDM TIK di perangkat daerah (jumlah dan kompetensi).", False),
            ("S2", "SDM", "Program peningkatan kapasitas aparatur untuk layanan digital.", False),
            ("S3", "Anggaran", "Alokasi APBD untuk TIK dan inovasi daerah tiga tahun terakhir.", True),
            ("S4", "Anggaran", "Kapasitas fiskal daerah dan sumber pendanaan lain (CSR, KPBU).", False),
            ("S5", "Tata kelola", "Sistem perencanaan daerah dan keselarasan dengan RPJMD.", True),
            ("S6", "Tata kelola", "Koordinasi lintas OPD untuk program smart city.", False),
        ],
    ),
    (
        "infrastruktur",
        "Infrastruktur",
        30.0,
        [
            ("I1", "Fisik", "Kondisi infrastruktur fisik pendukung (jaringan jalan, listrik, air).", False),
            (
                "I2",
                "Digital",
                "Kondisi dan pemanfaatan infrastruktur TI (jaringan, pusat data, aplikasi).",
                True,
            ),
            ("I3", "Digital", "Integrasi aplikasi dan data antar-OPD (satu data, interoperabilitas).", False),
            ("I4", "Sosial", "Kesiapan masyarakat (IPM, literasi digital, partisipasi).", False),
            ("I5", "Sosial", "Keterlibatan komunitas, perguruan tinggi dan dunia usaha.", False),
        ],
    ),
    (
        "suprastruktur",
        "Suprastruktur",
        30.0,
        [
            ("P1", "Regulasi", "Regulasi e-government/SPBE dan smart city yang berlaku.", True),
            ("P2", "Regulasi", "Implementasi regulasi tersebut dalam layanan publik.", False),
            ("P3", "Kelembagaan", "Kelembagaan pengelola (Dewan Smart City, Tim Pelaksana).", False),
            ("P4", "Implementasi", "Inovasi daerah yang sudah berjalan dan dampaknya.", True),
            ("P5", "Implementasi", "Kesesuaian kebijakan smart city dengan visi-misi daerah.", False),
        ],
    ),
    (
        "kepemimpinan",
        "Visi dan komitmen kepala daerah",
        10.0,
        [
            ("K1", "Visi", "Kejelasan visi smart city kepala daerah (paparan).", False),
            ("K2", "Komitmen", "Komitmen anggaran, kelembagaan dan waktu kepala daerah.", False),
        ],
    ),
]
