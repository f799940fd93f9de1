"""A whole certification cycle of an integrated client in the browser, each step clicked by the
person whose step it is: ISO 9001 + ISO 14001 + ISO 45001, 25 people, EMS and OH&S complexity low.

programme (CB administrator) → stage 1: plan, team, start, report approved "ready" (team leader)
→ stage 2: planned at the IAF MD 5 / MD 11 minimum (8 man-days together, stage 1 2 → stage 2 6),
started, one NC per standard answered by the client in the portal, verified by the auditor, closed
by the leader, report approved → technical review (reviewer) → grant decision evaluated (committee
member) and approved (approver) → three certificates, each with its own standard's scope and number
→ surveillance 1, due within 12 months of the decision date (CNCA rules, issue = decision date) →
maintain → surveillance 2 → maintain → recertification before expiry → renew: R1, the new expiry
continues the cycle (previous expiry + 3 years).

Dates: stage 1 and stage 2 lie in the past (the rules record them after the fact); the decisions are
dated today (an evaluation cannot precede the review's conclusion, which is now), so the
surveillance and recertification audits are dated ahead, where the programme's rules put them.
Report content is written through the service the editor's autosave uses (``topic_save``,
``report_values_save``) and the three nonconformities are recorded through the findings services
(``e2e/test_report_authoring.py`` clicks those forms); every status change — plan, team, start,
submit, approve, the client's answer, verification, closure, review, decision, evaluation,
approval — is a click on the page by the person whose step it is."""

import datetime
import re

import pytest

from accounts.tests.factories import UserFactory
from audits.models import Audit, AuditStatus, AuditType
from audits.programme_rules import add_months
from audits.tests.factories import qualified_profile, technical_area
from certification.models import CHECKLIST, Certificate, CertificateStatus, Decision, DecisionStatus, DecisionType
from certification.tests.factories import CommitteeProfileFactory, SiteFactory, approver_user, committee_user
from clients.models import SiteKind
from clients.tests.factories import ClientScopeFactory, DepartmentFactory, ResponsibilityFactory
from core.access import Role
from core.dates import local_today
from findings import services as finding_services
from findings.models import Nonconformity
from findings.tests.factories import PDF_BYTES
from people.tests.factories import QualificationFactory
from reports.models import Report
from reports.template_loader import load_report_template
from reports.tests.factories import ensure_shipped_standards, fill_report, shipped_standard
from standards.models import Clause

SCOPES = {
    "ISO 9001": ("电机控制器的设计和生产", "Design and production of motor controllers"),
    "ISO 14001": (
        "电机控制器的设计和生产所涉及的相关环境管理活动",
        "Environmental management activities of the design and production of motor controllers",
    ),
    "ISO 45001": (
        "电机控制器的设计和生产所涉及的相关职业健康安全管理活动",
        "OH&S management activities of the design and production of motor controllers",
    ),
}
NC_CLAUSES = {"ISO 9001": "7.5.3", "ISO 14001": "6.1.2", "ISO 45001": "8.1.2"}
PASSWORD = "pw-for-tests-1"


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class Journey:
    def __init__(self, page, live_server, login):
        self.page, self.url, self._login = page, live_server.url, login

    def as_user(self, user):
        self.page.goto("about:blank")  # no late request of the last page may set a cookie
        self.page.context.clear_cookies()
        self._login(user.username)

    def submit(self, test_id, *, within=None, timeout=60_000):
        scope = within if within is not None else self.page
        with self.page.expect_navigation(timeout=timeout):
            scope.get_by_test_id(test_id).first.click()

    # --- CB administrator -------------------------------------------------------------------

    def plan(self, client, audit_type, start, *, days=2, planned=None):
        page = self.page
        page.goto(f"{self.url}/audits/new/")
        page.select_option("select[name=client]", label=client.name_zh)
        with page.expect_navigation():
            page.get_by_test_id("choose-client").get_by_role("button").click()
        form = page.get_by_test_id("audit-form")
        form.locator("select[name=audit_type]").select_option(audit_type)
        form.locator("select[name=ems_complexity]").select_option("low")
        form.locator("select[name=ohsms_complexity]").select_option("low")
        form.locator("input[name=integrated]").check()
        form.locator("input[name=integration_reduction_percent]").fill("20")
        form.locator("textarea[name=integration_reduction_reason]").fill("一体化管理体系：手册、内审和管理评审合一")
        form.locator("input[name=start_date]").fill(start.isoformat())
        form.locator("input[name=end_date]").fill((start + datetime.timedelta(days=days - 1)).isoformat())
        form.locator("input[name=on_site_days]").fill(str(days))
        if planned is not None:
            form.locator("input[name=planned_man_days]").fill(str(planned))
        self.submit("save-audit")
        assert re.search(r"/audits/\d+/$", page.url), page.get_by_test_id("audit-form").inner_text()
        return Audit.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))

    def staff(self, audit, *members):
        page = self.page
        page.goto(f"{self.url}/audits/{audit.pk}/team/")
        for profile, role in members:
            add = page.get_by_test_id("team-add")
            add.locator("select[name=profile]").select_option(str(profile.pk))
            add.locator("select[name=role]").select_option(role)
            with page.expect_navigation():
                add.get_by_role("button").click()
        page.get_by_test_id("team-ok").wait_for()

    def open_review(self, audit, reviewer):
        page = self.page
        page.goto(f"{self.url}/certification/reviews/audit/{audit.pk}/")
        self.submit("open-review")
        page.get_by_test_id("assign-form").locator("select[name=reviewer]").select_option(str(reviewer.pk))
        self.submit("assign-reviewer")
        assert reviewer.get_full_name() in page.get_by_test_id("reviewers").inner_text()

    # --- team leader ------------------------------------------------------------------------

    def start(self, audit):
        self.page.goto(f"{self.url}/audits/{audit.pk}/")
        self.submit("start-audit")
        audit.refresh_from_db()
        assert audit.status == AuditStatus.IN_PROGRESS, self.page.content()[:3000]

    def write_report(self, audit, author):
        """Open the report from the audit (the team starts it with the page's button: opening a
        page changes nothing) and write it through the editor's autosave service."""
        self.page.goto(f"{self.url}/reports/audit/{audit.pk}/")
        if self.page.get_by_test_id("start-report").count():
            self.submit("start-report")
        self.page.get_by_test_id("report-title").wait_for()
        report = Report.objects.get(audit=audit)
        fill_report(type("Writing", (), {"report": report, "leader_user": author})(), by=author)
        return report

    def submit_and_approve(self, report, *, stage_1=False):
        page = self.page
        page.goto(f"{self.url}/reports/{report.pk}/")
        self.submit("submit-report")
        if stage_1:
            form = page.get_by_test_id("stage-1-approve-form")
            form.locator("input[name=stage_1_outcome][value=ready]").check()
            form.locator("[name=stage_1_remark]").fill(
                "文件评审和现场初访表明三个体系均已建立并运行，具备第二阶段审核条件。"
            )
            self.submit("approve-report", within=form)
        else:
            self.submit("approve-report")
        report.refresh_from_db()
        assert report.status == "approved"

    # --- committee --------------------------------------------------------------------------

    def pass_review(self, audit):
        page = self.page
        page.goto(f"{self.url}/certification/reviews/audit/{audit.pk}/")
        for key, clause, _text in CHECKLIST:
            page.locator(f'select[name="{key}__answer"]').select_option("yes")
            page.locator(f'textarea[name="{key}__remark"]').fill(f"{clause} 符合要求")
        self.submit("checklist-save")
        page.locator('input[name="outcome"][value="pass"]').check()
        page.locator('textarea[name="remark"]').fill("审核资料完整，评定通过。")
        self.submit("conclude")
        assert page.get_by_test_id("review-status").get_attribute("data-status") == "passed"

    def open_and_evaluate(self, audit, expected_type):
        page = self.page
        page.goto(f"{self.url}/certification/reviews/audit/{audit.pk}/")
        self.submit("open-decision")
        assert page.locator('select[name="decision_type"]').input_value() == expected_type
        self.submit("decision-open-submit")
        decision = Decision.objects.get(audit=audit, decision_type=expected_type)
        page.get_by_test_id("evaluation-form").locator('input[name="conclusion"][value="agree"]').check()
        page.locator('textarea[name="closing_meeting_differences"]').fill("无")
        self.submit("evaluate")
        assert page.get_by_test_id("decision-status").get_attribute("data-status") == DecisionStatus.AWAITING_APPROVAL
        return decision

    def approve(self, decision):
        page = self.page
        page.goto(f"{self.url}/certification/decisions/{decision.pk}/")
        page.get_by_test_id("approval-form").locator('input[name="conclusion"][value="approve"]').check()
        self.submit("approve", timeout=300_000)  # certificates' PDFs render in the request without a broker
        decision.refresh_from_db()
        assert decision.status == DecisionStatus.APPROVED
        return decision


def _people():
    """The CB's people: a team leader registered per system, an auditor, a reviewer, a committee
    member (evaluator), the approver, a CB administrator."""
    admin = UserFactory(role=Role.CB_ADMIN, username="cycle-admin")
    leader = UserFactory(role=Role.TEAM_LEADER, username="cycle-leader", full_name="陈立")
    leader_profile = qualified_profile(
        user=leader, families=(), codes=("19.09",), registration_number="2019-N1QMS-1234567"
    )
    auditor = UserFactory(role=Role.AUDITOR, username="cycle-auditor", full_name="林审")
    auditor_profile = qualified_profile(
        user=auditor, families=(), codes=("19.09",), registration_number="2020-N1QMS-7654321"
    )
    for family, number in (
        ("QMS", "2019-N1QMS-1234567"),
        ("EMS", "2019-N1EMS-1234568"),
        ("OHSMS", "2019-N1OHSMS-1234569"),
    ):
        QualificationFactory(profile=leader_profile, family=family, level="lead_auditor", registration_number=number)
        QualificationFactory(profile=auditor_profile, family=family, level="auditor")
    reviewer = CommitteeProfileFactory(
        user=committee_user(username="cycle-reviewer", full_name="王评定"), codes=["19.09"]
    ).user
    evaluator = committee_user(username="cycle-committee", full_name="李委员")
    approver = approver_user(username="cycle-approver", full_name="王建国")
    return admin, leader, leader_profile, auditor, auditor_profile, reviewer, evaluator, approver


def _client():
    ensure_shipped_standards()
    load_report_template()
    from audits.tests.factories import ClientFactory

    organisation = ClientFactory(
        name_zh="苏州澄泓电机科技有限公司", name_en="Suzhou Chenghong Motor Technology Co., Ltd.", headcount=25
    )
    organisation.technical_areas.add(technical_area("19.09"))
    SiteFactory(client=organisation, kind=SiteKind.REGISTERED, address_zh="江苏省苏州市吴中区澄湖路88号")
    standards = [shipped_standard(code) for code in SCOPES]
    for standard in standards:
        zh, en = SCOPES[standard.code]
        ClientScopeFactory(client=organisation, standard=standard, scope_zh=zh, scope_en=en)
    production = DepartmentFactory(client=organisation, name_zh="生产部", name_en="Production", order=1)
    for standard in standards:
        ResponsibilityFactory(department=production, clause=Clause.objects.get(standard=standard, number="8.1"))
    customer = UserFactory(role=Role.CLIENT, client=organisation, username="cycle-client", full_name="周敏")
    return organisation, standards, production, customer


def test_an_integrated_client_goes_from_its_programme_to_recertification(
    page, live_server, login, private_media, celery_worker_if_broker
):
    page.set_default_timeout(60_000)
    admin, leader, leader_profile, auditor, auditor_profile, reviewer, evaluator, approver = _people()
    organisation, standards, production, customer = _client()
    today = local_today()
    j = Journey(page, live_server, login)

    # Programme (CB administrator): the three standards from the client's scope, CNCA rules.
    j.as_user(admin)
    page.goto(f"{live_server.url}/audits/programmes/client/{organisation.pk}/new/")
    form = page.get_by_test_id("programme-form")
    assert all(form.locator(f"input[name=standards][value='{s.pk}']").is_checked() for s in standards)
    form.locator("select[name=rule_set]").select_option("cnca")
    with page.expect_navigation():
        form.get_by_role("button", name=re.compile("保存|Save")).click()
    programme = organisation.programmes.get()

    # Stage 1: planned with the CB's share of the initial time (8 × 20 % → 2), staffed, started.
    stage_1 = j.plan(organisation, AuditType.STAGE_1, today - datetime.timedelta(days=60), days=1)
    assert (stage_1.calculation["total"], stage_1.planned_man_days, stage_1.programme_id) == ("8", 2, programme.pk)
    j.staff(stage_1, (leader_profile, "leader"))
    # Stage 2 is booked at the minimum the floor leaves: 8 − 2 = 6 man-days.
    stage_2 = j.plan(organisation, AuditType.STAGE_2, today - datetime.timedelta(days=30), days=3, planned=6)
    assert stage_2.planned_man_days == 6
    j.staff(stage_2, (leader_profile, "leader"), (auditor_profile, "auditor"))
    assert "QMS: 2019-N1QMS-1234567; EMS: 2019-N1EMS-1234568" in page.get_by_test_id("team-table").inner_text()

    j.as_user(leader)
    page.goto(f"{live_server.url}/audits/{stage_2.pk}/")
    assert "9.3.1" in page.get_by_test_id("stage-2-refusals").inner_text()  # not before stage 1 is ready
    j.start(stage_1)
    j.submit_and_approve(j.write_report(stage_1, leader), stage_1=True)
    page.goto(f"{live_server.url}/audits/{stage_2.pk}/")
    assert page.get_by_test_id("stage-1-conclusion").count()

    # Stage 2: started, written, one nonconformity per standard.
    j.start(stage_2)
    report = j.write_report(stage_2, leader)
    ncs = []
    for standard in standards:
        clause = Clause.objects.get(standard=standard, number=NC_CLAUSES[standard.code])
        finding = finding_services.finding_create(
            audit=stage_2, by=auditor, clause=clause, department=production, description=f"{standard.code} 发现"
        )
        ncs.append(
            finding_services.nonconformity_raise(
                finding=finding,
                by=auditor,
                grade="minor",
                requirement=f"{standard.national_equivalent} {clause.number}",
                statement=f"{standard.code} {clause.number} 的记录不完整",
                evidence="抽查生产部记录",
            )
        )
    assert sorted(nc.family for nc in ncs) == ["EMS", "OHSMS", "QMS"]
    j.submit_and_approve(report)

    # The client answers each nonconformity in the portal.
    j.as_user(customer)
    for nc in ncs:
        page.goto(f"{live_server.url}/clients/portal/nonconformities/{nc.pk}/")
        form = page.get_by_test_id("response-form")
        form.locator("textarea[name=correction]").fill("补齐记录")
        form.locator("textarea[name=root_cause]").fill("记录要求未培训到位")
        form.locator("textarea[name=corrective_action]").fill("修订程序并培训")
        form.locator("input[name=files]").set_input_files(
            files=[{"name": "整改记录.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
        )
        j.submit("response-submit")
    # The auditor verifies each answer; the team leader approves each closure.
    j.as_user(auditor)
    for nc in ncs:
        page.goto(f"{live_server.url}/audits/nc/{nc.pk}/")
        verify = page.get_by_test_id("verify-form")
        verify.locator("input[name=decision][value=accept]").check()
        verify.locator("select[name=method]").select_option("documents")
        j.submit("verify-submit")
    j.as_user(leader)
    for nc in ncs:
        page.goto(f"{live_server.url}/audits/nc/{nc.pk}/")
        page.get_by_test_id("closure-form").locator("input[name=decision][value=approve]").check()
        j.submit("closure-submit")
    assert set(Nonconformity.objects.filter(audit=stage_2).values_list("status", flat=True)) == {"closed"}
    stage_2.refresh_from_db()
    assert stage_2.status == AuditStatus.NCS_CLOSED

    # Technical review, grant decision, three certificates.
    j.as_user(admin)
    j.open_review(stage_2, reviewer)
    j.as_user(reviewer)
    j.pass_review(stage_2)
    j.as_user(evaluator)
    grant = j.open_and_evaluate(stage_2, DecisionType.GRANT)
    j.as_user(approver)
    j.approve(grant)
    certificates = {c.standard.code: c for c in Certificate.objects.filter(decision=grant).select_related("standard")}
    assert {code: (c.scope_zh, c.scope_en) for code, c in certificates.items()} == SCOPES
    assert len({c.number for c in certificates.values()}) == 3
    assert all(c.status == CertificateStatus.VALID and c.issued_on == today for c in certificates.values())
    assert all(re.search(r"R0[SML]$", c.number) for c in certificates.values())
    issued_text = page.get_by_test_id("issued-certificate").all_inner_texts()
    assert sorted(t.strip() for t in issued_text) == sorted(c.number for c in certificates.values())

    # Surveillance 1: due within 12 months of the decision date (CNCA 5.4.1.4; issued that day).
    j.as_user(admin)
    page.goto(f"{live_server.url}/audits/programmes/client/{organisation.pk}/")
    due_1 = page.get_by_test_id("schedule-surveillance_1").locator("td").nth(1).inner_text()[:10]
    due_1 = datetime.date.fromisoformat(due_1)
    assert today < due_1 <= add_months(day=grant.approved_on, months=12)
    surveillance_days = []
    previous_end = today
    for audit_type, due_kind in ((AuditType.SURVEILLANCE_1, None), (AuditType.SURVEILLANCE_2, "surveillance_2")):
        j.as_user(admin)
        if due_kind:
            page.goto(f"{live_server.url}/audits/programmes/client/{organisation.pk}/")
            due = datetime.date.fromisoformat(
                page.get_by_test_id(f"schedule-{due_kind}").locator("td").nth(1).inner_text()[:10]
            )
            assert due <= add_months(day=previous_end, months=12)
        else:
            due = due_1
        start = due - datetime.timedelta(days=30)
        audit = j.plan(organisation, audit_type, start, days=2)
        surveillance_days.append(audit.start_date)
        j.staff(audit, (leader_profile, "leader"))
        j.as_user(leader)
        j.start(audit)
        j.submit_and_approve(j.write_report(audit, leader))
        j.as_user(admin)
        j.open_review(audit, reviewer)
        j.as_user(reviewer)
        j.pass_review(audit)
        j.as_user(evaluator)
        maintain = j.open_and_evaluate(audit, DecisionType.MAINTAIN)
        j.as_user(approver)
        j.approve(maintain)
        previous_end = audit.end_date
    assert surveillance_days[0] <= add_months(day=grant.approved_on, months=12)
    assert {c.status for c in Certificate.objects.filter(decision=grant)} == {CertificateStatus.VALID}

    # Recertification before expiry; renewal: R1, the new validity continues the cycle.
    expiry = certificates["ISO 9001"].expires_on
    j.as_user(admin)
    recertification = j.plan(organisation, AuditType.RECERTIFICATION, expiry - datetime.timedelta(days=60), days=2)
    j.staff(recertification, (leader_profile, "leader"))
    j.as_user(leader)
    j.start(recertification)
    j.submit_and_approve(j.write_report(recertification, leader))
    j.as_user(admin)
    j.open_review(recertification, reviewer)
    j.as_user(reviewer)
    j.pass_review(recertification)
    j.as_user(evaluator)
    renew = j.open_and_evaluate(recertification, DecisionType.RENEW)
    j.as_user(approver)
    j.approve(renew)
    renewed = {c.standard.code: c for c in Certificate.objects.filter(decision=renew).select_related("standard")}
    assert set(renewed) == set(SCOPES)
    for code, new in renewed.items():
        old = certificates[code]
        old.refresh_from_db()
        assert old.status == CertificateStatus.CANCELLED
        assert new.status == CertificateStatus.VALID and new.scope_zh == SCOPES[code][0]
        assert new.number == re.sub(r"R0([SML])$", r"R1\1", old.number)
        assert new.expires_on == add_months(day=old.expires_on, months=36)
    assert organisation.programmes.filter(cycle=2, active=True).exists()
