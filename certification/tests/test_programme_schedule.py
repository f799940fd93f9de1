"""Suspension and withdrawal change what the audit programme expects next
(audits.selectors.programme_schedule), at a fixed number of queries for lists."""

import datetime

import pytest

from audits.models import AuditProgramme, AuditStatus, AuditType
from audits.selectors import programme_schedule, programmes_with_audits
from audits.tests.factories import AuditFactory
from certification import services
from certification.models import CertificateStatus
from certification.tests.factories import certified_client, committee_user, suspension_reason, withdrawal_reason

pytestmark = pytest.mark.django_db
D = datetime.date


def suspend(certificate, *, on, until):
    services.certificate_status_change(
        certificate=certificate,
        to_status=CertificateStatus.SUSPENDED,
        by=committee_user(),
        reason=suspension_reason(),
        effective_on=on,
        suspension_ends_on=until,
    )


@pytest.mark.parametrize(
    "on, status",
    [(D(2025, 7, 1), "upcoming"), (D(2025, 11, 1), "due"), (D(2025, 12, 1), "due"), (D(2025, 12, 2), "overdue")],
)
def test_a_suspended_programme_expects_a_special_audit_by_the_suspension_end(on, status):
    certified = certified_client(issued_on=D(2025, 1, 10))
    suspend(certified.certificate, on=D(2025, 6, 1), until=D(2025, 12, 1))
    entry = programme_schedule(programme=certified.programme, on_date=on)[0]
    assert (entry.kind, entry.due_by, entry.status) == (AuditType.SPECIAL, D(2025, 12, 1), status)
    assert entry.consequence and entry.source


def test_a_special_audit_done_after_the_suspension_counts_as_done():
    certified = certified_client(issued_on=D(2025, 1, 10))
    suspend(certified.certificate, on=D(2025, 6, 1), until=D(2025, 12, 1))
    AuditFactory(
        client=certified.client,
        programme=certified.programme,
        audit_type=AuditType.SPECIAL,
        start_date=D(2025, 9, 1),
        end_date=D(2025, 9, 1),
        status=AuditStatus.APPROVED,
    )
    assert programme_schedule(programme=certified.programme, on_date=D(2025, 12, 5))[0].status == "done"


def test_a_withdrawn_programme_expects_nothing():
    certified = certified_client(issued_on=D(2025, 1, 10))
    services.certificate_status_change(
        certificate=certified.certificate,
        to_status=CertificateStatus.WITHDRAWN,
        by=committee_user(),
        reason=withdrawal_reason(),
        effective_on=D(2025, 6, 1),
    )
    assert programme_schedule(programme=certified.programme, on_date=D(2025, 7, 1)) == []


def test_a_valid_programme_schedule_is_unchanged():
    certified = certified_client(issued_on=D(2025, 1, 10))
    kinds = [e.kind for e in programme_schedule(programme=certified.programme, on_date=D(2025, 7, 1))]
    assert kinds == [
        AuditType.STAGE_1,
        AuditType.STAGE_2,
        AuditType.SURVEILLANCE_1,
        AuditType.SURVEILLANCE_2,
        AuditType.RECERTIFICATION,
    ]


@pytest.mark.parametrize("rows", [2, 5])
def test_schedules_of_many_programmes_take_a_fixed_number_of_queries(rows, django_assert_num_queries):
    for i in range(rows):
        certified = certified_client(issued_on=D(2025, 1, 10))
        if i % 2:
            suspend(certified.certificate, on=D(2025, 6, 1), until=D(2025, 12, 1))
    from audits.models import CertificationBody

    cb = CertificationBody()
    with django_assert_num_queries(3):  # programmes (with certificate state), standards, audits
        for programme in programmes_with_audits(AuditProgramme.objects.all()):
            programme_schedule(programme=programme, on_date=D(2025, 7, 1), cb=cb)
