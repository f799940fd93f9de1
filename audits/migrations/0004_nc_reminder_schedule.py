"""The daily NC reminder job in Celery beat's schedule (django-celery-beat's DatabaseScheduler,
see CELERY_BEAT_SCHEDULER): every day at 08:00 Asia/Shanghai. The CB can change the time or
disable it in the admin site (Periodic tasks); re-running migrations leaves its changes alone."""
from django.db import migrations

TASK = "audits.tasks.send_nc_reminders"
NAME = "Nonconformity reminders (daily)"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    if PeriodicTask.objects.filter(task=TASK).exists():
        return
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="8", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.create(
        name=NAME, task=TASK, crontab=schedule, enabled=True,
        description="E-mails the client contact and the auditor before and after NC due dates, once per step.",
    )
    # Tell a running beat that the schedule changed (what PeriodicTasks.changed() does).
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0003_nc_lifecycle"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
