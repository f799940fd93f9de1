"""The certification records move through ``core.lifecycle`` machines (certification.lifecycle):

* certificate status changes become lifecycle events: ``decided_by`` → ``by`` and
  ``recorded_at`` → ``at`` (renamed, same data), the move's ``action`` named for the rows already
  written from their before → after;
* technical reviews and decisions get event rows of their own (they had none: no rows to add).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

STATUS_CHOICES = [("01", "Valid"), ("02", "Suspended"), ("03", "Withdrawn"), ("04", "Cancelled"), ("05", "Expired")]
# The action each certificate status change was, for rows written before events named it.
ACTIONS = {
    "": "issue",
    "02": "suspend",
    "03": "withdraw",
    "04": "cancel",
    "05": "expire",
}


def name_actions(apps, schema_editor):
    CertificateStatusChange = apps.get_model("certification", "CertificateStatusChange")
    for row in CertificateStatusChange.objects.filter(action=""):
        if not row.from_status:
            action = "issue"
        elif row.to_status == "01":
            action = "restore"
        else:
            action = ACTIONS.get(row.to_status, "move")
        CertificateStatusChange.objects.filter(pk=row.pk).update(action=action)


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0003_daily_task"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name="certificatestatuschange", old_name="decided_by", new_name="by"),
        migrations.RenameField(model_name="certificatestatuschange", old_name="recorded_at", new_name="at"),
        migrations.AlterModelOptions(
            name="certificatestatuschange",
            options={
                "ordering": ["certificate", "at", "pk"],
                "verbose_name": "certificate status change",
                "verbose_name_plural": "certificate status changes",
            },
        ),
        migrations.AlterField(
            model_name="certificatestatuschange",
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
            model_name="certificatestatuschange",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="at"),
        ),
        migrations.AddField(
            model_name="certificatestatuschange",
            name="action",
            field=models.CharField(
                choices=[
                    ("issue", "Issued"),
                    ("suspend", "Suspended"),
                    ("restore", "Restored"),
                    ("withdraw", "Withdrawn"),
                    ("cancel", "Cancelled (replaced)"),
                    ("expire", "Expired"),
                ],
                default="",
                max_length=30,
                verbose_name="action",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(name_actions, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="certificatestatuschange",
            name="from_status",
            field=models.CharField(blank=True, choices=STATUS_CHOICES, max_length=30, verbose_name="before"),
        ),
        migrations.AlterField(
            model_name="certificatestatuschange",
            name="to_status",
            field=models.CharField(choices=STATUS_CHOICES, max_length=30, verbose_name="after"),
        ),
        migrations.CreateModel(
            name="DecisionEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="at")),
                ("note", models.TextField(blank=True, verbose_name="note")),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("create", "Opened"),
                            ("evaluate", "Evaluated by the committee"),
                            ("approve", "Approved"),
                            ("not_approve", "Not approved"),
                        ],
                        max_length=30,
                        verbose_name="action",
                    ),
                ),
                (
                    "from_status",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("awaiting_evaluation", "Awaiting the committee's evaluation"),
                            ("awaiting_approval", "Awaiting approval"),
                            ("approved", "Approved"),
                            ("not_approved", "Not approved"),
                        ],
                        max_length=30,
                        verbose_name="from",
                    ),
                ),
                (
                    "to_status",
                    models.CharField(
                        choices=[
                            ("awaiting_evaluation", "Awaiting the committee's evaluation"),
                            ("awaiting_approval", "Awaiting approval"),
                            ("approved", "Approved"),
                            ("not_approved", "Not approved"),
                        ],
                        max_length=30,
                        verbose_name="to",
                    ),
                ),
                (
                    "by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="by",
                    ),
                ),
                (
                    "decision",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="certification.decision",
                        verbose_name="certification decision",
                    ),
                ),
            ],
            options={
                "verbose_name": "decision status change",
                "verbose_name_plural": "decision status changes",
                "ordering": ["at", "pk"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="TechnicalReviewEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="at")),
                ("note", models.TextField(blank=True, verbose_name="note")),
                (
                    "action",
                    models.CharField(
                        choices=[("create", "Opened"), ("pass", "Passed"), ("not_pass", "Not passed")],
                        max_length=30,
                        verbose_name="action",
                    ),
                ),
                (
                    "from_status",
                    models.CharField(
                        blank=True,
                        choices=[("open", "In review"), ("passed", "Passed"), ("not_passed", "Not passed")],
                        max_length=30,
                        verbose_name="from",
                    ),
                ),
                (
                    "to_status",
                    models.CharField(
                        choices=[("open", "In review"), ("passed", "Passed"), ("not_passed", "Not passed")],
                        max_length=30,
                        verbose_name="to",
                    ),
                ),
                (
                    "by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="by",
                    ),
                ),
                (
                    "review",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="certification.technicalreview",
                        verbose_name="technical review",
                    ),
                ),
            ],
            options={
                "verbose_name": "technical review status change",
                "verbose_name_plural": "technical review status changes",
                "ordering": ["at", "pk"],
                "abstract": False,
            },
        ),
    ]
