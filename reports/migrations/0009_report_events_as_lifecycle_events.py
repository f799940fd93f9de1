# The report's events become core.lifecycle events: the comment is the event's note, actions are
# named by their move (create, submit, return, approve, reopen), as the audit's and the NCs' are.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# The action names rows were written with before, and the move each was.
ACTIONS = {
    "created": "create",
    "submitted": "submit",
    "returned": "return",
    "approved": "approve",
    "reopened": "reopen",
}


def name_actions_by_move(apps, schema_editor):
    ReportEvent = apps.get_model("reports", "ReportEvent")
    for old, new in ACTIONS.items():
        ReportEvent.objects.filter(action=old).update(action=new)


def name_actions_by_result(apps, schema_editor):
    ReportEvent = apps.get_model("reports", "ReportEvent")
    for old, new in ACTIONS.items():
        ReportEvent.objects.filter(action=new).update(action=old)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0008_certification_sources"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="reportevent", old_name="comment", new_name="note"),
        migrations.AlterField(
            model_name="reportevent",
            name="note",
            field=models.TextField(blank=True, verbose_name="note"),
        ),
        migrations.AlterField(
            model_name="reportevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("create", "Report started"),
                    ("submit", "Submitted to the team leader"),
                    ("return", "Returned with comments"),
                    ("approve", "Approved"),
                    ("reopen", "Reopened"),
                ],
                max_length=30,
                verbose_name="action",
            ),
        ),
        migrations.RunPython(name_actions_by_move, name_actions_by_result),
        migrations.AlterField(
            model_name="reportevent",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="at"),
        ),
        migrations.AlterField(
            model_name="reportevent",
            name="by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="by",
            ),
        ),
        migrations.AlterField(
            model_name="reportevent",
            name="from_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("draft", "Draft"),
                    ("submitted", "Submitted to the team leader"),
                    ("returned", "Returned for changes"),
                    ("approved", "Approved"),
                    ("reopened", "Reopened"),
                ],
                max_length=30,
                verbose_name="from",
            ),
        ),
        migrations.AlterField(
            model_name="reportevent",
            name="to_status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("submitted", "Submitted to the team leader"),
                    ("returned", "Returned for changes"),
                    ("approved", "Approved"),
                    ("reopened", "Reopened"),
                ],
                max_length=30,
                verbose_name="to",
            ),
        ),
        migrations.AlterModelOptions(
            name="reportevent",
            options={"ordering": ["at", "pk"], "verbose_name": "report event", "verbose_name_plural": "report events"},
        ),
    ]
