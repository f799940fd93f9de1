"""The client portal's "My certificates": the organisation's own certificates with their status
and issued PDFs, at a fixed number of queries, linked from the portal's tabs."""

import datetime

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from certification.certificate_pdfs import render as pdf
from certification.models import CertificateStatus
from certification.tests.pdf_factories import (
    CertificateFactory,
    cb_admin,
    client_user,
    draft_now,
    fake_render_pdf,
    issue_now,
    seed_certificate,
)
from clients.tests.factories import ClientFactory
from core.access import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_pages(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def fast_pdf(monkeypatch):
    """No WeasyPrint (the page lists stored PDFs; their content is certification's concern)."""
    monkeypatch.setattr("core.pdf.render_pdf", fake_render_pdf)
    monkeypatch.setattr(pdf, "spacer_height", lambda context, language: 10.0)


def test_my_certificates_lists_the_clients_own_certificates_with_their_issued_pdfs(fast_pdf, client):
    certificate, admin = seed_certificate(), cb_admin()
    issued, drafted = issue_now(certificate, by=admin), draft_now(certificate, language="en", by=admin)
    other = CertificateFactory()
    other_pdf = issue_now(other, by=admin)
    client.force_login(client_user(certificate.client))
    html = client.get(reverse("certification:portal_certificates")).content.decode()
    assert certificate.number in html and "2023-02-09" in html and 'data-status="01"' in html
    assert reverse("certification:certificate_pdf_download", kwargs={"pk": issued.pk}) in html
    assert reverse("certification:certificate_pdf_download", kwargs={"pk": drafted.pk}) not in html
    assert other.number not in html
    assert reverse("certification:certificate_pdf_download", kwargs={"pk": other_pdf.pk}) not in html


def test_my_certificates_shows_a_suspension_with_its_dates(client):
    certificate = seed_certificate()
    type(certificate).objects.filter(pk=certificate.pk).update(
        status=CertificateStatus.SUSPENDED,
        status_since=datetime.date(2021, 3, 1),
        suspended_until=datetime.date(2021, 8, 31),
    )
    client.force_login(client_user(certificate.client))
    html = client.get(reverse("certification:portal_certificates")).content.decode()
    assert 'data-status="02"' in html and "Suspended" in html and "2021-08-31" in html
    assert "The PDF has not been issued yet." in html


def test_the_portal_links_to_my_certificates(client):
    user = client_user(seed_certificate().client)
    client.force_login(user)
    html = client.get(reverse("clients:portal_home")).content.decode()
    assert reverse("certification:portal_certificates") in html


# session + user (2), the certificates with standard and main certificate (1), their PDFs (1).
PORTAL_CERTIFICATES_QUERIES = 4


@pytest.mark.parametrize("count", [1, 6])
def test_my_certificates_renders_in_a_fixed_number_of_queries(fast_pdf, client, django_assert_num_queries, count):
    owner = ClientFactory()
    for _i in range(count):
        certificate = CertificateFactory(client=owner)
        issue_now(certificate, language="zh-hans")
        issue_now(certificate, language="en")
    client.force_login(UserFactory(role=Role.CLIENT, client=owner))
    with django_assert_num_queries(PORTAL_CERTIFICATES_QUERIES):
        response = client.get(reverse("certification:portal_certificates"))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="portal-certificate-pdf"') == 2 * count


def test_my_certificates_is_for_client_users_only(client, make_user):
    for role in (Role.CB_ADMIN, Role.AUDITOR, Role.TEAM_LEADER, Role.COMMITTEE):
        client.force_login(make_user(role=role))
        assert client.get(reverse("certification:portal_certificates")).status_code == 403


def test_my_certificates_keeps_its_path():
    assert reverse("certification:portal_certificates") == "/certification/certificates/mine/"
