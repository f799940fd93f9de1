"""Certificate numbers as issued: the CB's pattern, its CB code, serials per year and standard
code, the size band from the headcount, the recertification count, and unique serials when
certificates are issued at the same moment."""

import datetime
import threading

import pytest
from django.db import connection, transaction

from audits.models import AuditType
from audits.tests.factories import CertificationBodyFactory
from certification import services
from certification.models import CertificateSerial, CertificationPolicy, DecisionType
from certification.tests.factories import (
    ClientFactory,
    DecisionFactory,
    SiteFactory,
    approver_user,
    certified_client,
    grant,
    iso9001,
    iso14001,
    iso45001,
    pass_review,
    review_cast,
)
from clients.models import SiteKind

pytestmark = pytest.mark.django_db


def yy():
    return f"{services._today().year % 100:02d}"


def test_the_default_number_is_cb_code_year_standard_serial_r_count_and_size():
    CertificationBodyFactory(cb_code="069")
    decision = grant(review_cast(standards=[iso9001(), iso14001(), iso45001()]))
    numbers = sorted(c.number for c in decision.issued_certificates.all())
    assert numbers == [f"069{yy()}E10001R0S", f"069{yy()}Q10001R0S", f"069{yy()}S10001R0S"]


def test_serials_count_up_per_year_and_standard_code():
    first = grant(review_cast()).issued_certificates.get()
    second = grant(review_cast()).issued_certificates.get()
    ems = grant(review_cast(standards=[iso14001()])).issued_certificates.get()
    assert (first.serial, second.serial, ems.serial) == (1, 2, 1)
    assert CertificateSerial.objects.get(year=services._today().year, standard_code="Q1").last == 2


def test_without_a_cb_code_the_number_starts_with_000():
    CertificationBodyFactory(cb_code="")
    assert grant(review_cast()).issued_certificates.get().number.startswith("000")


@pytest.mark.parametrize("headcount, band", [(50, "S"), (51, "M"), (1000, "M"), (1001, "L")])
def test_the_size_band_follows_the_client_headcount(headcount, band):
    certificate = grant(review_cast(headcount=headcount)).issued_certificates.get()
    assert certificate.size_band == band and certificate.number.endswith(f"R0{band}")


def test_the_size_band_limits_come_from_the_policy():
    policy = CertificationPolicy.objects.current()
    policy.small_max_headcount, policy.medium_max_headcount = 10, 100
    policy.save()
    assert grant(review_cast(headcount=15)).issued_certificates.get().size_band == "M"


def test_the_cb_configures_the_pattern_and_the_standard_codes():
    CertificationBodyFactory(cb_code="123")
    policy = CertificationPolicy.objects.current()
    policy.number_pattern = "{cb}-{yyyy}-{std}{serial:05d}/R{recert}-{size}"
    policy.standard_codes = {"QMS": "Q", "EMS": "E", "OHSMS": "S"}
    policy.save()
    certificate = grant(review_cast()).issued_certificates.get()
    assert certificate.number == f"123-{services._today().year}-Q00001/R0-S"


def test_renewal_keeps_the_serial_and_counts_the_recertification(monkeypatch):
    certified = certified_client()
    old = certified.certificate
    cast = review_cast(client=certified.client, programme=certified.programme, audit_type=AuditType.RECERTIFICATION)
    pass_review(cast)
    from certification.tests.factories import decide

    decision = decide(
        decision_type=DecisionType.RENEW,
        client=certified.client,
        opened_by=cast.admin,
        evaluator=cast.evaluator,
        approver=cast.approver,
        audit=cast.audit,
    )
    new = decision.issued_certificates.get()
    assert new.number == old.number[:-2] + "1S" and new.serial == old.serial and new.recertification_count == 1


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite serialises writers with a database lock; the row lock "
    "(select_for_update) this test proves is PostgreSQL's. Run it with DATABASE_URL=postgres://…",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_never_share_a_serial():
    """8 threads issue 8 certificates at the same moment: 8 distinct serials and numbers."""
    count = 8
    approver = approver_user()
    today = services._today()
    decisions = []
    for _ in range(count):
        client = ClientFactory(headcount=20)
        SiteFactory(client=client, kind=SiteKind.REGISTERED)
        decisions.append(DecisionFactory(client=client, approved=True, approved_on=today))
    standard = iso9001()
    barrier = threading.Barrier(count)
    results, errors = [], []

    def issue(decision):
        try:
            barrier.wait(timeout=30)
            with transaction.atomic():
                certificate = services.certificate_issue(
                    decision=decision,
                    programme=decision.programme,
                    standard=standard,
                    issued_on=today,
                    expires_on=today + datetime.timedelta(days=1000),
                    scope_zh="软件开发",
                    by=approver,
                )[0]
            results.append((certificate.serial, certificate.number))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(d,)) for d in decisions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(serial for serial, _n in results) == list(range(1, count + 1))
    assert len({number for _s, number in results}) == count
