"""The auditor-profile models move here from accounts (accounts 0003 drops them from its state).

State only: the tables keep their names (``accounts_auditorprofile``, the M2M table
``accounts_auditorprofile_technical_areas``, simple-history's ``accounts_historical…`` tables), so no
row moves. Existing content types are renamed so permissions, admin log entries and history keep
pointing at the same models.
"""

import django.core.validators
import django.db.models.deletion
import re
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MODELS = (
    "auditorprofile",
    "qualification",
    "conflictofinterest",
    "historicalauditorprofile",
    "historicalauditorprofile_technical_areas",
    "historicalqualification",
    "historicalconflictofinterest",
)


def _move_content_types(apps, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def content_types_to_people(apps, schema_editor):
    _move_content_types(apps, "accounts", "people")


def content_types_to_accounts(apps, schema_editor):
    _move_content_types(apps, "people", "accounts")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0002_auditor_profile'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('clients', '0002_client_details_sites_scopes_departments_documents'),
        ('standards', '0003_load_shipped_catalogue'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AuditorProfile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('registration_number', models.CharField(help_text='e.g. 2018-N1QMS-2205805', max_length=40, unique=True, validators=[django.core.validators.RegexValidator(re.compile('^(19|20)\\d{2}-[A-Z]{1,2}\\d{0,2}[A-Z]{2,6}-\\d{5,8}$'), 'Enter a registration number like 2018-N1QMS-2205805 (year-grade and family-serial number).', code='invalid_registration_number')], verbose_name='registration number')),
                        ('gender', models.CharField(choices=[('female', 'Female'), ('male', 'Male')], max_length=10, verbose_name='gender')),
                        ('phone', models.CharField(blank=True, max_length=40, verbose_name='telephone')),
                        ('active', models.BooleanField(default=True, verbose_name='active')),
                        ('technical_areas', models.ManyToManyField(blank=True, help_text='Technical areas the auditor is competent in; 33.02 covers 33.02.01.', related_name='auditor_profiles', to='standards.technicalarea', verbose_name='competence codes')),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='auditor_profile', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                    ],
                    options={
                        'verbose_name': 'auditor profile',
                        'verbose_name_plural': 'auditor profiles',
                        'db_table': 'accounts_auditorprofile',
                        'ordering': ['user__full_name', 'user__username'],
                    },
                ),
                migrations.CreateModel(
                    name='ConflictOfInterest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('description', models.TextField(help_text='e.g. consulted for the client in 2019.', verbose_name='description')),
                        ('declared_on', models.DateField(verbose_name='declared on')),
                        ('until', models.DateField(blank=True, help_text='Empty: no end. Consulting: two years after the consulting ended.', null=True, verbose_name='conflict ends on')),
                        ('client', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='auditor_conflicts', to='clients.client', verbose_name='client')),
                        ('profile', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='conflicts', to='people.auditorprofile', verbose_name='auditor profile')),
                    ],
                    options={
                        'verbose_name': 'conflict of interest',
                        'verbose_name_plural': 'conflicts of interest',
                        'db_table': 'accounts_conflictofinterest',
                        'ordering': ['profile', '-declared_on'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalAuditorProfile',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('registration_number', models.CharField(db_index=True, help_text='e.g. 2018-N1QMS-2205805', max_length=40, validators=[django.core.validators.RegexValidator(re.compile('^(19|20)\\d{2}-[A-Z]{1,2}\\d{0,2}[A-Z]{2,6}-\\d{5,8}$'), 'Enter a registration number like 2018-N1QMS-2205805 (year-grade and family-serial number).', code='invalid_registration_number')], verbose_name='registration number')),
                        ('gender', models.CharField(choices=[('female', 'Female'), ('male', 'Male')], max_length=10, verbose_name='gender')),
                        ('phone', models.CharField(blank=True, max_length=40, verbose_name='telephone')),
                        ('active', models.BooleanField(default=True, verbose_name='active')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='user')),
                    ],
                    options={
                        'verbose_name': 'historical auditor profile',
                        'verbose_name_plural': 'historical auditor profiles',
                        'db_table': 'accounts_historicalauditorprofile',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalAuditorProfile_technical_areas',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('auditorprofile', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='people.auditorprofile')),
                        ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='people.historicalauditorprofile')),
                        ('technicalarea', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='standards.technicalarea')),
                    ],
                    options={
                        'verbose_name': 'HistoricalAuditorProfile_technical_areas',
                        'db_table': 'accounts_historicalauditorprofile_technical_areas',
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalConflictOfInterest',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('description', models.TextField(help_text='e.g. consulted for the client in 2019.', verbose_name='description')),
                        ('declared_on', models.DateField(verbose_name='declared on')),
                        ('until', models.DateField(blank=True, help_text='Empty: no end. Consulting: two years after the consulting ended.', null=True, verbose_name='conflict ends on')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('client', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='clients.client', verbose_name='client')),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('profile', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='people.auditorprofile', verbose_name='auditor profile')),
                    ],
                    options={
                        'verbose_name': 'historical conflict of interest',
                        'verbose_name_plural': 'historical conflicts of interest',
                        'db_table': 'accounts_historicalconflictofinterest',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalQualification',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('family', models.CharField(choices=[('QMS', 'Quality management system'), ('EMS', 'Environmental management system'), ('OHSMS', 'Occupational health and safety management system')], max_length=16, verbose_name='management-system family')),
                        ('level', models.CharField(choices=[('lead_auditor', 'Lead auditor'), ('auditor', 'Auditor (qualification)'), ('technical_expert', 'Technical expert')], max_length=20, verbose_name='qualification level')),
                        ('registration_number', models.CharField(blank=True, help_text="Registration for this family, if different from the profile's.", max_length=40, validators=[django.core.validators.RegexValidator(re.compile('^(19|20)\\d{2}-[A-Z]{1,2}\\d{0,2}[A-Z]{2,6}-\\d{5,8}$'), 'Enter a registration number like 2018-N1QMS-2205805 (year-grade and family-serial number).', code='invalid_registration_number')], verbose_name='registration number')),
                        ('valid_from', models.DateField(verbose_name='valid from')),
                        ('valid_until', models.DateField(blank=True, null=True, verbose_name='valid until')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('profile', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='people.auditorprofile', verbose_name='auditor profile')),
                    ],
                    options={
                        'verbose_name': 'historical qualification',
                        'verbose_name_plural': 'historical qualifications',
                        'db_table': 'accounts_historicalqualification',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Qualification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('family', models.CharField(choices=[('QMS', 'Quality management system'), ('EMS', 'Environmental management system'), ('OHSMS', 'Occupational health and safety management system')], max_length=16, verbose_name='management-system family')),
                        ('level', models.CharField(choices=[('lead_auditor', 'Lead auditor'), ('auditor', 'Auditor (qualification)'), ('technical_expert', 'Technical expert')], max_length=20, verbose_name='qualification level')),
                        ('registration_number', models.CharField(blank=True, help_text="Registration for this family, if different from the profile's.", max_length=40, validators=[django.core.validators.RegexValidator(re.compile('^(19|20)\\d{2}-[A-Z]{1,2}\\d{0,2}[A-Z]{2,6}-\\d{5,8}$'), 'Enter a registration number like 2018-N1QMS-2205805 (year-grade and family-serial number).', code='invalid_registration_number')], verbose_name='registration number')),
                        ('valid_from', models.DateField(verbose_name='valid from')),
                        ('valid_until', models.DateField(blank=True, null=True, verbose_name='valid until')),
                        ('profile', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='qualifications', to='people.auditorprofile', verbose_name='auditor profile')),
                    ],
                    options={
                        'verbose_name': 'qualification',
                        'verbose_name_plural': 'qualifications',
                        'db_table': 'accounts_qualification',
                        'ordering': ['profile', 'family'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='auditorprofile',
                    constraint=models.CheckConstraint(condition=models.Q(('gender__in', ['female', 'male'])), name='auditor_gender_valid'),
                ),
                migrations.AddConstraint(
                    model_name='qualification',
                    constraint=models.UniqueConstraint(fields=('profile', 'family'), name='qualification_one_per_family'),
                ),
                migrations.AddConstraint(
                    model_name='qualification',
                    constraint=models.CheckConstraint(condition=models.Q(('level__in', ['lead_auditor', 'auditor', 'technical_expert'])), name='qualification_level_valid'),
                ),
                migrations.AddConstraint(
                    model_name='qualification',
                    constraint=models.CheckConstraint(condition=models.Q(('valid_until__isnull', True), ('valid_until__gte', models.F('valid_from')), _connector='OR'), name='qualification_validity_ordered'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_people, content_types_to_accounts),
    ]
