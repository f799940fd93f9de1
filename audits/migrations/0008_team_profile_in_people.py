"""The auditor profile moved from accounts to people with its table (people 0001): only the
state of the team's foreign keys changes; the columns and their constraints stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audits', '0007_findings_moved_to_findings_app'),
        ('people', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='historicalteamassignment',
                    name='profile',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='people.auditorprofile', verbose_name='auditor'),
                ),
                migrations.AlterField(
                    model_name='teamassignment',
                    name='profile',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='team_assignments', to='people.auditorprofile', verbose_name='auditor'),
                ),
            ],
            database_operations=[],
        ),
    ]
