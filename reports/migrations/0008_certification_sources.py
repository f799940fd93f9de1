"""Part 十七: the committee's remarks come from the certification decision
(``decision.remarks``: differences from the closing-meeting conclusion, then other remarks;
certification/selectors.py ``report_facts``), no longer typed into the report. Part 十六's fields
already name their sources (``decision.review_conclusion`` …) in the shipped YAML.

A new database gets the source from the YAML (0002 and the post_migrate loader); this gives it to
a database whose default template was loaded before, where the loader (which never overwrites)
left it empty. Only an empty source is filled (part 十六's too, should one be empty): a source the
CB set itself stays. Text typed into part 十七 before is kept (history) but no longer printed.
"""
from django.db import migrations

SOURCES = {
    ("certification_decision", "committee_conclusion"): "decision.review_conclusion",
    ("certification_decision", "committee_reviewer"): "decision.reviewer",
    ("certification_decision", "committee_date"): "decision.reviewed_on",
    ("certification_decision", "approval_conclusion"): "decision.approval_conclusion",
    ("certification_decision", "approver"): "decision.approver",
    ("certification_decision", "approval_date"): "decision.approved_on",
    ("committee_remarks", "remarks"): "decision.remarks",
}


def set_sources(apps, schema_editor):
    TemplateField = apps.get_model("reports", "TemplateField")
    for (part_key, key), source in SOURCES.items():
        TemplateField.objects.filter(part__key=part_key, topic=None, key=key, source="").update(source=source)


def clear_sources(apps, schema_editor):
    TemplateField = apps.get_model("reports", "TemplateField")
    TemplateField.objects.filter(part__key="committee_remarks", topic=None, key="remarks", source="decision.remarks").update(
        source=""
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0007_report_language"),
    ]

    operations = [migrations.RunPython(set_sources, clear_sources, elidable=False)]
