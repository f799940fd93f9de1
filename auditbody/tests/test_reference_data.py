"""Rows shipped by data migrations (beat schedules, reason codes) come back after a flush, which
browser tests and transactional tests run between tests."""

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from certification.models import ReasonKind, StatusReason


@pytest.mark.django_db(transaction=True)
def test_beat_schedules_and_reason_codes_survive_a_flush():
    call_command("flush", interactive=False, verbosity=0)

    tasks = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {"audits.tasks.send_nc_reminders", "certification.tasks.certification_daily"} <= tasks
    assert StatusReason.objects.filter(kind=ReasonKind.SUSPENSION).count() == 7
    assert StatusReason.objects.filter(kind=ReasonKind.WITHDRAWAL).count() == 9


@pytest.mark.django_db(transaction=True)
def test_a_reason_title_the_cb_edited_is_kept_when_migrate_runs_again():
    reason = StatusReason.objects.get(kind=ReasonKind.SUSPENSION, code="0116")
    reason.title_en = "At the client's request"
    reason.save()
    call_command("migrate", verbosity=0)  # post_migrate runs again
    assert StatusReason.objects.get(pk=reason.pk).title_en == "At the client's request"
