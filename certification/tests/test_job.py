"""The daily beat job: certificates past expiry become 05; suspensions past their end, overdue
surveillance and overdue NCs of surveillance audits are flagged to the committee, which decides
— the job never does. Running it twice changes nothing."""

import datetime

import pytest
from django_celery_beat.models import PeriodicTask

from audits.models import AuditStatus, AuditType
from audits.tests.factories import AuditFactory
from certification import rules, services, tasks
from certification.models import (
    Certificate,
    CertificateStatus,
    CertificateStatusChange,
    CommitteeFlag,
    Decision,
    FlagKind,
)
from certification.tests.factories import UserFactory, certified_client, committee_user, suspension_reason
from findings.tests.factories import make_nc

pytestmark = pytest.mark.django_db
D = datetime.date
DAY = datetime.timedelta(days=1)


def snapshot():
    return (
        sorted(Certificate.objects.values_list("pk", "status", "status_since", "suspended_until")),
        CertificateStatusChange.objects.count(),
        sorted(CommitteeFlag.objects.values_list("key", "kind", "message")),
        Decision.objects.count(),
    )


def suspend(certificate, *, until, on):
    services.certificate_status_change(
        certificate=certificate,
        to_status=CertificateStatus.SUSPENDED,
        by=committee_user(),
        reason=suspension_reason(),
        effective_on=on,
        suspension_ends_on=until,
    )


# --- expiry ---------------------------------------------------------------------------------


def test_a_certificate_is_valid_on_its_expiry_day_and_expired_the_day_after():
    certificate = certified_client(issued_on=D(2023, 3, 1)).certificate
    assert certificate.expires_on == D(2026, 2, 28)
    services.certification_daily(today=D(2026, 2, 28))
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID
    run = services.certification_daily(today=D(2026, 3, 1))
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.EXPIRED and run.expired == [certificate.number]
    change = certificate.status_changes.last()
    assert (change.from_status, change.to_status, change.effective_on, change.by, change.reason) == (
        "01",
        "05",
        D(2026, 3, 1),
        None,
        None,
    )


def test_a_suspended_certificate_expires_too():
    certificate = certified_client(issued_on=D(2023, 3, 1)).certificate
    suspend(certificate, until=D(2026, 5, 1), on=D(2026, 1, 10))
    services.certification_daily(today=D(2026, 3, 2))
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.EXPIRED and certificate.suspended_until is None


def test_an_expired_certificate_is_flagged_with_what_the_rules_now_require(settings):
    settings.LANGUAGE_CODE = "en"
    certificate = certified_client(issued_on=D(2023, 3, 1)).certificate
    services.certification_daily(today=D(2026, 3, 1))
    flag = CommitteeFlag.objects.get(kind=FlagKind.RECERTIFICATION_AFTER_EXPIRY)
    assert flag.certificate == certificate and flag.basis_date == D(2026, 2, 28) and flag.is_open
    assert certificate.number in flag.message and "certified again as an initial certification" in flag.message


def test_flags_are_written_in_the_cb_language():
    certificate = certified_client(issued_on=D(2023, 3, 1)).certificate
    services.certification_daily(today=D(2026, 3, 1))
    message = CommitteeFlag.objects.get().message
    assert certificate.number in message and "证书" in message


# --- flags, never decisions -------------------------------------------------------------------


def test_a_suspension_past_its_end_is_flagged_as_proposed_withdrawal_and_stays_suspended():
    certificate = certified_client(issued_on=D(2025, 1, 10)).certificate
    suspend(certificate, until=D(2025, 9, 30), on=D(2025, 6, 1))
    services.certification_daily(today=D(2025, 9, 30))
    assert not CommitteeFlag.objects.exists()
    services.certification_daily(today=D(2025, 10, 1))
    flag = CommitteeFlag.objects.get()
    certificate.refresh_from_db()
    assert (flag.kind, flag.suggested_reason.code, flag.basis_date) == (
        FlagKind.PROPOSED_WITHDRAWAL,
        "0115",
        D(2025, 9, 30),
    )
    assert certificate.status == CertificateStatus.SUSPENDED


def test_an_overdue_first_surveillance_is_flagged_as_proposed_suspension():
    certified = certified_client(issued_on=D(2025, 1, 10))
    services.certification_daily(today=D(2026, 1, 10))  # due by 10 Jan 2026 (within 12 months)
    assert not CommitteeFlag.objects.exists()
    services.certification_daily(today=D(2026, 1, 11))
    flag = CommitteeFlag.objects.get()
    assert (flag.kind, flag.programme, flag.certificate, flag.basis_date) == (
        FlagKind.PROPOSED_SUSPENSION,
        certified.programme,
        certified.certificate,
        D(2026, 1, 10),
    )
    assert flag.suggested_reason.code == "0112"
    assert Certificate.objects.get(pk=certified.certificate.pk).status == CertificateStatus.VALID


def test_a_surveillance_done_in_time_raises_nothing():
    certified = certified_client(issued_on=D(2025, 1, 10))
    AuditFactory(
        client=certified.client,
        programme=certified.programme,
        audit_type=AuditType.SURVEILLANCE_1,
        start_date=D(2025, 12, 1),
        end_date=D(2025, 12, 2),
        status=AuditStatus.APPROVED,
    )
    services.certification_daily(today=D(2026, 1, 11))
    assert not CommitteeFlag.objects.exists()


def test_an_overdue_nc_of_a_surveillance_audit_is_flagged_as_proposed_suspension(settings):
    settings.LANGUAGE_CODE = "en"
    certified = certified_client(issued_on=D(2025, 1, 10))
    surveillance = AuditFactory(
        client=certified.client,
        programme=certified.programme,
        audit_type=AuditType.SURVEILLANCE_1,
        start_date=D(2025, 11, 1),
        end_date=D(2025, 11, 2),
        status=AuditStatus.APPROVED,
    )
    make_nc(surveillance, grade="minor", status="open", number=2, due_date=D(2025, 12, 1))
    services.certification_daily(today=D(2025, 12, 2))
    flag = CommitteeFlag.objects.get()
    assert flag.kind == FlagKind.PROPOSED_SUSPENSION and flag.suggested_reason.code == "0111"
    assert "No. 2" in flag.message and flag.basis_date == D(2025, 12, 1)


def test_the_job_never_decides_and_running_it_twice_changes_nothing():
    expiring = certified_client(issued_on=D(2023, 3, 1)).certificate
    overdue = certified_client(issued_on=D(2025, 1, 10))
    suspended = certified_client(issued_on=D(2025, 1, 10)).certificate
    suspend(suspended, until=D(2026, 2, 1), on=D(2025, 9, 1))
    before_decisions = Decision.objects.count()
    first = services.certification_daily(today=D(2026, 3, 1))
    assert first.expired == [expiring.number] and len(first.flags) == 3
    assert Decision.objects.count() == before_decisions
    statuses = dict(Certificate.objects.values_list("pk", "status"))
    assert statuses[overdue.certificate.pk] == "01" and statuses[suspended.pk] == "02"
    after_first = snapshot()
    second = services.certification_daily(today=D(2026, 3, 1))
    assert second.expired == [] and second.flags == []
    assert snapshot() == after_first


def test_a_resolved_flag_is_not_raised_again():
    certified_client(issued_on=D(2025, 1, 10))
    services.certification_daily(today=D(2026, 1, 11))
    flag = CommitteeFlag.objects.get()
    services.flag_resolve(flag=flag, by=committee_user(), resolution="已安排监督审核，客户书面说明")
    services.certification_daily(today=D(2026, 1, 12))
    assert CommitteeFlag.objects.count() == 1 and not CommitteeFlag.objects.get().is_open


def test_only_the_committee_or_an_administrator_resolves_a_flag_and_says_what_was_decided():
    from django.core.exceptions import PermissionDenied, ValidationError

    from core.access import Role

    certified_client(issued_on=D(2025, 1, 10))
    services.certification_daily(today=D(2026, 1, 11))
    flag = CommitteeFlag.objects.get()
    with pytest.raises(PermissionDenied):
        services.flag_resolve(flag=flag, by=UserFactory(role=Role.AUDITOR), resolution="x")
    with pytest.raises(ValidationError):
        services.flag_resolve(flag=flag, by=committee_user(), resolution=" ")


# --- the beat job itself ---------------------------------------------------------------------


def test_the_task_runs_the_job_for_the_given_day():
    certified_client(issued_on=D(2023, 3, 1))
    result = tasks.certification_daily.apply(kwargs={"today": "2026-03-01"}).get()
    assert result == {"expired": 1, "flags": 1}


def test_the_job_is_scheduled_daily_in_celery_beat():
    task = PeriodicTask.objects.get(task="certification.tasks.certification_daily")
    assert task.enabled and task.crontab.hour == "0" and task.crontab.day_of_month == "*"
    assert task.crontab.day_of_week == "*" and task.crontab.timezone.key == "Asia/Shanghai"


def test_expiry_uses_the_same_rule_as_the_certificate():
    certificate = certified_client(issued_on=D(2024, 2, 29)).certificate
    assert certificate.expires_on == rules.expiry(D(2024, 2, 29)) == D(2027, 2, 28)
    services.certification_daily(today=D(2027, 3, 1))
    certificate.refresh_from_db()
    assert certificate.status == "05" and certificate.status_since == D(2027, 3, 1)
