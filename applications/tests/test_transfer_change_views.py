"""The transfer and change pages: a client reports a change in the portal and sees only its own
(another organisation's id is 404), a CB administrator approves it, staff without the reviewer
competence cannot save a pre-transfer review, a competent reviewer concludes it on the page."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from certification.tests.factories import certified_client
from clients.models import SiteKind
from clients.tests.factories import SiteFactory
from core.access import Role

from ..models import ApplicationStatus, ChangeRequest, ChangeStatus, TransferReview
from . import factories as f

pytestmark = pytest.mark.django_db


def _certified_user():
    certified = certified_client()
    SiteFactory(client=certified.client, kind=SiteKind.REGISTERED, address_zh="北京市海淀区旧路1号")
    return certified, UserFactory(role=Role.CLIENT, client=certified.client)


def test_a_client_reports_an_address_change_and_another_client_gets_404(client):
    certified, user = _certified_user()
    _other, stranger = _certified_user()
    client.force_login(user)
    response = client.post(
        reverse("applications:change_new"), {"kind": "address", "address_zh": "北京市朝阳区新路8号"}, follow=True
    )
    assert response.status_code == 200
    change = ChangeRequest.objects.get()
    assert change.client == certified.client and change.requested_by == user
    assert client.get(reverse("applications:change_portal")).content.decode().count('data-testid="change-row"') == 1
    # A missing address is a message on the form, not a 500 and no row.
    response = client.post(reverse("applications:change_new"), {"kind": "address"})
    assert response.status_code == 200 and ChangeRequest.objects.count() == 1
    # The client may not approve its own change.
    assert client.post(reverse("applications:change_act", args=[change.pk]), {"action": "approve"}).status_code == 403

    client.force_login(stranger)
    assert client.get(reverse("applications:change_detail", args=[change.pk])).status_code == 404
    assert "北京市朝阳区新路8号" not in client.get(reverse("applications:change_portal")).content.decode()

    client.force_login(f.admin_user())
    client.post(reverse("applications:change_act", args=[change.pk]), {"action": "approve", "note": "已核对"})
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED and change.decision.decision_type == "reissue"


def test_a_rejection_without_a_reason_is_refused_on_the_page(client):
    certified, _user = _certified_user()
    client.force_login(f.admin_user())
    client.post(
        reverse("applications:change_new"), {"client": certified.client.pk, "kind": "name", "name_zh": "新名称有限公司"}
    )
    change = ChangeRequest.objects.get()
    response = client.post(reverse("applications:change_act", args=[change.pk]), {"action": "reject"}, follow=True)
    assert response.status_code == 200
    change.refresh_from_db()
    assert change.status == ChangeStatus.SUBMITTED


def _transfer_post(**extra):
    data = {
        "certificate_state": "valid",
        "certificate_issued_on": "2025-01-10",
        "accreditation_body": "CNAS",
        "ab_mla_signatory": "yes",
        "accreditation_state": "valid",
        "last_audit": "surveillance_1",
        "last_audit_on": "",
        "open_major_ncs": "0",
        "open_minor_ncs": "0",
        "open_complaints": "0",
        "issuing_cb_cooperates": "on",
        "transfer_reason": "服务更便捷",
    }
    for key in f.TRANSFER_OK:
        data[f"{key}_ok"] = "yes"
        data[f"{key}_remark"] = "已核实"
    data.update(extra)
    return data


def test_staff_without_the_competence_cannot_save_a_pre_transfer_review(client):
    application = f.transfer_under_review()
    client.force_login(f.reviewer(permission=False))
    page = client.get(reverse("applications:transfer_review", args=[application.pk]))
    assert page.status_code == 200 and 'data-testid="reviewer-refusal"' in page.content.decode()
    assert (
        client.post(reverse("applications:transfer_review", args=[application.pk]), _transfer_post()).status_code == 403
    )
    assert not TransferReview.objects.exists()


def test_a_competent_reviewer_concludes_on_the_page_and_a_missing_report_declines(client):
    application = f.transfer_under_review()
    client.force_login(f.reviewer())
    url = reverse("applications:transfer_review", args=[application.pk])
    response = client.post(url, _transfer_post(conclude="1", reasons="未见监督审核报告"), follow=True)
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED
    assert TransferReview.objects.get().outcome == "refused"


def test_a_client_sees_its_transfer_but_not_the_review_page(client):
    from clients.tests.factories import ClientFactory

    user = UserFactory(role=Role.CLIENT, client=ClientFactory())
    application = f.transfer_under_review(admin=f.admin_user())
    client.force_login(user)
    assert client.get(reverse("applications:transfer_review", args=[application.pk])).status_code == 403


def test_saved_dates_come_back_in_the_form_as_a_date_input_reads_them(client, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    application = f.transfer_under_review()
    client.force_login(f.reviewer())
    url = reverse("applications:transfer_review", args=[application.pk])
    client.post(url, _transfer_post(last_audit_on="2026-01-10"))
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'value="2025-01-10"' in page and 'value="2026-01-10"' in page
