"""Ship the seed report's template (parts 一 … 十九, 43 topics) as the default template.

A data migration, not only a seed step, because the default template is product data every
database needs (production included), not demo data: it must exist before the first report is
created, without anyone remembering a command. It runs after the standards' clause headings are
loaded so the topics' clause links resolve. The loader is idempotent and never overwrites the
CB's edits; ``manage.py load_report_template`` runs it again (``--reset`` restores the shipped
text).
"""
from django.db import migrations


def load(apps, schema_editor):
    from reports.template_loader import load_report_template

    load_report_template(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("standards", "0003_load_shipped_catalogue"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
