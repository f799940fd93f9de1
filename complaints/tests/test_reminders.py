"""The daily reminder of complaint and appeal deadlines, and its beat schedule."""

import datetime

import pytest
from django_celery_beat.models import PeriodicTask

from accounts.tests.factories import UserFactory
from complaints import rules, services
from complaints.models import Complaint, ComplaintPolicy
from core.access import Role

from .factories import public_complaint

pytestmark = pytest.mark.django_db


def test_the_reminder_is_due_before_the_deadline_and_every_day_after():
    due = datetime.date(2026, 3, 10)
    assert rules.reminder_due(due_on=due, today=datetime.date(2026, 3, 7), before_days=3)
    assert not rules.reminder_due(due_on=due, today=datetime.date(2026, 3, 8), before_days=3)
    assert not rules.reminder_due(due_on=due, today=due, before_days=3)
    assert rules.reminder_due(due_on=due, today=datetime.date(2026, 3, 11), before_days=3)


def test_the_job_mails_the_admins_about_a_complaint_to_acknowledge(mailoutbox):
    policy = ComplaintPolicy.objects.current()
    policy.acknowledge_days, policy.remind_before_days = 3, 3
    policy.save()
    UserFactory(role=Role.CB_ADMIN, email="admin@cb.example")
    UserFactory(role=Role.AUDITOR, email="auditor@cb.example")
    complaint = public_complaint()
    run = services.complaint_reminders_send()
    assert run.sent == 1
    assert mailoutbox[0].to == ["admin@cb.example"]
    assert complaint.reference in mailoutbox[0].subject
    # Not yet near its deadline: nothing.
    Complaint.objects.filter(pk=complaint.pk).update(
        acknowledge_due_on=complaint.received_on + datetime.timedelta(days=9)
    )
    assert services.complaint_reminders_send().sent == 0


def test_the_job_is_in_the_beat_schedule():
    task = PeriodicTask.objects.get(task="complaints.tasks.complaint_reminders")
    assert task.enabled and (task.crontab.hour, task.crontab.minute) == ("8", "10")
