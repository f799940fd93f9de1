"""The daily certification job in Celery beat's schedule (django-celery-beat's DatabaseScheduler,
see CELERY_BEAT_SCHEDULER): every day at 00:05 Asia/Shanghai, so that a certificate expiring on D
shows 05 (expired) from the start of D + 1. The CB can change the time or disable it in the
admin site (Periodic tasks); re-running migrations leaves its changes alone."""
from django.db import migrations

TASK = "certification.tasks.certification_daily"
NAME = "Certification: expiry and committee flags (daily)"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    if PeriodicTask.objects.filter(task=TASK).exists():
        return
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="5", hour="0", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.create(
        name=NAME, task=TASK, crontab=schedule, enabled=True,
        description="Certificates past expiry become 05 (expired); overdue surveillance, ended suspensions and "
        "overdue NCs are flagged to the committee. It never decides.",
    )
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("certification", "0002_reason_codes"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
