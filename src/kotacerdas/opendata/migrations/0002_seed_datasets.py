"""The five datasets of the catalogue, published (a national admin may withdraw any)."""

from django.db import migrations

PUBLISHER = "Gerakan Menuju Smart City (kotacerdas)"
DATASETS = [
    ("wilayah-dan-kepesertaan", "regions", "Kabupaten/kota dan kepesertaan",
     "Setiap provinsi dan kabupaten/kota (kode Kemendagri) dengan koordinat dan tahun angkatan bila terpilih.",
     "irregular"),
    ("hasil-evaluasi", "evaluations", "Hasil evaluasi smart city",
     "Indeks pencapaian per daerah dan tahun: skor, tingkat kematangan, peringkat, perubahan, skor per pilar.",
     "annual"),
    ("nilai-indikator", "indicator_values", "Nilai indikator",
     "Nilai indikator U4SSC dan nasional per daerah dan tahun, dengan cara perolehan dan sumber.", "annual"),
    ("inisiatif-rencana-induk", "initiatives", "Inisiatif rencana induk yang disetujui",
     "Program dari rencana induk yang disetujui dan dipublikasikan, dengan pilar, tahun, quick win dan anggaran "
     "indikatif.", "irregular"),
    ("kpi-sensor", "sensor_kpis", "KPI dari data sensor",
     "Nilai KPI yang dihitung dari data sensor per daerah dan periode, dengan cara penghitungannya.", "daily"),
]


def seed(apps, schema_editor):
    dataset = apps.get_model("opendata", "Dataset")
    for slug, kind, title, description, frequency in DATASETS:
        dataset.objects.update_or_create(
            slug=slug,
            defaults={"kind": kind, "title": title, "description": description, "publisher": PUBLISHER,
                      "frequency": frequency, "published": True},
        )


class Migration(migrations.Migration):
    dependencies = [("opendata", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
