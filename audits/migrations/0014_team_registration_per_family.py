# An auditor's registration is shown per audited family ("QMS: …; EMS: …"): the snapshot is longer.
# Depends on both 0010 migrations of the integration branch, so it also joins them.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0013_historical_records"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalteamassignment",
            name="registration_number",
            field=models.CharField(blank=True, editable=False, max_length=300, verbose_name="registration number"),
        ),
        migrations.AlterField(
            model_name="teamassignment",
            name="registration_number",
            field=models.CharField(blank=True, editable=False, max_length=300, verbose_name="registration number"),
        ),
    ]
