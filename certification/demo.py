"""Demo data of certification: parts 十五–十七 of the seed report made real, through the services
(so every step has its history and status-change rows).

* the committee member ``committee`` (王评定) gets a competence record covering 33.02 (the seed
  client's code is 33.02.01);
* the approver ``approver`` / demo12345 (王建国, the CB's general manager: role committee and the
  permission certification.approve_decision);
* the seed's stage 2 audit of 中食互联（北京）科技有限公司 (its report approved by the earlier
  demo steps): the CB administrator opens the technical review and assigns 王评定, who answers
  the five checklist points with remarks taken from the seed (one minor QMS nonconformity whose
  corrective action 十五 records as 验证合格; audit time 2 man-days; team leader 朱晓丽 registered
  for 33.02.01) and passes the review; the grant decision is opened, evaluated 同意注册 by 王评定
  and approved 同意注册 by 王建国 — one certificate for ISO 9001:2015 (the seed audit's only
  standard), its PDF queued as for any approval;
* the integrated client's stage 2 (ISO 9001 + 14001 + 45001, see ``audits.demo``) goes the same
  way (review by 王评定, grant evaluated by 王评定 and approved by 王建国), with one scope per
  standard in zh and en from the client's requested scope: three certificates, each printing only
  its own standard's scope, each with its own number;
* the daily rules then run once for today, so the certificate shows the status the dates give.

Dates: the seed leaves parts 十六 and 十七 blank (no evaluator, approver or dates, "日期：年月日"),
and the services refuse an evaluation dated before the review was concluded, which the demo does
now (as the earlier demo steps answer and accept the seed NC now). So the review, evaluation,
approval and issue all carry the day ``seed_demo`` first runs; the certificate is valid for three
years from then, and ``make run`` shows it valid on the public page.

Idempotent: each step runs only while its result is missing; once the decision is approved
nothing is written again.
"""

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from audits.models import Audit, AuditStatus, AuditType
from clients.demo import INTEGRATED_CLIENT, SEED_CLIENT, sync, sync_m2m
from core.access import Role
from core.dates import local_today
from standards.models import TechnicalArea

from . import services
from .models import (
    ApprovalConclusion,
    CommitteeProfile,
    DecisionStatus,
    DecisionType,
    EvaluationConclusion,
    ReviewStatus,
    TechnicalReview,
)

APPROVER = {"username": "approver", "full_name": "王建国", "title": "总经理"}
COMMITTEE_CODES = ["33.02", "19"]  # covers the seed client's 33.02.01 and the integrated client's 19
CHECKLIST_REMARKS = {
    # ISO/IEC 17021-1 9.5.2 a)
    "information_sufficient": (
        "yes",
        "审核报告、审核计划及不符合报告齐全；审核范围“基础软件服务”与QMS认证要求相符，审核组提供的信息足以作出认证决定。",
    ),
    # 9.5.2 b)
    "major_ncs_verified": ("na", "本次审核未发现严重不符合。"),
    # 9.5.2 c)
    "minor_action_plans_accepted": (
        "yes",
        "QMS一般不符合1项，纠正和纠正措施计划已由审核组长评审并接受，十五记录“验证合格”。",
    ),
    # 9.1.4
    "audit_time_matches": (
        "yes",
        "有效人数15人，按IAF MD 5 第一阶段+第二阶段共2.5人日，第二阶段2人日，与审核计划一致，无偏离。",
    ),
    # 9.2.2
    "team_competent": (
        "yes",
        "审核组长朱晓丽（2018-N1QMS-2205805）具备专业代码33.02.01的能力，覆盖受审核方的专业代码。",
    ),
}
REVIEW_REMARK = "审核资料完整，不符合项已按要求处理，审核过程和结论符合认证规则，评定通过。"
EVALUATION_REMARKS = "经技术委员会评定，审核组推荐注册的结论依据充分，同意注册。"
APPROVAL_REMARKS = "同意技术委员会评定结论，批准注册并颁发证书。"
CLOSING_MEETING_DIFFERENCES = "无"  # part 十七: no difference from the closing meeting's recommendation (推荐注册)


def _warn(stdout, message):
    stdout.write(f"  WARNING: {message}")


def _explain(exc):
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else (str(exc) or exc.__class__.__name__)


def seed(stdout):
    committee, approver = seed_people(stdout)
    if committee is None:
        return
    admin = User.objects.filter(username="admin").first()
    if admin is not None:
        seed_integrated(stdout, admin=admin, committee=committee, approver=approver)
    audit = (
        Audit.objects.filter(client__name_zh=SEED_CLIENT["name_zh"], audit_type=AuditType.STAGE_2)
        .select_related("client", "programme")
        .order_by("start_date")
        .first()
    )
    if audit is None or admin is None:
        _warn(stdout, "the seed audit or the admin user is missing: no certification demo.")
        return
    today = local_today()
    try:
        review = _review(stdout, audit=audit, admin=admin, committee=committee)
        if review is None or review.status != ReviewStatus.PASSED:
            return
        decision = review.decisions.order_by("pk").first()
        if decision is None:
            decision = services.decision_open(
                decision_type=DecisionType.GRANT,
                client=audit.client,
                by=admin,
                audit=audit,
                review=review,
                programme=audit.programme,
                standards=list(audit.standards.all()),
            )
            stdout.write(f"  opened the grant decision for {audit.client}")
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
            stdout.write(f"  {committee} evaluated the decision: 同意注册 ({today})")
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
            stdout.write(f"  {approver} approved the decision: certificate {numbers} issued {today}")
        else:
            stdout.write(f"  seed decision is {decision.get_status_display()} (unchanged)")
    except (ValidationError, PermissionDenied) as exc:
        _warn(stdout, "the certification demo stopped: " + _explain(exc))
        return
    run = services.certification_daily(today=today)
    stdout.write(f"  daily certification check for {today}: {_summary(run)}")


def _summary(run):
    data = run.as_dict() if hasattr(run, "as_dict") else run
    if isinstance(data, dict):
        return (
            ", ".join(f"{k} {len(v) if isinstance(v, (list, tuple, set)) else v}" for k, v in data.items())
            or "nothing to do"
        )
    return str(data)


def seed_people(stdout):
    """The committee member's competence and the approver (王建国, general manager)."""
    committee = User.objects.filter(username="committee").first()
    if committee is None:
        _warn(stdout, "the committee demo user is missing: no certification demo.")
        return None, None
    profile, state = sync(CommitteeProfile, {"user": committee}, {"active": True})
    areas = list(TechnicalArea.objects.filter(code__in=COMMITTEE_CODES))
    if len(areas) != len(COMMITTEE_CODES):
        _warn(
            stdout,
            f"technical-area codes {COMMITTEE_CODES} are not all loaded; {committee} gets {[a.code for a in areas]}.",
        )
    changed = sync_m2m(profile.technical_areas, areas)
    stdout.write(
        f"  {'updated' if changed and state == 'unchanged' else state} committee competence of {committee} ({', '.join(COMMITTEE_CODES)})"
    )

    approver, created = User.objects.update_or_create(
        username=APPROVER["username"],
        defaults={
            "full_name": APPROVER["full_name"],
            "role": Role.COMMITTEE,
            "client": None,
            "is_staff": False,
            "is_superuser": False,
            "is_active": True,
        },
    )
    if created or not approver.check_password(DEMO_PASSWORD):
        approver.set_password(DEMO_PASSWORD)
        approver.save(update_fields=["password"])
    perm = Permission.objects.get(codename="approve_decision", content_type__app_label="certification")
    approver.user_permissions.add(perm)
    stdout.write(
        f"  {'created' if created else 'updated'} user {APPROVER['username']:10} ({APPROVER['full_name']}, {APPROVER['title']}; "
        f"approves certification decisions) password {DEMO_PASSWORD}"
    )
    approver = User.objects.get(pk=approver.pk)  # fresh: no stale permission cache
    return committee, approver


def _review(stdout, *, audit, admin, committee):
    """Open, staff, answer and pass the seed audit's technical review (each step once)."""
    review = TechnicalReview.objects.filter(audit=audit).first()
    if review is None:
        if audit.status not in (AuditStatus.APPROVED, AuditStatus.NCS_CLOSED):
            _warn(
                stdout,
                f"the seed audit is {audit.get_status_display()}: its report is not approved, no technical review.",
            )
            return None
        review = services.review_open(audit=audit, by=admin)
        stdout.write("  the CB administrator opened the technical review of the seed audit")
    if review.status != ReviewStatus.OPEN:
        stdout.write(f"  seed technical review {review.get_status_display()} (unchanged)")
        return review
    if not review.reviewers.filter(reviewer=committee).exists():
        services.reviewer_assign(review=review, reviewer=committee, by=admin)
        stdout.write(f"  assigned {committee} as technical reviewer")
    answered = set(review.answers.values_list("point", flat=True))
    for point, (answer, remark) in CHECKLIST_REMARKS.items():
        if point not in answered:
            services.review_answer(review=review, point=point, answer=answer, remark=remark, by=committee)
    blockers = services.review_blockers(review=review)
    if blockers:
        _warn(stdout, "the seed review cannot pass: " + " ".join(str(b) for b in blockers))
        return review
    review = services.review_conclude(review=review, passed=True, remark=REVIEW_REMARK, by=committee)
    stdout.write(f"  {committee} answered the checklist and passed the review")
    return review


# --- the integrated client -----------------------------------------------------------------------

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
