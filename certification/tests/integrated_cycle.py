"""The issue's integrated client walked through the services, step by step: ISO 9001 + ISO 14001 +
ISO 45001, 25 people, EMS and OH&S complexity low, integrated with the 20 % IAF MD 11 reduction:
(3 + 3.5 + 3.5) × 0.8 = 8 man-days for stage 1 + stage 2, stage 1 2 (the CB's 20 % share), stage 2
6. Each method is one step of the cycle, so a test can stop before a step and try it wrongly."""

import datetime
from decimal import Decimal

from accounts.tests.factories import UserFactory
from audits import services as audit_services
from audits.calculation import StandardInput
from audits.models import AuditType, Stage1Outcome, TeamRole
from audits.tests.factories import CertificationBodyFactory, ClientFactory, qualified_profile, technical_area
from certification import services
from certification.models import CHECKLIST, ApprovalConclusion, DecisionType, EvaluationConclusion
from clients.models import SiteKind
from clients.tests.factories import ClientScopeFactory
from core.access import Role
from core.dates import local_today
from reports import services as report_services
from reports.tests.factories import shipped_standard

from .factories import CommitteeProfileFactory, SiteFactory, approver_user, committee_user

SCOPES = {
    "ISO 9001": ("电机控制器的设计和生产", "Design and production of motor controllers"),
    "ISO 14001": ("电机控制器的设计和生产所涉及的环境管理活动", "Environmental management activities of …"),
    "ISO 45001": ("电机控制器的设计和生产所涉及的职业健康安全管理活动", "OH&S management activities of …"),
}
INTEGRATION_REASON = "一体化管理体系：手册、内审和管理评审合一"


class IntegratedCycle:
    """The people and the client; ``stage_1_day`` and ``stage_2_day`` relative to today."""

    def __init__(self):
        CertificationBodyFactory()
        today = local_today()
        self.stage_1_day = today - datetime.timedelta(days=60)
        self.stage_2_day = today - datetime.timedelta(days=30)
        self.standards = [shipped_standard(code) for code in SCOPES]
        self.client = ClientFactory(name_zh="苏州澄泓电机科技有限公司", headcount=25)
        self.client.technical_areas.add(technical_area("19.09"))
        SiteFactory(client=self.client, kind=SiteKind.REGISTERED, address_zh="江苏省苏州市吴中区澄湖路88号")
        for standard in self.standards:
            zh, en = SCOPES[standard.code]
            ClientScopeFactory(client=self.client, standard=standard, scope_zh=zh, scope_en=en)
        self.admin = UserFactory(role=Role.CB_ADMIN)
        self.leader = UserFactory(role=Role.TEAM_LEADER, full_name="陈组长")
        qualified_profile(user=self.leader, families=("QMS", "EMS", "OHSMS"), codes=("19.09",))
        # A committee member who went on the audit as technical expert: competent, not independent.
        self.insider = committee_user(full_name="张专家")
        qualified_profile(user=self.insider, families=(), codes=("19.09",))
        CommitteeProfileFactory(user=self.insider, codes=["19.09"])
        self.insider_approver = approver_user(full_name="赵总")
        qualified_profile(user=self.insider_approver, families=(), codes=("19.09",))
        self.reviewer = CommitteeProfileFactory(user=committee_user(full_name="王评定"), codes=["19.09"]).user
        self.evaluator = committee_user(full_name="李委员")
        self.approver = approver_user(full_name="王建国")

    def plan(self, audit_type, day, planned=None):
        return audit_services.audit_plan(
            by=self.admin,
            client=self.client,
            audit_type=audit_type,
            standards=[
                StandardInput(self.standards[0]),
                StandardInput(self.standards[1], "low"),
                StandardInput(self.standards[2], "low"),
            ],
            integrated=True,
            integration_reduction_percent=Decimal(20),
            integration_reduction_reason=INTEGRATION_REASON,
            start_date=day,
            end_date=day + datetime.timedelta(days=1),
            on_site_days=Decimal(2),
            planned_man_days=None if planned is None else Decimal(planned),
        )

    def staff(self, audit, *insiders):
        audit_services.team_assignment_add(
            audit=audit, profile=self.leader.auditor_profile, role=TeamRole.LEADER, by=self.admin
        )
        for user in insiders:
            audit_services.team_assignment_add(
                audit=audit, profile=user.auditor_profile, role=TeamRole.TECHNICAL_EXPERT, by=self.admin
            )

    def start(self, audit):
        return audit_services.audit_start(audit=audit, by=self.leader)

    def report_approved(self, audit, **approval):
        """The leader writes every applicable topic and choice, submits and approves."""
        from reports.tests.factories import fill_report

        report = report_services.report_start(audit=audit, by=self.leader)
        holder = type("Setup", (), {"report": report, "leader_user": self.leader})()
        fill_report(holder, by=self.leader)
        report_services.report_submit(report=report, by=self.leader)
        return report_services.report_approve(report=report, by=self.leader, **approval)

    def stage_1_ready(self, audit):
        return self.report_approved(audit, stage_1_outcome=Stage1Outcome.READY, stage_1_remark="具备第二阶段审核条件")

    def review_passed(self, audit):
        review = services.review_open(audit=audit, by=self.admin)
        services.reviewer_assign(review=review, reviewer=self.reviewer, by=self.admin)
        for key, clause, _text in CHECKLIST:
            services.review_answer(review=review, point=key, answer="yes", remark=f"{clause} 符合", by=self.reviewer)
        return services.review_conclude(review=review, passed=True, remark="评定通过", by=self.reviewer)

    def grant_opened(self, audit, review):
        return services.decision_open(
            decision_type=DecisionType.GRANT,
            client=self.client,
            by=self.admin,
            audit=audit,
            review=review,
            programme=audit.programme,
            standards=self.standards,
            scopes={s.pk: SCOPES[s.code] for s in self.standards},
        )

    def evaluate(self, decision, by):
        return services.decision_evaluate(
            decision=decision,
            conclusion=EvaluationConclusion.AGREE,
            remarks="同意注册",
            evaluated_on=local_today(),
            by=by,
            version=decision.version,
        )

    def approve(self, decision, by):
        return services.decision_approve(
            decision=decision,
            conclusion=ApprovalConclusion.APPROVE,
            remarks="批准注册",
            approved_on=local_today(),
            by=by,
            version=decision.version,
        )

    def stages(self):
        return AuditType.STAGE_1, AuditType.STAGE_2
