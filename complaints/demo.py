"""The complaints app's part of ``seed_demo`` (idempotent): for the seed client 中食互联, one
complaint handled to closure (received from the public form, validated, investigated by a person
not involved in its certification, answered, closed) and one appeal of its certification decision
reviewed by an uninvolved person and answered; the impartiality risk register (the four threats
of 17021-1 5.2, the declared conflicts of interest), the committee with a meeting, and the
administrator's signed declaration."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from certification.models import Certificate, Decision, DecisionStatus
from clients.demo import SEED_CLIENT
from core.access import Role
from core.dates import local_today

from . import services
from .lifecycle import APPEAL_MACHINE
from .models import Appeal, CommitteeMember, Complaint, ComplaintPolicy, Declaration, ImpartialityRisk

COMPLAINT_SUMMARY = "获证组织宣传的认证范围超出证书范围"
RISKS = [
    (
        "self_interest",
        "认证收入依赖少数大客户",
        "经营部",
        2,
        3,
        "认证决定与销售分离；大客户收入占比每季度报告公正性委员会",
    ),
    (
        "self_review",
        "同一集团内培训机构为客户提供内审员培训",
        "关联培训机构",
        1,
        2,
        "培训不针对特定客户体系；参训客户两年内不由培训教师审核",
    ),
    ("familiarity", "审核员连续多年审核同一客户", "审核部", 2, 2, "同一审核组长连续审核不超过两个认证周期"),
    (
        "intimidation",
        "客户以转换认证机构施压要求关闭不符合",
        "客户",
        1,
        3,
        "不符合关闭由技术委员会独立复核；施压事件报告公正性委员会",
    ),
]


def _warn(stdout, message):
    stdout.write(f"  WARNING: {message}")


def seed(stdout):
    admin = User.objects.filter(username="admin").first()
    client_user = User.objects.filter(username="client", client__name_zh=SEED_CLIENT["name_zh"]).first()
    if admin is None:
        _warn(stdout, "no admin user: no complaints demo.")
        return
    ComplaintPolicy.objects.ensure()
    try:
        _complaint(stdout, admin)
        if client_user is not None:
            _appeal(stdout, admin, client_user)
        _impartiality(stdout, admin)
    except (ValidationError, PermissionDenied) as exc:
        _warn(stdout, "the complaints demo stopped: " + " ".join(getattr(exc, "messages", [str(exc)])))


def _handler(record, admin):
    """An uninvolved member of staff (the rule's list), the administrator if none."""
    return services.eligible_handlers(record=record).exclude(role=Role.CB_ADMIN).first() or admin


def _complaint(stdout, admin):
    if Complaint.objects.filter(summary=COMPLAINT_SUMMARY).exists():
        stdout.write("  demo complaint already recorded (unchanged)")
        return
    certificate = (
        Certificate.objects.filter(client__name_zh=SEED_CLIENT["name_zh"], main_certificate__isnull=True)
        .order_by("-issued_on", "-pk")
        .first()
    )
    complaint = services.complaint_submit(
        source="public",
        subject="misuse",
        complainant_name="刘女士",
        complainant_email="liu@example.com",
        organisation_named=SEED_CLIENT["name_zh"],
        certificate_number_given=certificate.number if certificate else "",
        summary=COMPLAINT_SUMMARY,
        description="该公司官网称其“软件开发及数据中心运维”通过质量管理体系认证，证书范围只有基础软件服务。",
        certificate=certificate,
    )
    services.complaint_acknowledge(complaint=complaint, by=admin, note="已电话告知投诉人受理")
    services.complaint_validate(complaint=complaint, by=admin, note="涉及获证组织对认证证书的使用，属于认证活动")
    services.complaint_assign(complaint=complaint, investigator=_handler(complaint, admin), by=admin)
    services.complaint_investigate(complaint=complaint, by=admin)
    complaint.refresh_from_db()
    services.complaint_decide(
        complaint=complaint,
        by=complaint.investigator,
        findings="核实官网宣传内容，范围表述确有超出证书范围。",
        outcome="upheld",
        decision_text="要求获证组织30日内更正宣传；下次监督审核核查。",
        misuse_action="request",
        misuse_action_note="已发函要求更正，获证组织已于一周内更正官网。",
    )
    services.complaint_answer(
        complaint=complaint, by=admin, answer_text="投诉属实，已要求该公司更正宣传，现已更正。感谢您的监督。"
    )
    services.complaint_close(complaint=complaint, by=admin, note="已核实更正")
    stdout.write(f"  recorded complaint {complaint.reference} (closed; acknowledgement number {complaint.ack_number})")


def _appeal(stdout, admin, client_user):
    if Appeal.objects.filter(client_id=client_user.client_id).exists():
        stdout.write("  demo appeal already recorded (unchanged)")
        return
    decision = (
        Decision.objects.filter(client_id=client_user.client_id, status=DecisionStatus.APPROVED)
        .order_by("-approved_on")
        .first()
    )
    if decision is None:
        _warn(stdout, "the seed client has no approved decision: no demo appeal.")
        return
    # The decision is older than the appeal window: the demo enters the appeal as received today,
    # as staff would for an appeal received on paper, without the portal's window check.
    today = local_today()
    appeal = Appeal(
        reference=f"AP-{today.year}-D001",
        client_id=client_user.client_id,
        decision=decision,
        grounds="我们申请的范围包括数据中心运维，决定只批准了基础软件服务，请求复核。",
        submitted_by=client_user,
        received_on=today,
        answer_due_on=today + datetime.timedelta(days=ComplaintPolicy.objects.current().appeal_days),
    )
    appeal.save()
    APPEAL_MACHINE.record_creation(appeal, by=client_user)
    reviewer = _handler(appeal, admin)
    services.appeal_assign(appeal=appeal, reviewer=reviewer, by=admin)
    services.appeal_review(appeal=appeal, by=admin)
    stdout.write(f"  recorded appeal {appeal.reference} (under review by {reviewer.get_full_name()})")


def _impartiality(stdout, admin):
    today = local_today()
    if not ImpartialityRisk.objects.filter(conflict__isnull=True).exists():
        for threat, description, source, likelihood, impact, control in RISKS:
            services.risk_record(
                threat=threat,
                description=description,
                source=source,
                likelihood=likelihood,
                impact=impact,
                control=control,
                next_review_on=today + datetime.timedelta(days=180),
                by=admin,
            )
        stdout.write(f"  recorded {len(RISKS)} impartiality risks")
    fed = services.risks_from_conflicts(by=admin)
    if fed:
        stdout.write(f"  {len(fed)} declared conflicts of interest added to the risk register")
    if not CommitteeMember.objects.exists():
        members = [
            services.committee_member_add(name=name, interest=interest, joined_on=today, by=admin)
            for name, interest in [("周明", "获证组织代表"), ("孙丽", "行业协会代表"), ("吴强", "政府监管部门推荐")]
        ]
        meeting = services.meeting_record(
            held_on=today, summary="审议年度公正性风险评估；认为风险受控。", attendees=members, by=admin
        )
        services.meeting_action_add(
            meeting=meeting,
            description="补充关联培训机构的风险控制证据",
            owner="质量部",
            due_on=today + datetime.timedelta(days=60),
            by=admin,
        )
        stdout.write("  recorded the impartiality committee and its meeting")
    if not Declaration.objects.filter(user=admin).exists():
        services.declaration_sign(by=admin)
        stdout.write("  the administrator signed the impartiality declaration")
