"""Load the shipped catalogue (standards/data/*.yaml) into a fresh database.

Idempotent; it uses the historical models. See standards/shipped.py for why both this migration
and a post_migrate step load it. Data migrations of other apps that link to clauses or technical
areas should depend on this migration.
"""
from django.db import migrations


def load(apps, schema_editor):
    from standards.shipped import load_shipped_catalogue

    load_shipped_catalogue(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("standards", "0002_catalogue_import_provisional_codes"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
