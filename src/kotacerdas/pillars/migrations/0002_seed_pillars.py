"""Seed the six pillars and their elements (METHODOLOGY.md §6)."""

from django.db import migrations

from kotacerdas.pillars.data import seed


class Migration(migrations.Migration):
    dependencies = [("pillars", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
