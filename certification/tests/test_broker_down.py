"""Faults and recovery: the broker is down when a decision's approval queues the new
certificates' PDFs. The approval is saved and answers normally (before, the broker's error came
out of the commit hook as a 500 on a saved decision); the certificate's PDF page shows the PDFs
as not issued with the button that asks for them; once the broker is back that button renders
them (eagerly on SQLite, through a real worker on the real broker in CI's second step)."""

import time

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from certification import services
from certification.certificate_pdfs import tasks as pdf_tasks
from certification.models import Certificate, CertificateVersion, Decision, DecisionStatus, DecisionType
from core.tests.broker import CLOSED_PORT_BROKER, broker

from .factories import UserFactory, pass_review, review_cast, today
from .pdf_factories import fake_render_pdf


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_an_approval_with_the_broker_down_is_saved_and_its_pdfs_are_issued_once_it_is_back(
    client, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORT_PDF_RETRY_SECONDS = 0
    monkeypatch.setattr("core.pdf.render_pdf", fake_render_pdf)
    cast = review_cast()
    review = pass_review(cast)
    decision = services.decision_open(
        decision_type=DecisionType.GRANT, client=cast.audit.client, audit=cast.audit, review=review, by=cast.admin
    )
    services.decision_evaluate(
        decision=decision, conclusion="agree", remarks="同意", evaluated_on=today(), by=cast.evaluator
    )

    with broker(CLOSED_PORT_BROKER):
        # Autocommit (a transactional test): the commit hook that queues the PDFs runs here.
        services.decision_approve(
            decision=Decision.objects.get(pk=decision.pk),
            conclusion="approve",
            remarks="批准",
            approved_on=today(),
            by=cast.approver,
        )
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.APPROVED
    certificate = Certificate.objects.get(decision=decision)
    assert not CertificateVersion.objects.exists()

    admin = UserFactory(role="cb_admin")
    client.force_login(admin)
    page = client.get(
        reverse("certification:certificate_pdfs", kwargs={"pk": certificate.pk}), HTTP_ACCEPT_LANGUAGE="en"
    )
    page = page.content.decode()
    assert "The certificate PDF has not been issued yet." in page and "Issue the certificate PDFs" in page

    issue = reverse("certification:certificate_pdf_issue", kwargs={"pk": certificate.pk})
    if django_settings.CELERY_BROKER_URL:
        from celery.contrib.testing.worker import start_worker

        with start_worker(pdf_tasks.issue_certificate_pdfs.app, pool="solo", perform_ping_check=False):
            assert client.post(issue).status_code == 302
            deadline = time.monotonic() + 180
            while CertificateVersion.objects.count() < 2 and time.monotonic() < deadline:
                time.sleep(0.2)
    else:
        assert client.post(issue).status_code == 302
    assert sorted(CertificateVersion.objects.filter(certificate=certificate).values_list("language", flat=True)) == [
        "en",
        "zh-hans",
    ]
