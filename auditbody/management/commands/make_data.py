"""A realistic data set at a CB's size, for the benchmarks (bench/) and for trying pages at scale.

    manage.py make_data --size demo|mid|large [--seed 1]

``mid`` is a mid-size Chinese CB (2,000 clients, 5,000 audits, 50,000 nonconformities, 3,600
certificates); ``large`` ten to twenty times that. Rows are written with ``bulk_create`` in
batches, the same seed gives the same data, and a second run adds nothing (the generated
clients are recognised by their name prefix).

What is generated, besides clients, departments, auditors, programmes, audits and their teams:

* audit statuses along the lifecycle: audits in the future are planned (in progress while on
  site), those done in the last three months are on their way through the report, the NCs and
  the decision, older ones closed; nonconformities only on audits done on site;
* a report for every audit past "report drafted": one content row per topic of the template for
  the audit type, realistic Chinese text for the topics of the audit's family (drafts partly
  written), written by the audit's team, status following the audit (approved once the audit is
  past approval), a return with a topic comment for about one report in five;
* NC response rounds for every NC past "open": one to three rounds, rejected ones before the
  accepted one, dated between the NC's raising and its closure;
* lifecycle event rows for all of these (``AuditTransition``, ``ReportEvent``,
  ``NonconformityTransition``), and for the certification decisions (``DecisionEvent``) and
  certificates (``CertificateStatusChange``: issue, then suspension or withdrawal).

Not generated: simple_history rows (``Historical…`` tables), report field values (the choices),
technical reviews, evidence files, client users (the clients' answers carry no user) and
activity records (logins, downloads: the activity log shows the event rows above).
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import reset_queries, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from accounts.models import User
from audits.models import (
    Audit,
    AuditProgramme,
    AuditStandard,
    AuditStatus,
    AuditTransition,
    AuditType,
    TeamAssignment,
    TeamRole,
)
from audits.models.audit import ON_SITE_DONE_STATUSES
from audits.services import programme_next_due_refresh
from certification.models import (
    ApprovalConclusion,
    Certificate,
    CertificateAction,
    CertificateStatus,
    CertificateStatusChange,
    Decision,
    DecisionAction,
    DecisionEvent,
    DecisionStatus,
    EvaluationConclusion,
)
from clients.models import Client, Department
from core.access import Role
from core.dates import local_today
from findings.models import (
    ClosureDecision,
    Nonconformity,
    NonconformityAction,
    NonconformityResponse,
    NonconformityStatus,
    NonconformityTransition,
    VerificationDecision,
    VerificationMethod,
)
from people.models import AuditorProfile
from reports.models import (
    Report,
    ReportEvent,
    ReportEventAction,
    ReportStatus,
    ReportTemplate,
    TemplateTopic,
    TopicComment,
    TopicContent,
)
from reports.template_loader import template_for
from standards.models import Clause, Standard

PREFIX = "生成数据"
BATCH = 2000
AUDIT_CHUNK = 200  # audits whose reports, rounds and events are built and written at a time


@dataclass(frozen=True)
class Size:
    clients: int
    audits_per_client: float
    ncs_per_audit: int
    certificates: int
    auditors: int


SIZES = {
    "demo": Size(clients=40, audits_per_client=2.5, ncs_per_audit=4, certificates=60, auditors=12),
    "mid": Size(clients=2000, audits_per_client=2.5, ncs_per_audit=10, certificates=3600, auditors=200),
    "large": Size(clients=20000, audits_per_client=5, ncs_per_audit=10, certificates=50000, auditors=1500),
}

DEPARTMENTS = ["总经理", "综合部", "技术部", "生产部", "质检部", "采购部", "销售部", "仓储部"]
CITIES = ["北京市", "上海市", "广州市", "成都市", "武汉市", "西安市", "杭州市", "南京市"]
TRADES = ["食品", "机械", "电子", "软件", "建筑", "物流", "化工", "印刷"]
STATEMENTS = [
    "未能提供2019年度内部审核的记录。",
    "采购部未对供方进行年度评价。",
    "现场查见未受控的作业指导书。",
    "未保留管理评审输入的证据。",
    "计量器具校准已过有效期。",
]

# --- report text: a topic is an opening, one to three findings and a conclusion ------------------

STANDARD_TEXT = {"QMS": "GB/T19001-2016", "EMS": "GB/T24001-2016", "OHSMS": "GB/T45001-2020"}
MANUAL = {"QMS": "《质量手册》", "EMS": "《环境管理手册》", "OHSMS": "《职业健康安全管理手册》"}
OPENINGS = [
    "查：公司依据{std}标准对{manual}进行修订，现行为{version}版，于{date}批准发布实施。",
    "查：{dept}编制了《{title}控制程序》，明确了职责、方法、频次和记录要求。",
    "与{dept}负责人交流，能够清楚说明{title}的要求及本部门的具体做法。",
    "查：公司在{manual}第{section}章中对{title}作出规定，与{std}标准要求一致。",
]
FINDINGS = [
    "抽查{year}年{month}月的相关记录{n}份，填写完整，审批手续齐全。",
    "现场观察{dept}作业过程，人员按作业指导书操作，记录及时、清晰。",
    "查{year}年度{title}的策划与实施记录，按计划完成，结果已评价并报管理层。",
    "询问{dept}员工{n}名，对本岗位要求及相关风险、控制措施了解清楚。",
    "查见{dept}建立了台账，共{n}项，均在有效期内，已按规定标识。",
    "查{year}年{month}月{dept}的月度检查记录，发现的问题已跟踪整改并验证。",
]
CONCLUSIONS = [
    "该过程运行有效，符合标准要求。",
    "总体符合要求，建议进一步完善记录的可追溯性。",
    "基本有效，{dept}个别记录填写不规范，已当场纠正。",
    "未发现不符合。",
]
RETURN_COMMENTS = ["请补充抽样记录的编号和日期。", "结论与审核发现不一致，请修改。", "请写明访谈对象的岗位。"]
# Topics a team often leaves blank on purpose ("nothing to report"): it prints them blank.
OFTEN_BLANK = {"innovation", "other_performance_evidence", "incidents_and_complaints"}

# --- the client's answers and the auditors' decisions on them ------------------------------------

CORRECTIONS = [
    "已补充{year}年度内部审核记录，并经管理者代表审批。",
    "已将过期计量器具送检，取得校准证书并重新标识。",
    "已收回未受控文件，加盖受控章后重新发放。",
    "已补做供方年度评价，保留评价记录。",
    "已补充管理评审输入资料并重新组织评审。",
]
ROOT_CAUSES = [
    "{dept}人员对程序文件的要求理解不到位。",
    "职责分工不明确，未指定专人负责。",
    "培训不足，相关人员未掌握{std}标准的要求。",
    "监督检查不到位，未能及时发现问题。",
]
CORRECTIVE_ACTIONS = [
    "修订相关程序文件，明确职责和时限，并对{dept}全体人员进行培训，培训记录附后。",
    "举一反三，对其他部门进行排查，未发现类似问题；每季度由管理者代表检查一次。",
    "建立台账并纳入月度检查内容，由{dept}负责人监督实施。",
]
REJECT_REASONS = [
    "未提供纠正措施实施的证据，请补充相关记录。",
    "原因分析不充分，未找到根本原因。",
    "纠正措施未覆盖其他部门，请举一反三。",
]
CLOSURE_REJECT_REASONS = ["验证证据不足，请补充培训记录后重新提交。", "纠正措施的完成日期晚于规定期限，请说明。"]
VERIFICATION_NOTES = ["经文件验证，纠正措施有效。", "已查阅提交的记录，措施已实施并有效。", ""]


class Command(BaseCommand):
    help = (
        "Generate a realistic data set (clients, audits, teams, NCs with their response rounds, reports, "
        "certificates and their lifecycle events) with bulk inserts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="demo")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, size, seed, **options):
        if Client.objects.filter(name_zh__startswith=PREFIX).exists():
            self.stdout.write("Generated data already present: nothing added.")
            return
        started = time.monotonic()
        counts = generate(SIZES[size], random.Random(seed), self.stdout)
        figures = ", ".join(f"{count:,} {name}" for name, count in counts.items())
        self.stdout.write(f"make_data --size {size}: {figures} in {time.monotonic() - started:.1f} s")


def _bulk(model, rows):
    created = []
    for start in range(0, len(rows), BATCH):
        created.extend(model.objects.bulk_create(rows[start : start + BATCH]))
        reset_queries()  # with DEBUG on, Django keeps every statement's text: megabytes per batch
    return created


def _update_grouped(model, values: dict[int, object], field: str) -> None:
    """Set ``field`` of the rows ``values`` names (pk → value), one UPDATE per value and 500 rows:
    ``bulk_update``'s CASE per row costs more than the inserts at mid size."""
    by_value: dict[object, list[int]] = {}
    for pk, value in values.items():
        by_value.setdefault(value, []).append(pk)
    for value, pks in by_value.items():
        for start in range(0, len(pks), 500):
            model.objects.filter(pk__in=pks[start : start + 500]).update(**{field: value})


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


OFFICE_START, OFFICE_MINUTES = 8 * 60 + 30, 9 * 60 + 30  # 08:30–18:00, local time


def _moments(rnd: random.Random, after: datetime.datetime, before: datetime.datetime, count: int):
    """``count`` distinct whole minutes strictly between ``after`` and ``before``, in order (the
    moves of one record happen one after the other, never at the same time), in office hours
    when the window leaves room for them."""
    midnight = _at(timezone.localtime(after).date(), 0)
    days = (before - midnight).days + 1
    candidates = [
        midnight + datetime.timedelta(days=index // OFFICE_MINUTES, minutes=OFFICE_START + index % OFFICE_MINUTES)
        for index in rnd.sample(range(days * OFFICE_MINUTES), min(days * OFFICE_MINUTES, 2 * count + 4))
    ]
    inside = [moment for moment in candidates if after < moment < before]
    if len(inside) >= count:
        return sorted(rnd.sample(inside, count))
    minutes = int((before - after).total_seconds() // 60)
    if minutes <= count:  # no room: a minute apart, even past ``before``
        return [after + datetime.timedelta(minutes=i + 1) for i in range(count)]
    return [after + datetime.timedelta(minutes=m) for m in sorted(rnd.sample(range(1, minutes), count))]


def _audit_status(start: datetime.date, end: datetime.date, today: datetime.date) -> str:
    """Where an audit is in its lifecycle by the days since its last day on site: a CB takes
    about three months from the closing meeting to closing the audit (report, NCs, review,
    decision)."""
    if end >= today:
        return AuditStatus.IN_PROGRESS if start <= today else AuditStatus.PLANNED
    for days, status in (
        (10, AuditStatus.REPORT_DRAFTED),
        (20, AuditStatus.SUBMITTED),
        (40, AuditStatus.APPROVED),
        (55, AuditStatus.NCS_CLOSED),
        (70, AuditStatus.TECHNICAL_REVIEW),
        (90, AuditStatus.DECIDED),
    ):
        if (today - end).days < days:
            return status
    return AuditStatus.CLOSED


@transaction.atomic
def generate(size: Size, rnd: random.Random, stdout) -> dict[str, int]:
    standards = list(Standard.objects.filter(retired=False, family__in=["QMS", "EMS", "OHSMS"]).order_by("pk"))
    clauses: dict[int, list[Clause]] = {
        s.pk: list(Clause.objects.filter(standard=s).order_by("pk")[:200]) for s in standards
    }
    password = make_password("demo12345")

    users = _bulk(
        User,
        [
            User(
                username=f"gen-auditor-{i:05d}",
                full_name=f"审核员{i:05d}",
                role=Role.TEAM_LEADER if i % 3 == 0 else Role.AUDITOR,
                password=password,
            )
            for i in range(size.auditors)
        ],
    )
    profiles = _bulk(
        AuditorProfile,
        [
            AuditorProfile(
                user=user,
                registration_number=f"2018-N1QMS-{4000000 + i:07d}",
                gender=rnd.choice(["female", "male"]),
            )
            for i, user in enumerate(users)
        ],
    )
    leaders = [p for p, u in zip(profiles, users, strict=True) if u.role == Role.TEAM_LEADER]

    clients = _bulk(
        Client,
        [
            Client(name_zh=f"{PREFIX}{rnd.choice(CITIES)}{rnd.choice(TRADES)}有限公司{i:05d}")
            for i in range(size.clients)
        ],
    )
    departments = _bulk(
        Department,
        [
            Department(client=client, name_zh=name, order=order)
            for client in clients
            for order, name in enumerate(rnd.sample(DEPARTMENTS, 5))
        ],
    )
    departments_of: dict[int, list[Department]] = {}
    for department in departments:
        departments_of.setdefault(department.client_id, []).append(department)

    today = local_today()
    programmes = _bulk(
        AuditProgramme,
        [
            AuditProgramme(
                client=client,
                decision_on=today - datetime.timedelta(days=rnd.randint(30, 900)),
                certificate_issued_on=None,
            )
            for client in clients
        ],
    )
    for programme in programmes:
        programme.certificate_issued_on = programme.decision_on
    AuditProgramme.objects.bulk_update(programmes, ["certificate_issued_on"], batch_size=BATCH)

    # Each kind of audit where the programme rules expect it (audits/programme_rules.py): stage 2
    # before the decision, surveillances about 12 and 24 months after it, recertification before
    # the certificate's third year ends.
    kinds = [
        (AuditType.STAGE_2, "stage2", -40, -10),
        (AuditType.SURVEILLANCE_1, "surveillance", 300, 360),
        (AuditType.SURVEILLANCE_2, "surveillance", 660, 720),
        (AuditType.RECERTIFICATION, "recertification", 960, 1020),
    ]
    audit_rows = []
    target = int(size.clients * size.audits_per_client)
    for index in range(target):
        programme = programmes[index % len(programmes)]
        kind, purpose, earliest, latest = kinds[(index // len(programmes)) % len(kinds)]
        start = programme.decision_on + datetime.timedelta(days=rnd.randint(earliest, latest))
        days = rnd.choice([1, 2, 2, 3])
        end = start + datetime.timedelta(days=days - 1)
        audit_rows.append(
            Audit(
                programme=programme,
                client_id=programme.client_id,
                audit_type=kind,
                purpose=purpose,
                effective_personnel=rnd.randint(10, 900),
                start_date=start,
                end_date=end,
                on_site_days=Decimal(days),
                planned_man_days=Decimal(days * 2),
                status=_audit_status(start, end, today),
            )
        )
    audits = _bulk(Audit, audit_rows)
    del audit_rows
    standard_of = {a.pk: rnd.choice(standards) for a in audits}
    _bulk(AuditStandard, [AuditStandard(audit=a, standard=standard_of[a.pk]) for a in audits])

    team = []
    team_of: dict[int, list[TeamAssignment]] = {}  # the leader first
    for audit in audits:
        leader = rnd.choice(leaders)
        member = rnd.choice(profiles)
        rows = [TeamAssignment(audit=audit, profile=leader, role=TeamRole.LEADER, name=leader.user.full_name)]
        if member.pk != leader.pk:
            rows.append(TeamAssignment(audit=audit, profile=member, role=TeamRole.AUDITOR, name=member.user.full_name))
        team.extend(rows)
        team_of[audit.pk] = rows
    _bulk(TeamAssignment, team)

    ncs = _nonconformities(size, rnd, audits, standard_of, clauses, departments_of, team_of)

    certificates, decisions = _certification(size, rnd, programmes, standards, today)
    # Bulk inserts send no signal: the programme list's stored next due dates, in bulk.
    programme_next_due_refresh(programme_ids=[p.pk for p in programmes])

    counts = {
        "auditors": len(profiles),
        "clients": len(clients),
        "departments": len(departments),
        "audits": len(audits),
        "team rows": len(team),
        "nonconformities": len(ncs),
        "certificates": len(certificates),
    }
    counts.update(_certification_events(rnd, decisions, certificates))
    counts.update(_history(rnd, audits, team_of, ncs, standard_of))
    return counts


# --- base rows -------------------------------------------------------------------------------------


def _nonconformities(size, rnd, audits, standard_of, clauses, departments_of, team_of) -> list[Nonconformity]:
    """The NCs, on audits done on site only (an NC is raised on site), the size's number in all
    (``ncs_per_audit`` × audits, spread over the audits done); their status follows the audit's:
    open or answered while its report is written, closed once the audit records its NCs closed."""
    done = [a for a in audits if a.status in ON_SITE_DONE_STATUSES]
    if not done:
        return []
    per_audit, extra = divmod(len(audits) * size.ncs_per_audit, len(done))
    grades = ["minor"] * 6 + ["major", "observation", "observation"]
    nc_statuses = ["closed"] * 5 + ["open", "responded", "returned", "verified"]
    early_statuses = ["open"] * 3 + ["responded"]
    nc_rows = []
    for index, audit in enumerate(done):
        standard = standard_of[audit.pk]
        leader_user_id = team_of[audit.pk][0].profile.user_id
        for number in range(1, per_audit + (1 if index < extra else 0) + 1):
            clause = rnd.choice(clauses[standard.pk]) if clauses[standard.pk] else None
            if audit.status in (AuditStatus.REPORT_DRAFTED, AuditStatus.SUBMITTED):
                status = rnd.choice(early_statuses)
            elif audit.status == AuditStatus.NCS_CLOSED:
                status = NonconformityStatus.CLOSED
            else:
                status = rnd.choice(nc_statuses)
            nc_rows.append(
                Nonconformity(
                    audit=audit,
                    number=number,
                    grade=rnd.choice(grades),
                    family=standard.family,
                    clause=clause,
                    department=rnd.choice(departments_of[audit.client_id]),
                    statement=rnd.choice(STATEMENTS),
                    status=status,
                    due_date=audit.end_date + datetime.timedelta(days=rnd.choice([30, 60, 90])),
                    raised_by_id=leader_user_id,
                )
            )
    return _bulk(Nonconformity, nc_rows)


def _certification(size, rnd, programmes, standards, today) -> tuple[list[Certificate], list[Decision]]:
    """Approved grant decisions (evaluated a few days before the programme's decision day) and
    their certificates, most valid, some suspended or withdrawn since a later day."""
    decision_rows = []
    for i in range(size.certificates):
        programme = programmes[i % len(programmes)]
        decided = programme.decision_on
        decision_rows.append(
            Decision(
                decision_type="grant",
                status=DecisionStatus.APPROVED,
                client_id=programme.client_id,
                programme=programme,
                created_at=_at(decided - datetime.timedelta(days=rnd.randint(7, 20)), 10),
                evaluation_conclusion=EvaluationConclusion.AGREE,
                evaluated_on=decided - datetime.timedelta(days=rnd.randint(1, 5)),
                approval_conclusion=ApprovalConclusion.APPROVE,
                approved_on=decided,
                version=3,  # opened, evaluated, approved
            )
        )
    decisions = _bulk(Decision, decision_rows)
    certificates = []
    for i, decision in enumerate(decisions):
        programme = programmes[i % len(programmes)]
        standard = standards[(i // len(programmes)) % len(standards)]
        issued = programme.decision_on
        status = rnd.choice([CertificateStatus.VALID] * 8 + [CertificateStatus.SUSPENDED, CertificateStatus.WITHDRAWN])
        since = issued
        if status != CertificateStatus.VALID:
            since = min(issued + datetime.timedelta(days=rnd.randint(90, 700)), today - datetime.timedelta(days=1))
        certificates.append(
            Certificate(
                number=f"168{issued:%y}{standard.family[0]}{i:06d}R0M",
                client_id=programme.client_id,
                programme=programme,
                standard=standard,
                decision=decision,
                holder_name_zh=f"{PREFIX}客户{i:05d}",
                address_zh=rnd.choice(CITIES),
                standard_label=str(standard),
                scope_zh="食品的生产和销售",
                year=issued.year,
                standard_code=standard.family[:1],
                serial=i + 1,
                size_band=rnd.choice(["S", "M", "L"]),
                first_issued_on=issued,
                issued_on=issued,
                expires_on=issued + datetime.timedelta(days=3 * 365 - 1),
                status=status,
                status_since=since,
                created_at=_at(issued, 15),
            )
        )
    return _bulk(Certificate, certificates), decisions


def _certification_events(rnd, decisions, certificates) -> dict[str, int]:
    """Each decision's opening, evaluation and approval; each certificate's issue and, for a
    suspended or withdrawn one, that move on its ``status_since`` day. No committee member or
    approver is generated: ``by`` is empty."""
    decision_events = []
    for decision in decisions:
        steps = [
            (DecisionAction.OPEN, "", DecisionStatus.AWAITING_EVALUATION, decision.created_at),
            (
                DecisionAction.EVALUATE,
                DecisionStatus.AWAITING_EVALUATION,
                DecisionStatus.AWAITING_APPROVAL,
                _at(decision.evaluated_on, 14),
            ),
            (
                DecisionAction.APPROVE,
                DecisionStatus.AWAITING_APPROVAL,
                DecisionStatus.APPROVED,
                _at(decision.approved_on, 11),
            ),
        ]
        decision_events += [
            DecisionEvent(decision=decision, action=action, from_status=source, to_status=target, at=at)
            for action, source, target, at in steps
        ]
    _bulk(DecisionEvent, decision_events)
    moves = {
        CertificateStatus.SUSPENDED: (CertificateAction.SUSPEND, "暂停：监督审核未按期实施。"),
        CertificateStatus.WITHDRAWN: (CertificateAction.WITHDRAW, "撤销：暂停期满未能恢复。"),
    }
    changes = []
    for certificate in certificates:
        changes.append(
            CertificateStatusChange(
                certificate=certificate,
                action=CertificateAction.ISSUE,
                from_status="",
                to_status=CertificateStatus.VALID,
                effective_on=certificate.issued_on,
                decision=certificate.decision,
                at=_at(certificate.issued_on, 15),
            )
        )
        if certificate.status in moves:
            action, note = moves[certificate.status]
            changes.append(
                CertificateStatusChange(
                    certificate=certificate,
                    action=action,
                    from_status=CertificateStatus.VALID,
                    to_status=certificate.status,
                    effective_on=certificate.status_since,
                    at=_at(certificate.status_since, 9, rnd.randint(0, 59)),
                    note=note,
                )
            )
    _bulk(CertificateStatusChange, changes)
    return {"decision events": len(decision_events), "certificate events": len(changes)}


# --- the audits' history: their moves, reports and NC rounds -------------------------------------

# The audit's moves after its report is started, in lifecycle order: (move, status it leads to).
AFTER_REPORT = [
    ("report_submitted", AuditStatus.SUBMITTED),
    ("report_approved", AuditStatus.APPROVED),
    ("ncs_closed", AuditStatus.NCS_CLOSED),
    ("review_opened", AuditStatus.TECHNICAL_REVIEW),
    ("decided", AuditStatus.DECIDED),
    ("closed", AuditStatus.CLOSED),
]
# Moves that follow the report's, taken by its team leader; the rest follow records of the
# certification side, taken by the system here (no committee or reviewer is generated).
LEADER_MOVES = {"start", "report_started", "report_submitted", "report_returned", "report_approved", "ncs_closed"}


@dataclass
class AuditMove:
    action: str
    source: str
    target: str
    at: datetime.datetime


def _audit_moves(rnd, audit, *, returned: bool, ncs_all_closed: bool, now) -> list[AuditMove]:
    """The audit's moves from its creation to its status: planned some weeks before, started on
    its first day, report started on its last, the rest in the three months after (bounded by
    now). ``returned``: the report went back to the team once; ``ncs_all_closed``: the audit
    went through "NCs closed" on its way to the technical review."""
    planned = _at(audit.start_date - datetime.timedelta(days=rnd.randint(20, 40)), 10)
    if planned >= now:  # an audit years ahead was planned with its programme, some time ago
        planned = now - datetime.timedelta(days=rnd.randint(1, 60))
    moves = [AuditMove("create", "", AuditStatus.PLANNED, planned)]
    if audit.status == AuditStatus.PLANNED:
        return moves
    on_site = min(_at(audit.start_date, 8, 30), now - datetime.timedelta(minutes=1))
    moves.append(AuditMove("start", AuditStatus.PLANNED, AuditStatus.IN_PROGRESS, on_site))
    if audit.status == AuditStatus.IN_PROGRESS:
        return moves
    started = _at(audit.end_date, 17)
    moves.append(AuditMove("report_started", AuditStatus.IN_PROGRESS, AuditStatus.REPORT_DRAFTED, started))
    path: list[tuple[str, str]] = []
    if returned:
        path += [("report_submitted", AuditStatus.SUBMITTED), ("report_returned", AuditStatus.REPORT_DRAFTED)]
    if audit.status != AuditStatus.REPORT_DRAFTED:
        for action, target in AFTER_REPORT:
            if action == "ncs_closed" and not (ncs_all_closed or audit.status == AuditStatus.NCS_CLOSED):
                continue  # reviewed with NCs still open (e.g. minors verified at the next audit)
            path.append((action, target))
            if target == audit.status:
                break
    source = AuditStatus.REPORT_DRAFTED
    bound = min(now, started + datetime.timedelta(days=90))
    for (action, target), at in zip(path, _moments(rnd, started, bound, len(path)), strict=True):
        moves.append(AuditMove(action, source, target, at))
        source = target
    return moves


def _history(rnd, audits, team_of, ncs, standard_of) -> dict[str, int]:
    """Reports, NC rounds and the event rows of audits, reports and NCs, a chunk of audits at a
    time so memory stays bounded at any size."""
    now = timezone.now()
    ncs_of: dict[int, list[Nonconformity]] = {}
    for nc in ncs:
        ncs_of.setdefault(nc.audit_id, []).append(nc)
    templates: dict[str, tuple[ReportTemplate, list[TemplateTopic]]] = {}
    counts = dict.fromkeys(
        ["audit transitions", "reports", "report topics", "report events", "NC rounds", "NC transitions"], 0
    )
    for start in range(0, len(audits), AUDIT_CHUNK):
        chunk = audits[start : start + AUDIT_CHUNK]
        reset_queries()
        transitions, moves_of = [], {}
        for audit in chunk:
            audit_ncs = ncs_of.get(audit.pk, [])
            moves = _audit_moves(
                rnd,
                audit,
                returned=rnd.random() < 0.2,
                ncs_all_closed=bool(audit_ncs) and all(nc.status == NonconformityStatus.CLOSED for nc in audit_ncs),
                now=now,
            )
            moves_of[audit.pk] = moves
            leader_user_id = team_of[audit.pk][0].profile.user_id
            transitions += [
                AuditTransition(
                    audit=audit,
                    action=m.action,
                    from_status=m.source,
                    to_status=m.target,
                    at=m.at,
                    by_id=leader_user_id if m.action in LEADER_MOVES else None,
                )
                for m in moves
            ]
        _bulk(AuditTransition, transitions)
        _update_grouped(Audit, {pk: len(moves) for pk, moves in moves_of.items()}, "version")  # 1, +1 per move
        counts["audit transitions"] += len(transitions)
        for name, count in _reports(rnd, chunk, moves_of, team_of, standard_of, templates, now).items():
            counts[name] += count
        chunk_ncs = [nc for audit in chunk for nc in ncs_of.get(audit.pk, [])]
        for name, count in _nc_rounds(rnd, chunk_ncs, moves_of, team_of, standard_of, now).items():
            counts[name] += count
    return counts


def _topic_text(rnd, topic: TemplateTopic, family: str, department: str, audited: datetime.date) -> str:
    """An opening, one to three findings and a conclusion; the records sampled are of the audit's
    year, before it."""
    title = topic.title_zh.split("（")[0].split("(")[0][:24]
    values = {
        "std": STANDARD_TEXT[family],
        "manual": MANUAL[family],
        "version": rnd.choice("ABCDE") + "/" + str(rnd.randint(0, 3)),
        "date": f"{audited.year - 1}年{rnd.randint(1, 12)}月{rnd.randint(1, 28)}日",
        "section": rnd.randint(4, 10),
        "dept": department,
        "title": title,
        "year": audited.year,
        "month": rnd.randint(1, audited.month),
        "n": rnd.randint(3, 12),
    }
    sentences = [rnd.choice(OPENINGS)] + rnd.sample(FINDINGS, rnd.randint(1, 3)) + [rnd.choice(CONCLUSIONS)]
    return "".join(sentence.format(**values) for sentence in sentences)


def _reports(rnd, audits, moves_of, team_of, standard_of, templates, now) -> dict[str, int]:
    """A report for every audit whose report was started, its status, events and topic rows
    following the audit's moves (the report moves and the audit follows: the same moments)."""
    report_moves = {
        "report_started": (ReportEventAction.CREATE, ""),
        "report_submitted": (ReportEventAction.SUBMIT, None),
        "report_returned": (ReportEventAction.RETURN, ReportStatus.SUBMITTED),
        "report_approved": (ReportEventAction.APPROVE, ReportStatus.SUBMITTED),
    }
    target_of = {
        ReportEventAction.CREATE: ReportStatus.DRAFT,
        ReportEventAction.SUBMIT: ReportStatus.SUBMITTED,
        ReportEventAction.RETURN: ReportStatus.RETURNED,
        ReportEventAction.APPROVE: ReportStatus.APPROVED,
    }
    plans = []  # (audit, report, [(action, source, target, at)])
    for audit in audits:
        steps = []
        status = ""
        for move in moves_of[audit.pk]:
            if move.action not in report_moves:
                continue
            action, source = report_moves[move.action]
            steps.append((action, status if source is None else source, target_of[action], move.at))
            status = target_of[action]
        if not steps:
            continue
        leader_user_id = team_of[audit.pk][0].profile.user_id
        submits = [at for action, _s, _t, at in steps if action == ReportEventAction.SUBMIT]
        approved = status == ReportStatus.APPROVED
        report = Report(
            audit=audit,
            template=_template(audit.audit_type, templates)[0],
            status=status,
            submitted_at=submits[-1] if submits else None,
            approved_at=steps[-1][3] if approved else None,
            approved_by_id=leader_user_id if approved else None,
        )
        plans.append((audit, report, steps))
    if not plans:
        return {}
    reports = Report.objects.bulk_create([report for _audit, report, _steps in plans])
    events = []
    for (audit, _r, steps), report in zip(plans, reports, strict=True):
        leader_user_id = team_of[audit.pk][0].profile.user_id
        note = {ReportEventAction.RETURN: "请按批注修改后重新提交。"}
        events += [
            ReportEvent(
                report=report,
                action=action,
                from_status=source,
                to_status=target,
                at=at,
                by_id=leader_user_id,
                note=note.get(action, ""),
            )
            for action, source, target, at in steps
        ]
    events = ReportEvent.objects.bulk_create(events)
    # created_at/updated_at are stamped on insert (auto_now…): the report's first and last moves'.
    moments = ReportEvent.objects.filter(report=OuterRef("pk")).order_by("at")
    Report.objects.filter(pk__in=[r.pk for r in reports]).update(
        created_at=Subquery(moments.values("at")[:1]), updated_at=Subquery(moments.reverse().values("at")[:1])
    )
    returns = {e.report_id: e for e in events if e.action == ReportEventAction.RETURN}

    contents, comments = [], []
    for (audit, _r, steps), report in zip(plans, reports, strict=True):
        contents += _topic_contents(rnd, audit, report, steps, team_of[audit.pk], standard_of[audit.pk], templates, now)
    contents = _bulk(TopicContent, contents)
    # The leader's comment on one written topic of each returned report, addressed by the next
    # submission (if any).
    submitted_after = {}
    for (_a, _r, steps), report in zip(plans, reports, strict=True):
        submits = [at for action, _s, _t, at in steps if action == ReportEventAction.SUBMIT]
        submitted_after[report.pk] = submits[1] if len(submits) > 1 else None
    commented = set()
    for content in contents:
        event = returns.get(content.report_id)
        if event is None or content.report_id in commented or not content.text:
            continue
        commented.add(content.report_id)
        comments.append(
            TopicComment(
                content=content,
                event=event,
                text=rnd.choice(RETURN_COMMENTS),
                by_id=event.by_id,
                addressed_at=submitted_after[content.report_id],
            )
        )
    comments = _bulk(TopicComment, comments)
    TopicComment.objects.filter(pk__in=[c.pk for c in comments]).update(
        at=Subquery(ReportEvent.objects.filter(pk=OuterRef("event_id")).values("at"))  # the return's
    )
    return {"reports": len(reports), "report topics": len(contents), "report events": len(events)}


def _template(audit_type: str, templates: dict[str, tuple[ReportTemplate, list[TemplateTopic]]]):
    """The template a report of this audit type uses and its topics, read once per type."""
    if audit_type not in templates:
        template = template_for(audit_type)
        templates[audit_type] = (template, list(TemplateTopic.objects.filter(part__template=template)))
    return templates[audit_type]


def _topic_contents(rnd, audit, report, steps, team, standard, templates, now) -> list[TopicContent]:
    """One row per topic of the template: the topics of the audit's family (and purpose) written
    by the team member they were given to, before the first submission; a draft only partly.
    Other topics stay empty (the report prints them N/A)."""
    topics = _template(audit.audit_type, templates)[1]
    written_from = steps[0][3]
    submits = [at for action, _s, _t, at in steps if action == ReportEventAction.SUBMIT]
    written_until = submits[0] if submits else min(now, written_from + datetime.timedelta(days=5))
    is_draft = report.status == ReportStatus.DRAFT  # never submitted: partly written
    rows = []
    for index, topic in enumerate(topics):
        assignee = team[index % len(team)]
        row = TopicContent(report=report, topic=topic, assignee=assignee)
        applies = topic.applies_to([standard.family]) and topic.applies_to_audit_type(audit.purpose)
        if applies and not (is_draft and rnd.random() < 0.4):
            row.saved_by_id = assignee.profile.user_id
            row.saved_at = _moments(rnd, written_from, written_until, 1)[0]
            row.version = 1
            if topic.key in OFTEN_BLANK and rnd.random() < 0.5:
                row.left_blank = True
            else:
                row.text = _topic_text(rnd, topic, standard.family, rnd.choice(DEPARTMENTS), audit.end_date)
        rows.append(row)
    return rows


def _nc_rounds(rnd, ncs, moves_of, team_of, standard_of, now) -> dict[str, int]:
    """The response rounds of each NC past "open" and the NC's transitions; the NCs' raising day
    (their last day on site) and version, in bulk."""
    plans = []  # (nc, [NonconformityResponse], [(action, source, target, at, by, note, round index)])
    for nc in ncs:
        audit_moves = moves_of[nc.audit_id]
        raised = _at(nc.audit.end_date, 15)  # at the closing meeting
        # NCs closed before the audit records them closed; others within five months (or now).
        closed_at = next((m.at for m in audit_moves if m.action == "ncs_closed"), None)
        bound = closed_at or min(now, raised + datetime.timedelta(days=150))
        rounds, steps = _rounds_of(rnd, nc, team_of[nc.audit_id], standard_of[nc.audit_id], raised, bound)
        nc.version = 1 + len(steps)
        plans.append((nc, rounds, steps))
    # raised_at is stamped on insert (auto_now_add): the closing meeting's, by audit day.
    _update_grouped(Nonconformity, {nc.pk: _at(nc.audit.end_date, 15) for nc in ncs}, "raised_at")
    _update_grouped(Nonconformity, {nc.pk: nc.version for nc in ncs}, "version")
    responses = _bulk(NonconformityResponse, [r for _nc, rounds, _steps in plans for r in rounds])
    transitions = []
    for nc, rounds, steps in plans:
        for action, source, target, at, by_id, note, index in steps:
            transitions.append(
                NonconformityTransition(
                    nc=nc,
                    response=rounds[index],
                    action=action,
                    from_status=source,
                    to_status=target,
                    at=at,
                    by_id=by_id,
                    note=note,
                )
            )
    _bulk(NonconformityTransition, transitions)
    return {"NC rounds": len(responses), "NC transitions": len(transitions)}


def _rounds_of(rnd, nc, team: Sequence[TeamAssignment], standard, raised, bound):
    """An NC's rounds for its status: rejected rounds (the auditor's rejection, or once in a
    while the leader's refusal of the closure) before the last one, which is pending
    (responded), accepted (verified), accepted and closed (closed) or rejected (returned)."""
    S = NonconformityStatus
    if nc.status == S.OPEN:
        return [], []
    count = rnd.choice({S.CLOSED: [1, 1, 1, 2, 2, 3]}.get(nc.status, [1, 1, 2]))
    leader = team[0].profile.user_id
    verifier = rnd.choice(team).profile.user_id
    department = nc.department.name_zh if nc.department else "综合部"
    values = {"year": nc.audit.end_date.year, "dept": department, "std": STANDARD_TEXT[standard.family]}
    # Each round: respond, then a decision or two; the last round's decisions follow the status.
    outcomes = ["rejected"] * (count - 1) + [
        {S.RESPONDED: "pending", S.VERIFIED: "accepted", S.CLOSED: "closed", S.RETURNED: "returned"}[nc.status]
    ]
    if outcomes[-1] == "returned":
        outcomes[-1] = "closure_refused" if rnd.random() < 0.2 else "rejected"
    moves_per_outcome = {"pending": 1, "rejected": 2, "accepted": 2, "closed": 3, "closure_refused": 3}
    moments = iter(_moments(rnd, raised, bound, sum(moves_per_outcome[o] for o in outcomes)))
    rounds, steps = [], []
    source = S.OPEN
    for index, outcome in enumerate(outcomes):
        response = NonconformityResponse(
            nc=nc,
            round=index + 1,
            correction=rnd.choice(CORRECTIONS).format(**values),
            root_cause=rnd.choice(ROOT_CAUSES).format(**values),
            corrective_action=rnd.choice(CORRECTIVE_ACTIONS).format(**values),
            submitted_at=next(moments),
        )
        rounds.append(response)
        steps.append((NonconformityAction.RESPOND, source, S.RESPONDED, response.submitted_at, None, "", index))
        if outcome == "pending":
            break
        response.verified_by_id = verifier
        response.verified_at = next(moments)
        if outcome == "rejected":
            response.verification = VerificationDecision.REJECTED
            response.verification_note = rnd.choice(REJECT_REASONS)
            steps.append(
                (
                    NonconformityAction.REJECT,
                    S.RESPONDED,
                    S.RETURNED,
                    response.verified_at,
                    verifier,
                    response.verification_note,
                    index,
                )
            )
            source = S.RETURNED
            continue
        response.verification = VerificationDecision.ACCEPTED
        response.verification_method = (
            VerificationMethod.NEXT_AUDIT
            if nc.grade != "major" and rnd.random() < 0.2
            else rnd.choice([VerificationMethod.DOCUMENTS] * 4 + [VerificationMethod.ON_SITE])
        )
        response.verification_note = rnd.choice(VERIFICATION_NOTES)
        response.closure = ClosureDecision.PENDING
        steps.append(
            (
                NonconformityAction.ACCEPT,
                S.RESPONDED,
                S.VERIFIED,
                response.verified_at,
                verifier,
                response.verification_note,
                index,
            )
        )
        if outcome == "accepted":
            break
        response.closure_by_id = leader
        response.closure_at = next(moments)
        if outcome == "closed":
            response.closure = ClosureDecision.APPROVED
            steps.append((NonconformityAction.CLOSE, S.VERIFIED, S.CLOSED, response.closure_at, leader, "", index))
        else:
            response.closure = ClosureDecision.REJECTED
            response.closure_note = rnd.choice(CLOSURE_REJECT_REASONS)
            steps.append(
                (
                    NonconformityAction.REJECT_CLOSURE,
                    S.VERIFIED,
                    S.RETURNED,
                    response.closure_at,
                    leader,
                    response.closure_note,
                    index,
                )
            )
            source = S.RETURNED
    return rounds, steps
