"""The seed report itself: the stage 2 audit of 中食互联（北京）科技有限公司 written with the seed's
own text, choices and its one minor nonconformity, approved by the team leader (朱晓丽).

Values come from ``auditbody/seed_data/seed_audit.yaml`` (``parts``), keyed by the template's
part and field keys; facts (CB, team, client, criteria, dates, NC counts) are not copied — the
report shows them from the records the other demo steps created.

Where the seed printed a small form inside a topic (六(一)4 法律法规及其他要求, 六(一)5 QMS过程),
its boxes and blanks are stored in the topic's own fields rather than repeated in the text.
Topics the seed leaves blank although they apply (创新情况, 其他能够证明组织绩效…, 十 1.) are
marked "nothing to report", which prints them blank as the seed does. Topics of EMS/OHSMS print
不适用 by the template's rule (the audit is QMS only), so their seed text is not stored.

Before it, the report of the stage 1 audit that the seed's stage 2 follows (``audits.demo``):
not in the seed, so kept minimal — the stage 2 topics marked "nothing to report" (stage 1 reads
the documents; they are stage 2's matters), the required choices at their first option (the
recommendation deferred to stage 2), approved by 朱晓丽 with the conclusion "ready for stage 2";
then the leader starts stage 2.

The integrated demo client (``audits.demo``): its stage 1 report is approved "ready" the same
way, the leader starts stage 2, and its stage 2 report is written — a short line per applicable
topic of the three systems, the required choices at their first option (the recommendation:
register) — submitted and approved by 朱晓丽. No nonconformity: the cycle's NC path is the seed's.

Idempotent: an approved demo report is left as it is; otherwise only what differs is written.
"""

import datetime
from pathlib import Path

from django.conf import settings

from audits.demo import integrated_audit, start_when_ready
from audits.models import Audit, AuditStatus, AuditType, Stage1Outcome, TeamRole
from clients.demo import SEED_CLIENT
from findings.models import Nonconformity

from . import services
from .models import FieldType, Report, ReportStatus, TemplateField
from .selectors import report_completion
from .template_loader import STAGE_1_TEMPLATE_PATH, load_report_template, read_template_yaml

SEED_AUDIT_PATH = Path(settings.BASE_DIR) / "auditbody" / "seed_data" / "seed_audit.yaml"
# Topics whose seed text is the printed form of the topic's own fields.
TEXT_FROM_FIELDS = {
    "legal_requirements": 0,  # the whole text is the form (1)…(4)
    "qms_processes": 1,  # first line is narrative; the blanks below it are fields
}


def _seed_data():
    return read_template_yaml(SEED_AUDIT_PATH)


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if value is None:
        return None
    return value if isinstance(value, (list, dict)) else str(value)


def seed(stdout):
    result = load_report_template()
    if result.changed:
        stdout.write(f"  report template: {result.summary()}")
    result = load_report_template(STAGE_1_TEMPLATE_PATH)
    if result.changed:
        stdout.write(f"  stage 1 report template: {result.summary()}")
    _stage_1_report(stdout)
    seed_integrated(stdout)
    audit = (
        Audit.objects.filter(client__name_zh=SEED_CLIENT["name_zh"], audit_type=AuditType.STAGE_2)
        .order_by("start_date")
        .first()
    )
    if audit is None:
        stdout.write("  WARNING: the seed audit does not exist: no demo report.")
        return
    leader_assignment = audit.team.filter(role=TeamRole.LEADER).select_related("profile__user").first()
    if leader_assignment is None:
        stdout.write("  WARNING: the seed audit has no team leader: no demo report.")
        return
    leader = leader_assignment.profile.user
    start_when_ready(stdout, audit=audit, leader=leader)
    report = Report.objects.filter(audit=audit).first()
    if report is not None and report.status == ReportStatus.APPROVED:
        stdout.write("  seed report already approved (unchanged)")
        return
    data = _seed_data()
    report = report or services.report_start(audit=audit, by=leader)
    if report.status != ReportStatus.SUBMITTED:
        _nonconformities(audit, data, leader)
        _topics(report, data, leader)
        _values(report, data, leader)
        services.report_submit(report=report, by=leader)
    services.report_approve(report=report, by=leader)
    stdout.write(f"  seed report written and approved by {leader} ({report.topics.count()} topics)")


# The stage 1 report's required choices: the first option, except the recommendation, which a
# stage 1 defers to stage 2.
STAGE_1_CHOICES = {"recommendation": "defer_recommendation"}
STAGE_1_REMARK = "文件审核和现场初访表明管理体系已建立并运行，具备第二阶段审核条件。"


def _stage_1_report(stdout):
    stage_1 = (
        Audit.objects.filter(client__name_zh=SEED_CLIENT["name_zh"], audit_type=AuditType.STAGE_1)
        .order_by("start_date")
        .first()
    )
    _approve_stage_1(stdout, stage_1, who="the seed's")


def _leader_of(audit):
    assignment = audit and audit.team.filter(role=TeamRole.LEADER).select_related("profile__user").first()
    return assignment.profile.user if assignment else None


def _approve_stage_1(stdout, stage_1, *, who):
    """A minimal stage 1 report approved "ready for stage 2" by its leader (see the docstring)."""
    leader = _leader_of(stage_1)
    if leader is None:
        stdout.write(f"  WARNING: {who} stage 1 audit or its leader is missing: no stage 1 report.")
        return
    report = Report.objects.filter(audit=stage_1).first()
    if report is not None and report.status == ReportStatus.APPROVED:
        return
    report = report or services.report_start(audit=stage_1, by=leader)
    if report.status != ReportStatus.SUBMITTED:
        families = stage_1.families
        for content in report.topics.select_related("topic"):
            topic = content.topic
            if topic.applies_to(families) and topic.applies_to_audit_type(stage_1.purpose) and not content.left_blank:
                services.topic_save(content=content, text="", version=content.version, by=leader, left_blank=True)
        values = {}
        for fld in services.editable_fields(report.template).prefetch_related("options"):
            required = fld.type == FieldType.CHOICE and not fld.applies_to_options and not fld.printed_with
            if required and (not fld.audit_types or stage_1.purpose in fld.audit_types):
                keys = [option.key for option in fld.options.all()]
                wanted = STAGE_1_CHOICES.get(fld.key)
                if keys:
                    values[fld.pk] = wanted if wanted in keys else keys[0]
        report.refresh_from_db()
        services.report_values_save(report=report, values=values, version=report.choices_version, by=leader)
        services.report_submit(report=report, by=leader)
    services.report_approve(
        report=report, by=leader, stage_1_outcome=Stage1Outcome.READY, stage_1_remark=STAGE_1_REMARK
    )
    stdout.write(f"  stage 1 report approved by {leader}: ready for stage 2")


def _nonconformities(audit, data, leader):
    """The seed's one minor QMS nonconformity (its NC report is not in the seed: no clause,
    department or statement; 十五 says its corrective action was verified)."""
    for number, spec in enumerate(data.get("nonconformities") or [], start=1):
        if Nonconformity.objects.filter(audit=audit, number=number).exists():
            continue
        nc = Nonconformity(
            audit=audit,
            number=number,
            grade=spec["grade"],
            family=spec["family"],
            status=spec.get("status") or "open",
            statement=spec.get("statement") or "",
            requirement=spec.get("requirement") or "",
            evidence=spec.get("evidence") or "",
            raised_by=leader,
        )
        nc._history_user = leader
        nc.save()


def _topic_text(key, text):
    if text is None:
        return None
    text = str(text).rstrip("\n")
    keep = TEXT_FROM_FIELDS.get(key)
    if keep is not None:
        text = "\n".join(text.split("\n")[:keep])
    return text


def _topics(report, data, leader):
    families = report.audit.families
    texts = {}
    for part in (data.get("parts") or {}).values():
        if isinstance(part, dict):
            texts.update(part.get("topics") or {})
    for content in report.topics.select_related("topic"):
        topic = content.topic
        if topic.key not in texts:
            continue
        applies = topic.applies_to(families) and topic.applies_to_audit_type(report.audit.purpose)
        if not applies:
            continue
        text = _topic_text(topic.key, texts[topic.key])
        has_fields = topic.key in TEXT_FROM_FIELDS
        services.topic_save(
            content=content,
            text=text or "",
            version=content.version,
            by=leader,
            left_blank=text is None and not has_fields,
        )


def _values(report, data, leader):
    fields = {
        (f.part.key, f.topic.key if f.topic else None, f.key): f for f in services.editable_fields(report.template)
    }
    values = {}
    for part_key, part in (data.get("parts") or {}).items():
        if not isinstance(part, dict):
            continue
        entries = [(None, k, v) for k, v in part.items() if k not in ("topics", "topic_fields")]
        for topic_key, topic_fields in (part.get("topic_fields") or {}).items():
            entries += [(topic_key, k, v) for k, v in topic_fields.items()]
        for topic_key, key, value in entries:
            fld = fields.get((part_key, topic_key, key))
            if fld is None or value is None:
                continue
            if fld.type == FieldType.TABLE:
                value = _table(fld, value)
            elif fld.type == FieldType.MULTICHOICE:
                value = [str(v) for v in value or []]
            else:
                value = _plain(value)
            values[fld.pk] = value
    report.refresh_from_db()
    services.report_values_save(report=report, values=values, version=report.choices_version, by=leader)


def _table(fld, rows):
    columns = [c["key"] for c in fld.columns]
    if fld.source:
        # Rows come from the records; keep only what the seed typed into them, by row key.
        typed = {}
        for row in rows or []:
            key = str(row.get(columns[0]))
            cells = {c: _plain(row.get(c)) for c in columns[1:] if row.get(c) not in (None, "")}
            if cells:
                typed[key] = cells
        return typed or None
    result = []
    for row in rows or []:
        result.append({c: _plain(row.get(c)) or "" for c in columns if c != "source"})
    return result or None


# --- the integrated client ------------------------------------------------------------------------

INTEGRATED_TOPIC_TEXT = "{title}：查阅相关文件和记录并现场观察，三体系一体化运行，未发现不符合。"


def seed_integrated(stdout):
    stage_1 = integrated_audit(AuditType.STAGE_1)
    stage_2 = integrated_audit(AuditType.STAGE_2)
    if stage_1 is None or stage_2 is None:
        stdout.write("  WARNING: the integrated client's stage 1 or stage 2 is missing: no integrated reports.")
        return
    _approve_stage_1(stdout, stage_1, who="the integrated client's")
    leader = _leader_of(stage_2)
    if leader is None:
        return
    start_when_ready(stdout, audit=stage_2, leader=leader)
    stage_2.refresh_from_db()
    report = Report.objects.filter(audit=stage_2).first()
    if report is not None and report.status == ReportStatus.APPROVED:
        return
    if report is None and stage_2.status != AuditStatus.IN_PROGRESS:
        return
    report = report or services.report_start(audit=stage_2, by=leader)
    if report.status != ReportStatus.SUBMITTED:
        _fill_missing(report, leader)
        services.report_submit(report=report, by=leader)
    services.report_approve(report=report, by=leader)
    stdout.write(f"  integrated stage 2 report written and approved by {leader}")


def _fill_missing(report, leader):
    """Every item the completion page lists as missing: a topic gets a short line, a choice its
    first option, a text field a short line."""
    values = {}
    for part in report_completion(report=report).parts:
        for item in part.items:
            if item.filled:
                continue
            pk = int(item.anchor.split("-")[1])
            if item.kind == "topic":
                content = report.topics.select_related("topic").get(topic_id=pk)
                text = INTEGRATED_TOPIC_TEXT.format(title=content.topic.title_zh)
                services.topic_save(content=content, text=text, version=content.version, by=leader)
            elif item.kind == "field":
                fld = TemplateField.objects.get(pk=pk)
                values[pk] = fld.options.first().key if fld.is_choice else "无"
    if values:
        report.refresh_from_db()
        services.report_values_save(report=report, values=values, version=report.choices_version, by=leader)
