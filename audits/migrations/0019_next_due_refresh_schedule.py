"""The nightly refresh of each programme's stored next due date in Celery beat's schedule
(django-celery-beat's DatabaseScheduler, see CELERY_BEAT_SCHEDULER): every day at 02:30
Asia/Shanghai, a quiet hour. The CB can change the time or disable it in the admin site
(Periodic tasks); re-running migrations leaves its changes alone."""

from django.db import migrations

TASK = "audits.tasks.refresh_programme_next_due"
NAME = "Programme next due dates (nightly refresh)"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    if PeriodicTask.objects.filter(task=TASK).exists():
        return
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.create(
        name=NAME,
        task=TASK,
        crontab=schedule,
        enabled=True,
        description="Recomputes the next due date the programme list sorts on, for every active programme.",
    )
    # Tell a running beat that the schedule changed (what PeriodicTasks.changed() does).
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0018_list_indexes"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
