"""The programme list's stored next due date (audits.selectors.programme_next_due) follows the
certificates: a suspension calls first for a special audit due by the suspension's end."""

import datetime

import pytest

from certification.models import CertificateStatus

from .factories import CertificateFactory

pytestmark = pytest.mark.django_db


def test_a_suspension_moves_the_programmes_next_due_date():
    certificate = CertificateFactory()
    programme = certificate.programme
    programme.refresh_from_db()
    assert programme.next_due_on != datetime.date(2031, 5, 1)

    certificate.status = CertificateStatus.SUSPENDED
    certificate.suspended_until = datetime.date(2031, 5, 1)
    certificate.save(update_fields=["status", "suspended_until"])
    programme.refresh_from_db()
    assert (programme.next_due_on, programme.has_pending) == (datetime.date(2031, 5, 1), True)

    certificate.status = CertificateStatus.WITHDRAWN
    certificate.save(update_fields=["status", "suspended_until"])
    programme.refresh_from_db()
    assert (programme.next_due_on, programme.has_pending) == (None, False)
