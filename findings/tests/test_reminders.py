"""The daily reminder job: the client contact and the auditor are mailed before and after the
due date, once per step, however often the job runs."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from findings import rules as nc_rules
from findings import services as nc_services
from findings.models import NonconformityReminder
from findings.tasks import send_nc_reminders

from .factories import answer, cast, make_nc

pytestmark = pytest.mark.django_db

D = datetime.date
DUE = D(2030, 6, 30)


@pytest.fixture
def people():
    return cast()


def run(day):
    return nc_services.nonconformity_reminders_send(today=day)


def test_each_step_is_mailed_once_however_often_the_job_runs(people):
    nc = make_nc(people.audit, due_date=DUE, raised_by=people.member)
    assert run(D(2030, 6, 15)).sent == 0  # more than 14 days before
    assert run(D(2030, 6, 16)).sent == 1
    assert run(D(2030, 6, 16)).sent == 0  # the same day again
    assert run(D(2030, 6, 20)).sent == 0  # still the same step
    assert len(mail.outbox) == 1
    assert run(D(2030, 7, 1)).sent == 1  # the day after the due date
    assert run(D(2030, 7, 1)).sent == 0
    assert run(D(2030, 7, 30)).sent == 1  # a month after
    assert run(D(2030, 9, 1)).sent == 0
    assert len(mail.outbox) == 3
    assert list(NonconformityReminder.objects.filter(nc=nc).values_list("step", flat=True)) == [
        "before_14",
        "after_1",
        "after_30",
    ]


def test_a_second_worker_that_read_the_nc_before_the_first_recorded_it_sends_nothing(people, monkeypatch):
    """Two workers running the job at once: the one that did not see the other's record is
    stopped by the database (one reminder per NC, step and due date), not by its stale read."""
    nc = make_nc(people.audit, due_date=DUE)
    assert run(D(2030, 7, 1)).sent == 1
    real_step = nc_rules.reminder_step
    monkeypatch.setattr(nc_rules, "reminder_step", lambda **kw: real_step(**{**kw, "sent": frozenset()}))
    second = run(D(2030, 7, 1))
    assert (second.sent, second.already_sent) == (0, 1)
    assert len(mail.outbox) == 1
    assert NonconformityReminder.objects.filter(nc=nc).count() == 1


def test_the_client_contact_and_the_auditor_get_the_mail(people):
    make_nc(people.audit, due_date=DUE, raised_by=people.member, number=7)
    run(D(2030, 7, 1))
    message = mail.outbox[0]
    assert message.to == ["contact@client.example"]
    assert message.cc == ["member@cb.example"]
    assert "NC-7" in message.subject
    assert "逾期" in message.subject and "Overdue" in message.subject  # Chinese and English
    assert "2030-06-30" in message.body


def test_without_raiser_the_team_leader_is_the_auditor_mailed(people):
    make_nc(people.audit, due_date=DUE)
    run(D(2030, 6, 20))
    assert mail.outbox[0].cc == ["leader@cb.example"]


def test_no_reminder_once_the_auditor_accepted(people):
    nc = make_nc(people.audit, due_date=DUE)
    answer(nc, people.client_user)
    nc_services.nonconformity_accept(nc=nc, by=people.member, method="documents")
    assert run(D(2030, 7, 1)).sent == 0
    assert mail.outbox == []


def test_a_responded_nc_still_reminds_while_unverified(people):
    nc = make_nc(people.audit, due_date=DUE)
    answer(nc, people.client_user)
    assert run(D(2030, 7, 1)).sent == 1
    assert "verification is pending" in mail.outbox[0].body


def test_no_mail_and_no_record_without_any_address(people):
    people.audit.client.contact_email = ""
    people.audit.client.save()
    for user in (people.leader,):
        user.email = ""
        user.save()
    nc = make_nc(people.audit, due_date=DUE)
    result = run(D(2030, 7, 1))
    assert (result.sent, result.skipped_no_recipient) == (0, 1)
    assert not NonconformityReminder.objects.filter(nc=nc).exists()


def test_a_new_due_date_starts_the_steps_again(people):
    nc = make_nc(people.audit, due_date=DUE)
    run(D(2030, 7, 1))
    nc.due_date = D(2030, 8, 31)
    nc.save()
    assert run(D(2030, 8, 20)).sent == 1
    assert len(mail.outbox) == 2


def test_a_failed_send_is_retried_by_the_next_run(people, monkeypatch):
    nc = make_nc(people.audit, due_date=DUE)

    def broken(self, fail_silently=False):
        raise OSError("SMTP down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    with pytest.raises(OSError):
        run(D(2030, 7, 1))
    assert not NonconformityReminder.objects.filter(nc=nc).exists()
    monkeypatch.undo()
    assert run(D(2030, 7, 1)).sent == 1


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_beat_task_runs_the_job(celery_worker_if_broker):
    """Eager without a broker; through the broker and a real worker when one is configured."""
    people = cast()
    make_nc(people.audit, due_date=timezone.localdate() + datetime.timedelta(days=3))
    result = send_nc_reminders.delay().get(timeout=30)
    assert result["sent"] == 1
    assert send_nc_reminders.delay().get(timeout=30)["sent"] == 0
    assert len(mail.outbox) == 1


def test_the_beat_schedule_is_registered():
    task = PeriodicTask.objects.get(task="audits.tasks.send_nc_reminders")
    assert task.enabled
    assert (task.crontab.hour, task.crontab.minute) == ("8", "0")
