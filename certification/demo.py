"""Demo data of certification: parts 十五–十七 of the seed report made real, through the services
(so every step has its history and status-change rows).

* the committee member ``committee`` (王评定) gets a competence record covering 33.02 (the seed
  client's code is 33.02.01);
* the approver ``approver`` / demo12345 (王建国, the CB's general manager: role committee and the
  permission certification.approve_decision);
* the seed's stage 2 audit of 中食互联（北京）科技有限公司 is a complete past cycle: the CB decided
  it in January 2020, before it used the product, so its technical review (passed by 王评定),
  its grant decision (evaluated 同意注册 by 王评定, approved by 王建国) and its ISO 9001:2015
  certificate are entered as historical records (``services.review_import``, ``decision_import``,
  ``certificate_import``: imported by the CB administrator, with their 2020 dates; the number as
  printed then, not from the counter). The certificate ran three years and is expired now (05);
* the current cycle: a new initial certification (programme cycle 2) with its stage 1 audit
  planned two weeks from the day the demo runs, led by 朱晓丽;
* the integrated client (ISO 9001 + 14001 + 45001): its current cycle's review, grant and three
  certificates, each with its own standard's scope (``certification.demo_integrated``);
* the daily rules then run once for today.

Idempotent: each step runs only while its result is missing.
"""

import datetime
import io
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.demo import DEMO_PASSWORD, seed_user
from accounts.models import User
from audits import services as audit_services
from audits.calculation import StandardInput
from audits.models import Audit, AuditMethod, AuditStatus, AuditType, CertificationBody, TeamRole
from clients.demo import SEED_CLIENT, sync, sync_m2m
from core.access import Role
from core.dates import local_today
from standards.models import TechnicalArea

from . import rules, services
from .demo_integrated import seed_integrated
from .models import CertificateStatus, CertificationPolicy, CommitteeProfile, DecisionType, TechnicalReview

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
# The seed leaves part 十六 blank (no names, "日期：年月日"). The demo's CB entered this cycle
# before it used the product: the review, the decision and the certificate are historical records
# with illustrative January 2020 dates (after the NC's verification on 2020-01-15), decided by the
# demo's committee member 王评定 and general manager 王建国.
REVIEW_OPENED_ON = datetime.date(2020, 1, 16)
REVIEW_CONCLUDED_ON = datetime.date(2020, 1, 17)
EVALUATED_ON = datetime.date(2020, 1, 20)
APPROVED_ON = datetime.date(2020, 1, 21)
CERTIFICATE_SERIAL = 1  # illustrative: the number as printed in 2020, not taken from the counter
SEED_SOURCE = "种子报告（示例：历史记录）"
CURRENT_CYCLE = 2
CURRENT_STAGE_1_IN_DAYS = 14
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
        _past_cycle(stdout, audit=audit, admin=admin, committee=committee, approver=approver)
        _current_cycle(stdout, seed_audit=audit, admin=admin, today=today)
    except (ValidationError, PermissionDenied) as exc:
        _warn(stdout, "the certification demo stopped: " + _explain(exc))
        return
    run = services.certification_daily(today=today)
    stdout.write(f"  daily certification check for {today}: {_summary(run)}")


def _past_cycle(stdout, *, audit, admin, committee, approver):
    """The seed audit's review, decision and certificate, entered as the CB's 2020 records."""
    review = TechnicalReview.objects.filter(audit=audit).first()
    if review is None:
        if audit.status not in (AuditStatus.APPROVED, AuditStatus.NCS_CLOSED):
            _warn(stdout, f"the seed audit is {audit.get_status_display()}: its report is not approved, no review.")
            return
        review = services.review_import(
            audit=audit,
            by=admin,
            opened_on=REVIEW_OPENED_ON,
            concluded_on=REVIEW_CONCLUDED_ON,
            reviewer=committee,
            remark=REVIEW_REMARK,
            source=SEED_SOURCE,
        )
        stdout.write(f"  entered the seed audit's technical review, passed {REVIEW_CONCLUDED_ON} (historical record)")
    decision = review.decisions.order_by("pk").first()
    if decision is None:
        decision = services.decision_import(
            client=audit.client,
            by=admin,
            decision_type=DecisionType.GRANT,
            audit=audit,
            review=review,
            programme=audit.programme,
            standards=list(audit.standards.all()),
            evaluated_on=EVALUATED_ON,
            evaluator=committee,
            evaluation_remarks=EVALUATION_REMARKS,
            approved_on=APPROVED_ON,
            approver=approver,
            approval_remarks=APPROVAL_REMARKS,
            closing_meeting_differences=CLOSING_MEETING_DIFFERENCES,
            source=SEED_SOURCE,
        )
        stdout.write(
            f"  entered the grant decision: evaluated {EVALUATED_ON}, approved {APPROVED_ON} (historical record)"
        )
    if decision.issued_certificates.exists():
        stdout.write("  seed certificate already entered (unchanged)")
        return
    current = CertificationPolicy.objects.current()
    for standard in decision.standards.order_by("family", "code"):
        scope = audit.client.scopes.filter(standard=standard).first()
        number = rules.format_number(
            pattern=current.number_pattern,
            cb=rules.cb_code(CertificationBody.objects.current().cb_code),
            year=APPROVED_ON.year,
            std=rules.standard_code(standard.family, current.standard_codes),
            serial=CERTIFICATE_SERIAL,
            size=rules.size_band(audit.client.headcount, current),
        )
        expires_on = rules.expiry(APPROVED_ON, current)
        certificate = services.certificate_import(
            decision=decision,
            standard=standard,
            by=admin,
            number=number,
            serial=CERTIFICATE_SERIAL,
            issued_on=APPROVED_ON,
            expires_on=expires_on,
            status=CertificateStatus.EXPIRED,
            scope_zh=scope.scope_zh if scope else "基础软件服务",
            scope_en=scope.scope_en if scope else "",
            source=SEED_SOURCE,
        )
        stdout.write(
            f"  entered certificate {certificate.number}: issued {APPROVED_ON}, expired after {expires_on} "
            "(status 05, historical record)"
        )


def _current_cycle(stdout, *, seed_audit, admin, today):
    """The certificate expired without recertification, so the client is certified again from the
    start: a new programme with its stage 1 audit planned two weeks ahead (live work)."""
    client, standards = seed_audit.client, list(seed_audit.standards.all())
    programme = client.programmes.filter(cycle=CURRENT_CYCLE).first()
    if programme is None:
        programme = audit_services.programme_create(
            client=client, standards=standards, by=admin, rule_set=seed_audit.programme.rule_set, cycle=CURRENT_CYCLE
        )
        stdout.write(f"  created the current audit programme {programme} (new initial certification)")
    if programme.audits.exists():
        stdout.write("  current cycle's stage 1 audit already planned (unchanged)")
        return
    start = today + datetime.timedelta(days=CURRENT_STAGE_1_IN_DAYS)
    audit = audit_services.audit_plan(
        by=admin,
        client=client,
        programme=programme,
        audit_type=AuditType.STAGE_1,
        method=AuditMethod.ON_SITE,
        standards=[StandardInput(s) for s in standards],
        start_date=start,
        end_date=start,
        on_site_days=Decimal("0.5"),
        effective_personnel=client.headcount,
        sites=list(client.sites.filter(is_central=True)),
    )
    leader = seed_audit.team.filter(role=TeamRole.LEADER).select_related("profile").first()
    if leader is not None:
        audit_services.team_assignment_add(audit=audit, profile=leader.profile, role=TeamRole.LEADER, by=admin)
    stdout.write(f"  planned the current cycle's stage 1 audit on {start}")


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

    created = not User.objects.filter(username=APPROVER["username"]).exists()
    # seed_user saves only what differs (a user's every save is a history row); its own line is
    # replaced by the fuller one below.
    approver = seed_user(
        io.StringIO(), username=APPROVER["username"], full_name=APPROVER["full_name"], role=Role.COMMITTEE
    )
    perm = Permission.objects.get(codename="approve_decision", content_type__app_label="certification")
    approver.user_permissions.add(perm)
    stdout.write(
        f"  {'created' if created else 'updated'} user {APPROVER['username']:10} ({APPROVER['full_name']}, {APPROVER['title']}; "
        f"approves certification decisions) password {DEMO_PASSWORD}"
    )
    approver = User.objects.get(pk=approver.pk)  # fresh: no stale permission cache
    return committee, approver
