"""Demo data of the integrated client's certification (``certification.demo`` runs it): its
stage 2 (ISO 9001 + ISO 14001 + ISO 45001, see ``audits.demo``) is reviewed by 王评定, granted
(evaluated by 王评定, approved by 王建国) with one scope per standard in zh and en from the client's
requested scope: three certificates, each printing only its own standard's scope, each with its own
number. A current cycle: every step is dated the day ``seed_demo`` first runs. Each step runs once.
"""

from django.core.exceptions import PermissionDenied, ValidationError

from audits.models import Audit, AuditStatus, AuditType
from clients.demo import INTEGRATED_CLIENT
from core.dates import local_today

from . import services
from .models import (
    ApprovalConclusion,
    DecisionStatus,
    DecisionType,
    EvaluationConclusion,
    ReviewStatus,
    TechnicalReview,
)

REVIEW_REMARK = "审核资料完整，审核过程和结论符合认证规则，评定通过。"
EVALUATION_REMARKS = "经技术委员会评定，审核组推荐注册的结论依据充分，同意注册。"
APPROVAL_REMARKS = "同意技术委员会评定结论，批准注册并颁发证书。"
CLOSING_MEETING_DIFFERENCES = "无"


def _warn(stdout, message):
    stdout.write(f"  WARNING: {message}")


def _explain(exc):
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else (str(exc) or exc.__class__.__name__)


INTEGRATED_CHECKLIST = {
    "information_sufficient": ("yes", "一体化审核报告、审核计划齐全；三个体系的认证范围与申请一致。"),
    "major_ncs_verified": ("na", "本次审核未发现严重不符合。"),
    "minor_action_plans_accepted": ("na", "本次审核未发现一般不符合。"),
    "audit_time_matches": (
        "yes",
        "25人，QMS 3 + EMS 3.5 + OHSMS 3.5人日，IAF MD 11 一体化减少20%，初审共8人日：第一阶段2人日，第二阶段6人日。",
    ),
    "team_competent": ("yes", "审核组长朱晓丽具备QMS、EMS、OHSMS审核员注册资格及专业代码19的能力。"),
}


def seed_integrated(stdout, *, admin, committee, approver):
    """Review, grant and three certificates for the integrated client's stage 2 (each once)."""
    audit = (
        Audit.objects.filter(client__name_zh=INTEGRATED_CLIENT["name_zh"], audit_type=AuditType.STAGE_2)
        .select_related("client", "programme")
        .order_by("start_date")
        .first()
    )
    if audit is None:
        _warn(stdout, "the integrated client's stage 2 is missing: no integrated certificates.")
        return
    today = local_today()
    try:
        review = TechnicalReview.objects.filter(audit=audit).first()
        if review is None:
            if audit.status not in (AuditStatus.APPROVED, AuditStatus.NCS_CLOSED):
                _warn(stdout, f"the integrated stage 2 is {audit.get_status_display()}: no technical review.")
                return
            review = services.review_open(audit=audit, by=admin)
        if review.status == ReviewStatus.OPEN:
            if not review.reviewers.filter(reviewer=committee).exists():
                services.reviewer_assign(review=review, reviewer=committee, by=admin)
            answered = set(review.answers.values_list("point", flat=True))
            for point, (answer, remark) in INTEGRATED_CHECKLIST.items():
                if point not in answered:
                    services.review_answer(review=review, point=point, answer=answer, remark=remark, by=committee)
            review = services.review_conclude(review=review, passed=True, remark=REVIEW_REMARK, by=committee)
            stdout.write(f"  {committee} passed the integrated client's technical review")
        decision = review.decisions.order_by("pk").first()
        if decision is None:
            standards = list(audit.standards.all())
            scopes = {
                scope.standard_id: (scope.scope_zh, scope.scope_en)
                for scope in audit.client.scopes.filter(standard__in=standards)
            }
            decision = services.decision_open(
                decision_type=DecisionType.GRANT,
                client=audit.client,
                by=admin,
                audit=audit,
                review=review,
                programme=audit.programme,
                standards=standards,
                scopes=scopes,
            )
        if decision.status == DecisionStatus.AWAITING_EVALUATION:
            decision = services.decision_evaluate(
                decision=decision,
                conclusion=EvaluationConclusion.AGREE,
                remarks=EVALUATION_REMARKS,
                evaluated_on=today,
                by=committee,
                closing_meeting_differences=CLOSING_MEETING_DIFFERENCES,
                version=decision.version,
            )
        if decision.status == DecisionStatus.AWAITING_APPROVAL:
            decision = services.decision_approve(
                decision=decision,
                conclusion=ApprovalConclusion.APPROVE,
                remarks=APPROVAL_REMARKS,
                approved_on=today,
                issued_on=today,
                by=approver,
                version=decision.version,
            )
            numbers = ", ".join(c.number for c in decision.issued_certificates.order_by("number"))
            stdout.write(f"  {approver} approved the integrated grant: certificates {numbers}")
    except (ValidationError, PermissionDenied) as exc:
        _warn(stdout, "the integrated certification demo stopped: " + _explain(exc))
