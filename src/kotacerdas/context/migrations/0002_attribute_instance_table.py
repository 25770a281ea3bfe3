"""Create the attribute instance table with SQL of its own (partitioned by month on PostgreSQL)."""

from django.db import migrations


def create(apps, schema_editor):
    from kotacerdas.context.partitions import create_table

    with schema_editor.connection.cursor() as cursor:
        create_table(cursor, schema_editor.connection.vendor)


def drop(apps, schema_editor):
    from kotacerdas.context.partitions import drop_table

    with schema_editor.connection.cursor() as cursor:
        drop_table(cursor, schema_editor.connection.vendor)


class Migration(migrations.Migration):
    dependencies = [("context", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
