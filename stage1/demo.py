"""The stage 1 demo: the seed manual's company, 易科智控科技（北京）有限公司, reviewed at stage 1.

A stage 1 audit (ISO 9001 + ISO 14001 + ISO 45001) of the company, its 管理手册 uploaded by its
demo client user (``yike``), reviewed, two proposals confirmed as areas of concern (the 8.4
sub-clauses numbered 8.9.x; the withdrawn GB/T 28001) and one dismissed with its reason. The
manual is the seed text itself when it is at hand (``SEEDS_DIR``, ``seeds/`` next to the project,
the workspace's ``shared/seeds``), else a stand-in built from the clause tree with the seed
manual's main defects. Its stage 1 report (the stage 1 template) is written by the team leader
with the review's findings and submitted, waiting for the leader's approval; the two areas of
concern wait for the client's answers in the portal. Idempotent: nothing is added once the
company's manual is uploaded.
"""

import datetime
import os
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.demo import seed_user
from accounts.models import User
from audits import services as audit_services
from audits.availability import Span, clashes_of
from audits.calculation import StandardInput
from audits.models import Audit, AuditType, TeamRole
from clients.demo import MANUAL_CLIENT_NAME_EN, find_standard
from clients.models import Client
from core.access import Role
from core.dates import local_today
from people.models import AuditorProfile
from reports import services as report_services
from reports.models import FieldType, ReportStatus

from . import services
from .models import ProposalDecision, Stage1Document

STANDARDS = ("ISO 9001:2015", "ISO 14001:2015", "ISO 45001:2018")
SEED_MANUAL = "004_8e83bf0cffd30d51.txt"
# The stage 1 visit took place in the last weeks (its report is written and waiting for approval;
# a started audit is never dated in the future): the first of these days back on which the leader
# is free — an auditor is never on two audits at once — and that is not the first Monday or Tuesday
# of this month, which the scheduling demo staffs with the same leader after this step.
STAGE_1_DAYS_BACK = range(3, 60)
DEMO_HEADCOUNT = 12  # the manual does not say; the demo needs a figure for the audit time


def seed_manual_text() -> tuple[str, bytes]:
    base = Path(settings.BASE_DIR)
    for folder in (
        os.environ.get("SEEDS_DIR"),
        base / "seeds",
        base.parent / "shared" / "seeds",
        base.parent.parent / "shared" / "seeds",
    ):
        if folder and (Path(folder) / SEED_MANUAL).is_file():
            return "管理手册.txt", (Path(folder) / SEED_MANUAL).read_bytes()
    return "管理手册.txt", stand_in_manual()


def stand_in_manual() -> bytes:
    """ISO 9001's headings with the seed manual's main defects."""
    standard = find_standard("ISO 9001:2015")
    lines = ["本手册依据 GB/T 19001-2016、GB/T 24001-2016 和 GB/T 28001-2011 编制。"]
    for clause in standard.clauses.order_by("sort_key") if standard else []:
        if clause.parent_id and clause.title_zh == clause.parent.title_zh:
            continue
        number, title = clause.number, clause.title_zh
        if number.startswith("8.4."):
            number = number.replace("8.4.", "8.9.", 1)
        if number == "8.5":
            title = "和服务提供"
        lines += [f"{number} {title}", "公司按照标准要求建立并实施本条款的规定。"]
    return "\n".join(lines).encode()


def seed(stdout):
    client = Client.objects.filter(name_en=MANUAL_CLIENT_NAME_EN).first()
    standards = [find_standard(label) for label in STANDARDS]
    admin = User.objects.filter(username="admin").first()
    leader = User.objects.filter(username="leader").first()
    if client is None or None in standards or admin is None or leader is None:
        stdout.write("  stage 1 demo skipped: the manual's company, its standards or the demo users are missing")
        return
    if Stage1Document.objects.filter(audit__client=client).exists():
        stdout.write("  unchanged stage 1 review of the manual's company")
        return
    client_user = seed_user(stdout, username="yike", full_name="刘芳", role=Role.CLIENT, client=client)
    audit = _stage_1_audit(stdout, client=client, standards=standards, admin=admin, leader=leader)
    name, data = seed_manual_text()
    version = services.stage1_document_upload(
        audit=audit, uploaded_file=SimpleUploadedFile(name, data), by=client_user, title="管理手册"
    )
    review = services.stage1_review_request(version=version, by=leader)
    review = services.stage1_review_run(review_id=review.pk) or review
    proposals = list(review.proposals.all())
    confirmed = [
        next((p for p in proposals if p.kind == "wrong_parent" and p.clause == "8.4"), None),
        next((p for p in proposals if p.kind == "outdated_reference" and "28001" in p.params.get("found", "")), None),
    ]
    for proposal in filter(None, confirmed):
        services.stage1_proposal_confirm(proposal=proposal, by=leader)
    wording = next((p for p in proposals if p.kind == "title_deviation" and p.decision == ProposalDecision.OPEN), None)
    if wording is not None:
        services.stage1_proposal_dismiss(
            proposal=wording, by=leader, reason="措辞差异，不影响对标准要求的理解 (wording only)"
        )
    stdout.write(f"  reviewed {version} at stage 1: {len(proposals)} proposals, 2 confirmed, 1 dismissed")
    _stage_1_report(stdout, audit=audit, leader=leader)


# The leader's text of the stage 1 report, per topic of the stage 1 template (the seed manual's
# company: software development incl. energy-saving software, energy performance contracting).
REPORT_TEXTS = {
    "document_review_conclusion": (
        "审核组评审了《管理手册》A版（质量/环境/职业健康安全一体化手册）。手册覆盖了 ISO 9001:2015、"
        "ISO 14001:2015 和 ISO 45001:2018 的主要条款，方针、目标、组织机构图和职能分配表齐全。"
        "发现以下问题：8.4 的子条款被编为 8.9.1～8.9.3，4.4 的子条款被编为 4.9.x；职业健康安全部分仍引用"
        "已废止的 GB/T 28001-2011，未转换为 GB/T 45001-2020；“8.5和服务提供”标题缺字（措辞问题，已排除）。"
        "前两项列为关注事项，请受审核方在第二阶段审核前修订手册。"
    ),
    "site_conditions": (
        "公司办公地址位于北京市海淀区学清路，为租用写字楼办公区，无生产车间。软件开发和技术服务在办公区"
        "完成，合同能源管理项目在客户现场实施（临时场所）。办公区消防设施、疏散通道标识完好。"
    ),
    "client_understanding": (
        "管理者代表刘芳和职业健康安全事务代表张启帆介绍了体系的策划。公司识别了软件交付质量、"
        "项目现场用电安全和电子废弃物处置为主要关注点；质量、环境、职业健康安全目标已分解到综合部和技术部。"
    ),
    "scope_processes_legal": (
        "申请范围：软件开发（含节能软件）及相关技术服务；合同能源管理技术服务。主要过程为需求分析、设计开发、"
        "测试、交付和运维服务，以及项目现场的节能改造服务。公司建立了法律法规清单，包括《安全生产法》《环境保护法》"
        "和《固体废物污染环境防治法》，合规性评价记录待第二阶段查验。"
    ),
    "internal_audit_management_review": (
        "公司已于体系运行三个月后完成一次覆盖全部部门和条款的内部审核，开具2项不符合并已关闭；管理评审已按计划实施，"
        "输出包括手册修订和培训计划。体系运行的程度表明已基本具备第二阶段审核条件。"
    ),
    "stage_2_focus": (
        "第二阶段审核安排2名审核员，重点审核：设计开发的策划和验证（8.3）、外部提供的过程和服务的控制（8.4）、"
        "项目现场的危险源辨识和风险控制（6.1.2、8.1）、电子废弃物的处置，以及两项关注事项的整改结果。"
    ),
}
DEPARTMENT_FOCUS = "设计开发、项目现场服务、运行控制"


def _stage_1_report(stdout, *, audit, leader):
    """The company's stage 1 report, written with the review's findings and submitted to the
    leader for approval (a stage 1 document review may be done before the visit: the audit is
    started for it)."""
    try:
        if audit.status == "planned":
            audit_services.audit_start(audit=audit, by=leader)
            audit.refresh_from_db()
        report = report_services.report_start(audit=audit, by=leader)
    except ValidationError as refused:
        stdout.write(f"  warning: the stage 1 report could not be started: {refused.messages}")
        return
    if report.status != ReportStatus.DRAFT:
        return
    for content in report.topics.select_related("topic"):
        text = REPORT_TEXTS.get(content.topic.key)
        if text:
            report_services.topic_save(content=content, text=text, version=content.version, by=leader)
    values = {}
    for fld in report_services.editable_fields(report.template).prefetch_related("options"):
        if fld.key == "audit_time_confirmation":
            values[fld.pk] = "confirmed"
        elif fld.type == FieldType.TABLE and fld.key == "departments":
            values[fld.pk] = {name: {"focus": DEPARTMENT_FOCUS} for name in _department_keys(audit)}
    report.refresh_from_db()
    report_services.report_values_save(report=report, values=values, version=report.choices_version, by=leader)
    report_services.report_submit(report=report, by=leader)
    stdout.write(f"  stage 1 report of {audit.client} written and submitted to the team leader")


def _department_keys(audit):
    return [d.name_zh for d in audit.client.departments.all()]


def _free_day(leader):
    today = local_today()
    month = today.replace(day=1)
    first_monday = month + datetime.timedelta(days=(7 - month.weekday()) % 7)
    kept = {first_monday, first_monday + datetime.timedelta(days=1)}
    profile = AuditorProfile.objects.filter(user=leader).first()
    for back in STAGE_1_DAYS_BACK:
        day = today - datetime.timedelta(days=back)
        if day in kept:
            continue
        if profile is None or not clashes_of(profile_ids=[profile.pk], span=Span(day, day)).get(profile.pk):
            return day
    return today - datetime.timedelta(days=STAGE_1_DAYS_BACK.start)


def _stage_1_audit(stdout, *, client, standards, admin, leader):
    audit = Audit.objects.filter(client=client, audit_type=AuditType.STAGE_1).first()
    if audit is not None:
        return audit
    programme = client.programmes.filter(cycle=1).first() or audit_services.programme_create(
        client=client, standards=standards, by=admin, rule_set="cnca"
    )
    start = _free_day(leader)
    audit = audit_services.audit_plan(
        by=admin,
        client=client,
        programme=programme,
        audit_type=AuditType.STAGE_1,
        standards=[StandardInput(s) for s in standards],
        start_date=start,
        end_date=start,
        on_site_days=Decimal(1),
        effective_personnel=client.headcount or DEMO_HEADCOUNT,
        sites=list(client.sites.all()),
        planned_man_days=Decimal(1),
        man_days_deviation_reason="演示数据：第一阶段文件审查 (demo: a stage 1 document review)",
    )
    stdout.write(f"  created stage 1 audit {audit}")
    profile = AuditorProfile.objects.filter(user=leader).first()
    if profile is not None:
        try:
            audit_services.team_assignment_add(audit=audit, profile=profile, role=TeamRole.LEADER, by=admin)
        except ValidationError as refused:
            stdout.write(f"  warning: the leader could not join the stage 1 team: {refused.messages}")
    return audit
