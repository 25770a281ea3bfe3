"""Overlap detection on a hand-made cluster: IKN and its buffer regions in Kalimantan Timur."""

from __future__ import annotations

from kotacerdas.harmonisation import overlap
from kotacerdas.harmonisation.overlap import Initiative

PPU, KUKAR, BALIKPAPAN, DEPOK = "64.09", "64.02", "64.71", "32.76"
ITEMS = [
    Initiative(
        1,
        PPU,
        "environment",
        "waste",
        "ecosystem",
        "Bank sampah digital dan pengangkutan sampah terjadwal",
        "Aplikasi bank sampah untuk warga; jadwal truk sampah.",
    ),
    Initiative(
        2,
        KUKAR,
        "environment",
        "waste",
        "solution",
        "Aplikasi bank sampah warga",
        "Bank sampah digital dengan penjemputan sampah.",
    ),
    Initiative(
        3,
        BALIKPAPAN,
        "living",
        "transportation",
        "solution",
        "Integrasi angkutan umum",
        "Bus kota dan angkot dengan satu kartu.",
    ),
    Initiative(
        4,
        PPU,
        "governance",
        "public-service",
        "solution",
        "Mal pelayanan publik digital",
        "Layanan perizinan daring.",
    ),
    Initiative(5, DEPOK, "environment", "waste", "ecosystem", "Bank sampah digital", "Aplikasi bank sampah."),
    Initiative(
        6, KUKAR, "environment", "waste", "solution", "Bank sampah sekolah", "Bank sampah di sekolah."
    ),
]


def test_words_drop_filler_and_generic_program_verbs() -> None:
    assert overlap.words("Pengembangan Sistem Bank Sampah Digital di Kabupaten PPU 2025") == [
        "sistem",
        "bank",
        "sampah",
        "digital",
        "ppu",
    ]


def test_the_same_thing_in_two_cluster_regions_is_found_and_explained() -> None:
    cluster = overlap.in_cluster([PPU, KUKAR, BALIKPAPAN])
    found = overlap.overlaps(ITEMS, cluster).pairs
    pairs = {(o.a, o.b): o for o in found}
    assert (1, 2) in pairs
    best = pairs[(1, 2)]
    assert best.same == ("element", "pillar")  # layers differ
    assert "sampah" in best.shared_words and "bank" in best.shared_words
    assert best.score == round(0.7 * best.text + 0.15 + 0.10, 4)
    assert best.reasons[0].startswith("similar wording") and "same element" in best.reasons
    assert not any(5 in (o.a, o.b) for o in found)  # Depok is not in the cluster
    assert not any(3 in (o.a, o.b) or 4 in (o.a, o.b) for o in found)  # nothing alike


def test_same_region_pairs_are_not_overlaps() -> None:
    found = overlap.overlaps(ITEMS, overlap.in_cluster([KUKAR, PPU])).pairs
    assert (2, 6) not in {(o.a, o.b) for o in found}  # both in Kutai Kartanegara


def test_cosine_by_hand() -> None:
    assert overlap.cosine({"a": 0.6, "b": 0.8}, {"a": 1.0}) == 0.6
    assert overlap.cosine({"a": 1.0}, {"c": 1.0}) == 0.0


def test_joint_initiative_proposal() -> None:
    found = overlap.overlaps(ITEMS, overlap.in_cluster([PPU, KUKAR])).pairs
    pair = next(o for o in found if (o.a, o.b) == (1, 2))
    joint = overlap.joint_initiative(pair, {i.id: i for i in ITEMS})
    assert joint["title"] == "Aplikasi bank sampah warga"
    assert joint["regions"] == [KUKAR, PPU] and joint["element"] == "waste" and joint["layer"] is None


def test_total_counts_every_pair_and_limit_keeps_the_best() -> None:
    everything = overlap.overlaps(ITEMS, threshold=0.3, min_text=0.1, limit=None)
    best = overlap.overlaps(ITEMS, threshold=0.3, min_text=0.1, limit=1)
    assert best.total == everything.total == len(everything.pairs) >= 2
    assert best.pairs == everything.pairs[:1]
    assert [o.score for o in everything.pairs] == sorted((o.score for o in everything.pairs), reverse=True)
    assert overlap.overlaps(ITEMS[:1]).total == 0
