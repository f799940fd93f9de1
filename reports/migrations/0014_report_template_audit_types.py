"""A report template may be made for given audit types; ship the stage 1 report's template
(``auditbody/seed_data/report_template_stage_1.yaml``), which stage 1 audits use."""

from django.db import migrations, models

import reports.models.template


def load(apps, schema_editor):
    from reports.template_loader import STAGE_1_TEMPLATE_PATH, load_report_template

    load_report_template(STAGE_1_TEMPLATE_PATH, apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0013_template_topic_history_english_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="reporttemplate",
            name="audit_types",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text='Reports of these audit types use this template instead of the default, e.g. ["stage_1"]; empty: only as the default.',
                validators=[reports.models.template._validate_key_list],
                verbose_name="for audit types",
            ),
        ),
        migrations.AddField(
            model_name="historicalreporttemplate",
            name="audit_types",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text='Reports of these audit types use this template instead of the default, e.g. ["stage_1"]; empty: only as the default.',
                validators=[reports.models.template._validate_key_list],
                verbose_name="for audit types",
            ),
        ),
        migrations.RunPython(load, migrations.RunPython.noop, elidable=False),
    ]
