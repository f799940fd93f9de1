"""The pages: a client applies in the portal (a draft, then submitted), sees only its own
applications (another organisation's id is 404 on every page), and a staff user without the
reviewer competence is told so on the review page and cannot conclude."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from clients.tests.factories import ClientFactory, technical_area

from ..models import Application, ApplicationStatus
from . import factories as f

pytestmark = pytest.mark.django_db


def _client_user(name):
    return UserFactory(role="client", client=ClientFactory(name_zh=name, headcount=30))


def test_client_applies_in_the_portal(client):
    user = _client_user("门户申请有限公司")
    iso = f.iso9001()
    technical_area("33.02.01")
    client.force_login(user)
    assert client.get(reverse("applications:portal_index")).status_code == 200
    data = {
        "kind": "additional",
        "name_zh": "门户申请有限公司",
        "contact_name": "王五",
        "contact_phone": "010-2",
        "headcount": "30",
        "temporary_staff": "0",
        "part_time_staff": "2",
        "language": "zh",
        "codes": "33.02.01",
        "std-TOTAL_FORMS": "3",
        "std-INITIAL_FORMS": "0",
        "std-0-standard": str(iso.pk),
        "std-0-scope_zh": "软件开发",
        "site-TOTAL_FORMS": "3",
        "site-INITIAL_FORMS": "0",
        "site-0-kind": "registered",
        "site-0-address_zh": "北京市",
        "site-0-is_central": "on",
        "site-0-headcount": "30",
        "site-0-shifts": "1",
    }
    response = client.post(reverse("applications:new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.get(client=user.client)
    assert application.part_time_staff == 2 and application.standards.get().scope_zh == "软件开发"
    response = client.post(reverse("applications:act", args=[application.pk]), {"action": "submit"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_an_applicant_sees_only_its_own(client):
    mine = _client_user("甲申请有限公司")
    theirs = _client_user("乙申请有限公司")
    admin = f.admin_user()
    f.price_list()
    other = f.accepted(f.draft(by=theirs), admin=admin)
    from .. import services

    quotation = services.quotation_issue(application=other, by=admin)
    services.quotation_respond(quotation=quotation, accept=True, by=theirs)
    contract = services.contract_issue(application=other, by=admin)
    client.force_login(mine)
    page = client.get(reverse("applications:portal_index")).content.decode()
    assert other.reference not in page
    for name, pk in [
        ("applications:detail", other.pk),
        ("applications:edit", other.pk),
        ("applications:quotation_pdf", quotation.pk),
        ("applications:contract_copy_download", contract.pk),
    ]:
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    for name, pk in [
        ("applications:act", other.pk),
        ("applications:attach", other.pk),
        ("applications:quotation_respond", quotation.pk),
        ("applications:contract_act", contract.pk),
    ]:
        assert (
            client.post(reverse(name, args=[pk]), {"action": "client_accept", "answer": "accept"}).status_code == 404
        ), name


def test_staff_without_competence_is_told_and_refused(client):
    application = f.under_review()
    auditor = UserFactory(role="auditor")
    client.force_login(auditor)
    page = client.get(reverse("applications:review", args=[application.pk]))
    assert page.status_code == 200
    assert "reviewer-refusal" in page.content.decode()
    data = {f"{key}_ok": "yes" for key in f.ALL_OK} | {f"{key}_remark": "符合" for key in f.ALL_OK}
    response = client.post(
        reverse("applications:review", args=[application.pk]), {**data, "conclude": "1", "result": "accept"}
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    rev = f.reviewer()
    client.force_login(rev)
    response = client.post(
        reverse("applications:review", args=[application.pk]), {**data, "conclude": "1", "result": "accept"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED


def test_quotation_pdf_in_both_languages(client):
    admin = f.admin_user()
    f.price_list()
    application = f.accepted(admin=admin)
    from .. import services

    quotation = services.quotation_issue(application=application, by=admin)
    client.force_login(admin)
    for lang in ("zh", "en"):
        response = client.get(reverse("applications:quotation_pdf", args=[quotation.pk]) + f"?lang={lang}")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert b"".join(response).startswith(b"%PDF")
