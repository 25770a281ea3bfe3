# The value index keys hold a number for the attribute's name instead of its IRI (AttributeName).

import django.db.models.deletion
from django.db import migrations, models

NUMBER_NAMES = [
    "INSERT INTO context_attributename (iri) SELECT DISTINCT name_iri FROM context_attributevalue",
    """
UPDATE context_attributevalue SET name_id = (
    SELECT n.id FROM context_attributename n WHERE n.iri = context_attributevalue.name_iri
)
""",
]

NAMES_BACK = [
    """
UPDATE context_attributevalue SET name_iri = (
    SELECT n.iri FROM context_attributename n WHERE n.id = context_attributevalue.name_id
)
"""
]

INDEXES = {
    "context_value_number": ["tenant", "name", "number", "type_iri", "entity"],
    "context_value_text": ["tenant", "name", "text", "type_iri", "entity"],
    "context_value_entity": ["entity", "name", "number", "text", "boolean"],
}


def name_field(null: bool = False) -> models.ForeignKey:
    """`AttributeValue.name`: the number of the attribute's name, without a database constraint."""
    return models.ForeignKey(
        db_constraint=False,
        db_index=False,
        null=null,
        on_delete=django.db.models.deletion.DO_NOTHING,
        related_name="+",
        to="context.attributename",
    )


class Migration(migrations.Migration):

    dependencies = [
        ("context", "0004_value_rows_per_type"),
    ]

    operations = [
        migrations.CreateModel(
            name="AttributeName",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("iri", models.CharField(max_length=512, unique=True)),
            ],
        ),
        *[migrations.RemoveIndex(model_name="attributevalue", name=name) for name in INDEXES],
        migrations.RenameField(model_name="attributevalue", old_name="name", new_name="name_iri"),
        migrations.AddField(
            model_name="attributevalue",
            name="name",
            field=name_field(null=True),
        ),
        # nullable while the numbers are filled in, so that the way back can add it again before it refills it
        migrations.AlterField(
            model_name="attributevalue", name="name_iri", field=models.CharField(max_length=512, null=True)
        ),
        migrations.RunSQL(NUMBER_NAMES, NAMES_BACK),
        migrations.AlterField(
            model_name="attributevalue",
            name="name",
            field=name_field(),
        ),
        migrations.RemoveField(model_name="attributevalue", name="name_iri"),
        *[
            migrations.AddIndex(model_name="attributevalue", index=models.Index(fields=fields, name=name))
            for name, fields in INDEXES.items()
        ],
    ]
