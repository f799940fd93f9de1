"""The auditor-profile models now live in the people app (people 0001 takes them over with their
tables). State only: nothing is dropped from the database."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_auditor_profile'),
        ('people', '0001_initial'),
        # Foreign keys to the profile must point at people's model before accounts' goes.
        ('audits', '0008_team_profile_in_people'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='HistoricalAuditorProfile_technical_areas'),
                migrations.DeleteModel(name='HistoricalQualification'),
                migrations.DeleteModel(name='HistoricalConflictOfInterest'),
                migrations.DeleteModel(name='HistoricalAuditorProfile'),
                migrations.DeleteModel(name='Qualification'),
                migrations.DeleteModel(name='ConflictOfInterest'),
                migrations.DeleteModel(name='AuditorProfile'),
            ],
            database_operations=[],
        ),
    ]
