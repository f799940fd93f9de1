"""Complaints and appeals in the browser:

1. a member of the public complains about a certified client on the public form → the CB
   administrator acknowledges and validates it, assigns an uninvolved investigator, plans a special
   audit and opens a suspension decision → the committee suspends the certificate → the
   investigator decides → the complainant is told and the complaint closed;
2. a client appeals a refusal from the portal → the administrator assigns an uninvolved reviewer
   (the involved are not offered) → the reviewer changes the decision → the new grant decision
   goes through the normal path → the certificate is issued → the client sees the answer."""

import datetime
import re

import pytest

from accounts.tests.factories import UserFactory
from certification import services as cert_services
from certification.models import Certificate, CertificateStatus, DecisionType
from certification.tests.factories import approver_user, committee_user, decide, pass_review, review_cast, today
from complaints.models import Appeal, Complaint
from complaints.tests.factories import cast
from core.access import Role


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _submit(page, locator):
    with page.expect_navigation():
        locator.click()


def _logout(page, live_server):
    page.get_by_test_id("current-user").click()
    page.get_by_role("button", name=re.compile("退出|Log out")).click()
    page.wait_for_url(f"{live_server.url}/login/")


def _act(page, action, **fields):
    section = page.get_by_test_id(f"action-{action}")
    for name, value in fields.items():
        section.locator(f"[name={name}]").fill(value)
    _submit(page, section.get_by_test_id(f"do-{action}"))


def test_public_complaint_to_special_audit_suspension_and_answer(page, live_server, login, private_media):
    people = cast()
    # 1. The public form, beside the certificate register.
    page.goto(f"{live_server.url}/verify/")
    _submit(page, page.get_by_test_id("complain-link"))
    form = page.get_by_test_id("public-complaint-form")
    form.locator("[name=complainant_name]").fill("王女士")
    form.locator("[name=complainant_email]").fill("wang@example.com")
    form.locator("[name=subject]").select_option("certified_client")
    form.locator("[name=certificate_number_given]").fill(people.certificate.number)
    form.locator("[name=summary]").fill("获证组织发生生产安全事故")
    form.locator("[name=description]").fill("仓库火灾后仍宣传其认证。")
    _submit(page, page.get_by_test_id("public-complaint-submit"))
    complaint = Complaint.objects.get()
    assert page.get_by_test_id("ack-number").inner_text() == complaint.ack_number

    # 2. The administrator acknowledges, validates, assigns, starts the investigation.
    login(people.admin.username)
    page.goto(f"{live_server.url}/complaints/")
    _submit(page, page.get_by_role("link", name=complaint.reference))
    assert "王女士" in page.get_by_test_id("complainant").inner_text()
    assert people.certificate.number in page.get_by_test_id("certificate").inner_text()
    _act(page, "acknowledge")
    _act(page, "validate", note="涉及获证组织的认证")
    options = page.get_by_test_id("assign-form").locator("select[name=handler] option").all_inner_texts()
    assert people.leader.full_name not in " ".join(options)  # the audit's leader is not offered
    page.get_by_test_id("assign-form").locator("select[name=handler]").select_option(str(people.investigator.pk))
    _submit(page, page.get_by_test_id("assign-form").locator("button"))
    _act(page, "investigate")
    assert page.get_by_test_id("complaint-status").inner_text() == "调查中"

    # 3. A special audit and a suspension decision, through the audits and certification paths.
    start = (today() + datetime.timedelta(days=14)).isoformat()
    audit_form = page.get_by_test_id("special-audit-form")
    audit_form.locator("[name=start_date]").fill(start)
    audit_form.locator("[name=end_date]").fill(start)
    audit_form.locator("[name=on_site_days]").fill("1")
    audit_form.locator("[name=man_days]").fill("1")
    _submit(page, audit_form.locator("button"))
    assert "特殊审核" in page.get_by_test_id("special-audit").inner_text()
    suspension = page.get_by_test_id("suspension-form")
    suspension.locator("select[name=reason]").select_option(index=1)
    suspension.locator("[name=suspension_ends_on]").fill((today() + datetime.timedelta(days=90)).isoformat())
    _submit(page, suspension.locator("button"))
    complaint.refresh_from_db()
    decision = complaint.suspension_decision
    assert decision.decision_type == DecisionType.SUSPEND
    # The committee decides (its pages are tested in test_certification.py).
    cert_services.decision_evaluate(
        decision=decision, conclusion="agree", remarks="同意", evaluated_on=today(), by=committee_user()
    )
    cert_services.decision_approve(
        decision=decision, conclusion="approve", remarks="批准", approved_on=today(), by=approver_user()
    )
    people.certificate.refresh_from_db()
    assert people.certificate.status == CertificateStatus.SUSPENDED
    _logout(page, live_server)

    # 4. The investigator decides; the administrator tells the complainant and closes.
    login(people.investigator.username)
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    section = page.get_by_test_id("action-decide")
    section.locator("[name=findings]").fill("事故属实，体系运行失效。")
    section.locator("[name=outcome]").select_option("upheld")
    section.locator("[name=decision_text]").fill("特殊审核并暂停证书。")
    _submit(page, section.get_by_test_id("do-decide"))
    _logout(page, live_server)
    login(people.admin.username)
    page.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    _act(page, "answer", answer_text="投诉属实，已暂停其证书。")
    _act(page, "close")
    assert page.get_by_test_id("complaint-status").inner_text() == "已关闭"
    complaint.refresh_from_db()
    assert (complaint.status, complaint.answered_on) == ("closed", today())


def test_client_appeal_of_a_refusal_changed_and_the_certificate_issued(page, live_server, login, private_media):
    rc = review_cast()
    review = pass_review(rc)
    refusal = decide(
        decision_type=DecisionType.REFUSE,
        client=rc.audit.client,
        opened_by=rc.admin,
        evaluator=rc.evaluator,
        approver=rc.approver,
        audit=rc.audit,
        review=review,
    )
    customer = UserFactory(role=Role.CLIENT, client=rc.audit.client)
    reviewer = UserFactory(role=Role.COMMITTEE, full_name="独立复核人")

    # 1. The client appeals from the portal.
    login(customer.username)
    page.goto(f"{live_server.url}/complaints/portal/")
    _submit(page, page.get_by_test_id(f"appeal-{refusal.pk}"))
    page.locator("[name=grounds]").fill("审核组建议推荐注册，拒绝理由不成立。")
    _submit(page, page.get_by_role("button", name="提交申诉"))
    appeal = Appeal.objects.get()
    _logout(page, live_server)

    # 2. The administrator assigns an uninvolved reviewer and starts the review.
    login(rc.admin.username)
    page.goto(f"{live_server.url}/complaints/appeals/{appeal.pk}/")
    options = " ".join(page.get_by_test_id("assign-form").locator("option").all_inner_texts())
    for involved in (rc.evaluator, rc.approver, rc.leader, rc.reviewer):
        assert involved.full_name not in options
    page.get_by_test_id("assign-form").locator("select[name=handler]").select_option(str(reviewer.pk))
    _submit(page, page.get_by_test_id("assign-form").locator("button"))
    assert page.get_by_test_id("reviewer").inner_text() == "独立复核人"
    _act(page, "review")
    _logout(page, live_server)

    # 3. The reviewer changes the decision.
    login(reviewer.username)
    page.goto(f"{live_server.url}/complaints/appeals/{appeal.pk}/")
    section = page.get_by_test_id("action-decide")
    section.locator("[name=outcome]").select_option("changed")
    section.locator("[name=findings]").fill("证据支持注册。")
    _submit(page, section.get_by_test_id("do-decide"))
    _logout(page, live_server)

    # 4. The administrator opens the grant through the normal decision path; the committee approves it.
    login(rc.admin.username)
    page.goto(f"{live_server.url}/complaints/appeals/{appeal.pk}/")
    form = page.get_by_test_id("new-decision-form")
    form.locator("select[name=decision_type]").select_option("grant")
    _submit(page, form.locator("button"))
    appeal.refresh_from_db()
    grant = appeal.new_decision
    assert grant.decision_type == DecisionType.GRANT
    cert_services.decision_evaluate(
        decision=grant, conclusion="agree", remarks="同意", evaluated_on=today(), by=committee_user()
    )
    cert_services.decision_approve(
        decision=grant, conclusion="approve", remarks="批准", approved_on=today(), by=rc.approver
    )
    assert Certificate.objects.get(client=rc.audit.client).status == CertificateStatus.VALID
    page.reload()
    _act(page, "answer", answer_text="原决定已改变，证书已颁发。")
    _logout(page, live_server)

    # 5. The client sees the answer.
    login(customer.username)
    page.goto(f"{live_server.url}/complaints/portal/")
    assert "原决定已改变，证书已颁发。" in page.get_by_test_id("portal-appeals").inner_text()
