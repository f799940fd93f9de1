"""Part 十五: the verification result per system (QMS/EMS/OHSMS 验证合格 / 仍有问题) comes from the
nonconformities (``nonconformities.by_family.<FAMILY>.result``, audits/nc_selectors.py), no longer
typed by the team.

A new database gets the sources from the shipped YAML (0002 and the post_migrate loader); this
gives them to a database whose default template was loaded before, where the loader (which never
overwrites) left them empty. Only an empty source is filled: a source the CB set itself stays.
Values typed into these fields before are kept (history) but no longer printed.
"""
from django.db import migrations

PART_KEY = "corrective_action_verification"
SOURCES = {
    "qms_result": "nonconformities.by_family.QMS.result",
    "ems_result": "nonconformities.by_family.EMS.result",
    "ohsms_result": "nonconformities.by_family.OHSMS.result",
}


def set_sources(apps, schema_editor):
    TemplateField = apps.get_model("reports", "TemplateField")
    for key, source in SOURCES.items():
        TemplateField.objects.filter(part__key=PART_KEY, topic=None, key=key, type="choice", source="").update(
            source=source
        )


def clear_sources(apps, schema_editor):
    TemplateField = apps.get_model("reports", "TemplateField")
    for key, source in SOURCES.items():
        TemplateField.objects.filter(part__key=PART_KEY, topic=None, key=key, source=source).update(source="")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_reportversion_renderjob_reportnumber_and_more"),
    ]

    operations = [migrations.RunPython(set_sources, clear_sources, elidable=False)]
