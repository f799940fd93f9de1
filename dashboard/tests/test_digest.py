"""The weekly e-mail digest (dashboard.digest): once per ISO week per user however often the job
runs, nothing for opted-out or inactive users, plain text and HTML in the user's language."""

import datetime

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from accounts.tests.factories import UserFactory
from core.access import Role
from dashboard import digest, tasks
from dashboard.models import DigestPreference, DigestSent
from findings.tests.factories import cast, make_nc

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 12, 7)


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PUBLIC_BASE_URL = "https://cb.example"


def test_iso_weeks():
    assert digest.iso_week(MONDAY) == "2026-W50"
    assert digest.iso_week(MONDAY + datetime.timedelta(days=6)) == "2026-W50"
    assert digest.iso_week(MONDAY + datetime.timedelta(days=7)) == "2026-W51"
    assert digest.iso_week(datetime.date(2027, 1, 1)) == "2026-W53"  # a Friday of 2026's last ISO week


def test_sent_once_per_week_even_when_the_job_runs_twice():
    users = [UserFactory(role=Role.AUDITOR, email=f"a{i}@cb.example") for i in range(3)]
    first = digest.weekly_digest_send(today=MONDAY)
    assert (first.sent, first.skipped) == (3, 0)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    second = digest.weekly_digest_send(today=MONDAY + datetime.timedelta(days=3))  # same ISO week
    assert (second.sent, second.skipped) == (0, 3)
    assert len(mail.outbox) == 3
    assert DigestSent.objects.filter(week="2026-W50").count() == 3
    # Next week: again, once.
    assert digest.weekly_digest_send(today=MONDAY + datetime.timedelta(days=7)).sent == 3
    assert len(mail.outbox) == 6


def test_a_concurrent_run_that_sent_first_wins(monkeypatch):
    """Two runs both see "not sent yet"; the second's insert meets the unique constraint, so it
    sends nothing (on PostgreSQL it waits on the index until the first commits)."""
    user = UserFactory(email="a@cb.example")
    assert digest.digest_send(user, today=MONDAY)
    monkeypatch.setattr(digest, "_already_sent", lambda user, week: False)
    assert digest.digest_send(user, today=MONDAY) is False
    assert len(mail.outbox) == 1


def test_the_database_refuses_a_second_row_for_the_same_week():
    user = UserFactory()
    DigestSent.objects.create(user=user, week="2026-W50")
    with pytest.raises(IntegrityError), transaction.atomic():
        DigestSent.objects.create(user=user, week="2026-W50")


def test_a_mail_that_fails_leaves_no_row_and_goes_at_the_next_run(monkeypatch):
    UserFactory(email="a@cb.example")
    UserFactory(email="b@cb.example")
    original = digest.EmailMultiAlternatives.send

    def fail_for_a(message, *args, **kwargs):
        if message.to == ["a@cb.example"]:
            raise OSError("smtp down")
        return original(message, *args, **kwargs)

    monkeypatch.setattr(digest.EmailMultiAlternatives, "send", fail_for_a)
    run = digest.weekly_digest_send(today=MONDAY)
    assert (run.sent, run.failed) == (1, 1)
    assert list(DigestSent.objects.values_list("user__email", flat=True)) == ["b@cb.example"]
    monkeypatch.setattr(digest.EmailMultiAlternatives, "send", original)
    assert digest.weekly_digest_send(today=MONDAY).sent == 1
    assert [m.to for m in mail.outbox] == [["b@cb.example"], ["a@cb.example"]]


def test_opted_out_inactive_and_address_less_users_get_nothing():
    kept = UserFactory(email="kept@cb.example")
    DigestPreference.objects.create(user=UserFactory(email="out@cb.example"), weekly=False)
    DigestPreference.objects.create(user=UserFactory(email="in@cb.example"), weekly=True)
    UserFactory(email="gone@cb.example", is_active=False)
    UserFactory(email="")
    assert digest.weekly_digest_send(today=MONDAY).sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["in@cb.example", kept.email]


def test_text_and_html_in_the_users_language_with_what_waits_for_them():
    people = cast()
    people.client_user.email = "client@client.example"
    people.client_user.save()
    nc = make_nc(people.audit, grade="major")
    DigestPreference.objects.create(user=people.client_user, language="en")
    assert digest.digest_send(people.client_user, today=MONDAY)
    message = mail.outbox[-1]
    assert message.subject == "Your week at auditbody: 1 waiting for you"
    assert "1 thing waits for you" in message.body
    assert f"https://cb.example{reverse('clients:portal_nc', args=[nc.pk])}" in message.body
    assert f"NC-{nc.number}" in message.body
    assert "https://cb.example" + reverse("figures:digest_preference") in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and f'href="https://cb.example{reverse("clients:portal_nc", args=[nc.pk])}"' in html
    assert "The CB's figures" not in message.body  # figures are for the CB's managers

    DigestPreference.objects.filter(user=people.client_user).update(language="zh-hans")
    DigestSent.objects.all().delete()
    assert digest.digest_send(people.client_user, today=MONDAY)
    chinese = mail.outbox[-1]
    assert "本周摘要" in chinese.subject and "1 项待您处理" in chinese.body
    assert "本周摘要" not in message.subject


def test_the_administrators_digest_has_the_cbs_figures():
    admin = UserFactory(role=Role.CB_ADMIN, email="admin@cb.example")
    DigestPreference.objects.create(user=admin, language="en")
    digest.digest_send(admin, today=MONDAY)
    body = mail.outbox[0].body
    assert "The CB's figures" in body and "Certificates by status" in body and "Open nonconformities by age" in body
    assert "https://cb.example" + reverse("figures:figures") in body


def test_the_task_sends_the_digest_and_is_in_the_beat_schedule():
    UserFactory(email="a@cb.example")
    assert tasks.weekly_digest() == {"sent": 1, "skipped": 0}
    assert tasks.weekly_digest() == {"sent": 0, "skipped": 1}
    task = PeriodicTask.objects.get(task="dashboard.tasks.weekly_digest")
    assert task.enabled and task.crontab.day_of_week == "1"
    assert (task.crontab.hour, task.crontab.minute) == ("7", "30")


def test_the_preference_page_from_the_user_menu(client):
    user = UserFactory(role=Role.CLIENT, email="c@client.example")
    client.force_login(user)
    home = client.get(reverse("accounts:home")).content.decode()
    assert reverse("figures:digest_preference") in home  # in the user menu
    page = client.get(reverse("figures:digest_preference"))
    assert page.status_code == 200 and "c@client.example" in page.content.decode()
    response = client.post(reverse("figures:digest_preference"), {"language": "en"})  # box unticked
    assert response.status_code == 302
    preference = DigestPreference.objects.get(user=user)
    assert (preference.weekly, preference.language) == (False, "en")
    assert digest.weekly_digest_send(today=MONDAY).sent == 0
    client.post(reverse("figures:digest_preference"), {"weekly": "on", "language": "zh-hans"})
    assert DigestPreference.objects.get(user=user).weekly is True
    assert client.post(reverse("figures:digest_preference"), {"weekly": "on", "language": "xx"}).status_code == 200


# --- the digest is the start page by mail -----------------------------------------------------


def test_the_clients_digest_has_its_certificates_next_audit_and_ncs_and_nothing_of_another():
    from audits.models import AuditStatus
    from audits.tests.factories import AuditFactory
    from certification.tests.factories import CertificateFactory
    from core.dates import local_today

    people = cast(status=AuditStatus.REPORT_DRAFTED)
    people.client_user.email = "client@client.example"
    people.client_user.save()
    DigestPreference.objects.create(user=people.client_user, language="en")
    today = local_today()
    nc = make_nc(people.audit, due_date=today + datetime.timedelta(days=10))
    mine = CertificateFactory(client=people.audit.client)
    theirs = CertificateFactory()
    make_nc(AuditFactory(client=theirs.client))
    planned = AuditFactory(
        client=people.audit.client,
        start_date=today + datetime.timedelta(days=20),
        end_date=today + datetime.timedelta(days=21),
    )

    assert digest.digest_send(people.client_user, today=MONDAY)
    body = mail.outbox[-1].body
    assert "Your certificates" in body and mine.number in body and "valid until" in body
    assert theirs.number not in body and theirs.client.name_zh not in body
    assert "Your next audit" in body
    assert f"https://cb.example{reverse('clients:portal_audit', args=[planned.pk])}" in body
    assert "20 days left" in body
    assert "Nonconformities to answer" in body and f"NC-{nc.number}" in body and "10 days left" in body
    assert "Latest issued report" in body and "No report issued yet." in body
    html = mail.outbox[-1].alternatives[0][0]
    assert mine.number in html and "Your next audit" in html


def test_an_auditors_digest_lists_answers_to_verify_with_days_overdue():
    from audits.models import AuditStatus
    from core.dates import local_today

    people = cast(status=AuditStatus.REPORT_DRAFTED)
    people.leader.email = "leader@cb.example"
    people.leader.save()
    DigestPreference.objects.create(user=people.leader, language="en")
    nc = make_nc(people.audit, status="responded", due_date=local_today() - datetime.timedelta(days=2))
    assert digest.digest_send(people.leader, today=MONDAY)
    body = mail.outbox[-1].body
    assert "Answers to verify" in body and f"NC-{nc.number}" in body
    assert "[!]" in body and "2 days overdue" in body
    assert f"https://cb.example{reverse('findings:nc_detail', args=[nc.pk])}" in body


def test_a_bounded_section_says_how_many_and_links_the_full_list():
    from audits.models import AuditStatus
    from dashboard.selectors import LIMIT

    people = cast(status=AuditStatus.REPORT_DRAFTED)
    people.client_user.email = "client@client.example"
    people.client_user.save()
    DigestPreference.objects.create(user=people.client_user, language="en")
    for _i in range(LIMIT + 2):
        make_nc(people.audit)
    assert digest.digest_send(people.client_user, today=MONDAY)
    body = mail.outbox[-1].body
    assert f"Nonconformities to answer ({LIMIT} of {LIMIT + 2})" in body
    assert f"See the full list: https://cb.example{reverse('clients:portal_ncs')}" in body


def test_the_administrators_digest_has_the_pipeline_and_the_cnca_deadline():
    admin = UserFactory(role=Role.CB_ADMIN, email="admin@cb.example")
    DigestPreference.objects.create(user=admin, language="en")
    digest.digest_send(admin, today=MONDAY)
    body = mail.outbox[0].body
    assert "== Pipeline" in body and "Applications 0 →" in body
    assert "== Audits falling due" in body and "Surveillances" in body
    assert "== Next CNCA report" in body
