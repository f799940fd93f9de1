"""The shared factories build consistent rows (other helpers' tests rely on them)."""

import pytest

from certification.models import CertificateStatus, DecisionStatus
from certification.tests.factories import CertificateFactory, certified_client, iso9001, iso14001

pytestmark = pytest.mark.django_db


def test_certified_client_builds_the_whole_path():
    client, programme, audit, decision, certificate = certified_client()
    assert certificate.client == client and certificate.programme == programme and certificate.decision == decision
    assert decision.status == DecisionStatus.APPROVED and decision.audit == audit
    assert programme.certificate_issued_on == certificate.issued_on and programme.expires_on == certificate.expires_on
    assert certificate.status == CertificateStatus.VALID
    assert certificate.number.startswith("000") and certificate.number.endswith("R0S")
    assert certificate.status_changes.count() == 1


def test_certificate_factory_numbers_are_distinct_and_one_certificate_per_standard():
    first, second = CertificateFactory(), CertificateFactory()
    assert first.number != second.number
    certified = certified_client(standards=[iso9001(), iso14001()])
    assert sorted(c.standard_code for c in certified.client.certificates.all()) == ["E1", "Q1"]
