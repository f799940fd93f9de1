"""The weekly e-mail digest in Celery beat's schedule (Mondays 07:30 Asia/Shanghai). The CB can
change the time or disable it in the admin site; re-running leaves its changes alone."""

from django.db import migrations

TASK = "dashboard.tasks.weekly_digest"
NAME = "Start pages: weekly e-mail digest (Mondays)"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    if PeriodicTask.objects.filter(task=TASK).exists():
        return
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="7", day_of_week="1", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.create(
        name=NAME,
        task=TASK,
        crontab=schedule,
        enabled=True,
        description="Mails every active user who has not opted out their start page's first questions, "
        "once per ISO week (dashboard.DigestSent).",
    )
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
