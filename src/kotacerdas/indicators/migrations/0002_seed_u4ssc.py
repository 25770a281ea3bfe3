"""Seed the 91 U4SSC KPIs from the packaged CSV."""

from django.db import migrations

from kotacerdas.indicators.data import seed


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial"), ("pillars", "0002_seed_pillars")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
