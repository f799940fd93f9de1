"""The demo is consistent in time: the seed audit (2020) is a complete past cycle entered as
historical records, every certificate's status agrees with its dates, and no record is dated
in the future except planned work; the current cycle has live, recent work."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audits.models import Audit, AuditStatus, AuditType, CertificationBody
from certification import rules
from certification.models import Certificate, CertificateStatus, Decision, TechnicalReview
from clients.demo import SEED_CLIENT
from findings.models import Nonconformity, NonconformityResponse

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    return (
        Audit.objects.filter(client__name_zh=SEED_CLIENT["name_zh"], audit_type=AuditType.STAGE_2)
        .order_by("start_date")
        .first()
    )


def test_the_seed_audit_is_a_complete_2020_cycle_of_historical_records(demo):
    year = demo.end_date.year
    nc = Nonconformity.objects.get(audit=demo, number=1)
    response = NonconformityResponse.objects.get(nc=nc)
    assert nc.status == "closed" and response.imported
    assert response.verified_at.year == response.closure_at.year == year
    review = TechnicalReview.objects.get(audit=demo)
    decision = Decision.objects.get(audit=demo)
    assert review.imported and decision.imported
    assert review.concluded_at.year == year
    assert decision.evaluated_on.year <= year + 1 and decision.approved_on.year <= year + 1
    certificate = Certificate.objects.get(decision=decision)
    assert certificate.imported and certificate.issued_on.year == year
    assert certificate.status == CertificateStatus.EXPIRED


def test_every_demo_certificate_status_agrees_with_its_dates(demo):
    today = timezone.localdate()
    for certificate in Certificate.objects.all():
        assert (
            rules.status_against_dates(status=certificate.status, expires_on=certificate.expires_on, today=today)
            is None
        ), certificate


def test_no_demo_record_is_dated_in_the_future_unless_it_is_planned_work(demo):
    today = timezone.localdate()
    future = []
    for audit in Audit.objects.exclude(status=AuditStatus.PLANNED):
        if audit.start_date > today:
            future.append(audit)
    for decision in Decision.objects.all():
        for day in (decision.evaluated_on, decision.approved_on):
            if day and day > today:
                future.append(decision)
    for certificate in Certificate.objects.all():
        if certificate.issued_on > today or certificate.status_since > today:
            future.append(certificate)
    assert future == []
    # The current cycle: planned work ahead, so the to-do lists have live work.
    planned = Audit.objects.filter(client=demo.client, status=AuditStatus.PLANNED, start_date__gt=today)
    assert planned.exists()
    assert all(a.start_date <= today + datetime.timedelta(days=60) for a in planned)


def test_the_demo_cb_has_its_code_and_the_imported_records_say_so_on_their_pages(demo, client):
    assert CertificationBody.objects.current().cb_code == "168"
    certificate = Certificate.objects.get(decision__audit=demo)
    assert certificate.number.startswith("168")
    client.force_login(User.objects.get(username="admin"))
    page = client.get(reverse("certification:certificate", args=[certificate.pk])).content.decode()
    assert 'data-testid="imported-badge"' in page
