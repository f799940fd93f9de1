"""Factories and helpers for the reports app's tests."""

from accounts.tests.factories import UserFactory
from audits.models import AuditStatus, TeamRole
from audits.tests.factories import (  # noqa: F401 (re-exported)
    AuditFactory,
    CertificationBodyFactory,
    PlanItemFactory,
    TeamAssignmentFactory,
    iso9001,
    iso14001,
    iso45001,
    qualified_profile,
)
from clients.tests.factories import DepartmentFactory
from core.access import Role
from findings.models import Finding, Nonconformity
from reports import services
from reports.models import (
    FieldType,
    ReportTemplate,
    TemplateField,
    TemplateOption,
    TemplatePart,
    TemplateTopic,
    TopicGroup,
)
from standards.models import Clause


def ensure_shipped_standards():
    """The shipped clause headings (normally loaded by standards' migration and post_migrate)."""
    from standards.shipped import load_shipped_catalogue

    load_shipped_catalogue()


def shipped_standard(code):
    from standards.models import Standard

    ensure_shipped_standards()
    return Standard.objects.get(code=code, edition={"ISO 9001": "2015", "ISO 14001": "2015", "ISO 45001": "2018"}[code])


def member(audit, *, role=TeamRole.AUDITOR, user=None):
    """A team member of the audit (a TeamAssignment) with a user of the matching role."""
    user = user or UserFactory(role=Role.TEAM_LEADER if role == TeamRole.LEADER else Role.AUDITOR)
    profile = getattr(user, "auditor_profile", None) or qualified_profile(user=user)
    return TeamAssignmentFactory(audit=audit, profile=profile, role=role)


class ReportSetup:
    """An audit in progress with a leader and an auditor, and its report started."""

    def __init__(
        self,
        *,
        standards=None,
        template=None,
        leader_user=None,
        auditor_user=None,
        status=AuditStatus.IN_PROGRESS,
        **audit_kwargs,
    ):
        ensure_shipped_standards()
        if standards is None:
            standards = [shipped_standard("ISO 9001")]
        CertificationBodyFactory()
        self.audit = AuditFactory(standards=standards, status=status, **audit_kwargs)
        self.leader = member(self.audit, role=TeamRole.LEADER, user=leader_user)
        self.auditor = member(self.audit, role=TeamRole.AUDITOR, user=auditor_user)
        self.leader_user = self.leader.profile.user
        self.auditor_user = self.auditor.profile.user
        self.report = services.report_start(audit=self.audit, by=self.leader_user, template=template)

    def content(self, key):
        return self.report.topics.select_related("topic").get(topic__key=key)

    def assign(self, key, assignment):
        content = self.content(key)
        return services.topic_assign(content=content, assignee=assignment, by=self.leader_user)

    def field(self, key, part_key=None):
        qs = TemplateField.objects.filter(part__template=self.report.template, key=key, topic__isnull=True)
        if part_key:
            qs = qs.filter(part__key=part_key)
        return qs.get()


def fill_report(setup, *, by=None, skip=()):
    """Write every applicable topic and choose every required choice, so it can be submitted."""
    from reports.selectors import report_completion

    by = by or setup.leader_user
    report = setup.report
    completion = report_completion(report=report)
    values = {}
    for part in completion.parts:
        for item in part.items:
            if item.filled:
                continue
            if item.kind == "topic":
                topic_id = int(item.anchor.split("-")[1])
                content = report.topics.get(topic_id=topic_id)
                if content.topic.key in skip:
                    continue
                services.topic_save(
                    content=content, text=f"审核发现 {content.topic.key}", version=content.version, by=by
                )
            elif item.kind == "field":
                fld = TemplateField.objects.get(pk=int(item.anchor.split("-")[1]))
                if fld.is_choice:
                    values[fld.pk] = fld.options.first().key
                else:
                    values[fld.pk] = "说明"
    if values:
        report.refresh_from_db()
        services.report_values_save(report=report, values=values, version=report.choices_version, by=by)
    report.refresh_from_db()
    return report


def build_template(*, topics, key=None):
    """A template with one facts part, one choices part and ``topics`` narrative topics in five
    groups, each topic linked to a clause and carrying one box of its own."""
    ensure_shipped_standards()
    template = ReportTemplate.objects.create(key=key or f"test-{topics}", title_zh="测试报告", title_en="Test report")
    from reports.models import TemplateFamily

    TemplateFamily.objects.create(
        template=template, code="QMS", title_zh="质量", title_en="Quality", standard=shipped_standard("ISO 9001")
    )
    facts = TemplatePart.objects.create(
        template=template, number=1, key="facts", title_zh="基本信息", title_en="Facts", order=1
    )
    TemplateField.objects.create(
        part=facts, key="cb_name", label_zh="审核方名称", label_en="CB", type=FieldType.FACT, source="cb.name", order=1
    )
    TemplateField.objects.create(
        part=facts,
        key="team",
        label_zh="审核组",
        label_en="Team",
        type=FieldType.TABLE,
        source="team",
        order=2,
        columns=[
            {"key": "name", "label_zh": "姓名", "label_en": "Name"},
            {"key": "role_in_team", "label_zh": "身份", "label_en": "Role"},
        ],
    )
    choices = TemplatePart.objects.create(
        template=template, number=2, key="choices", title_zh="选择", title_en="Choices", order=2, kind="choices"
    )
    choice = TemplateField.objects.create(
        part=choices, key="objective", label_zh="目的", label_en="Objective", type=FieldType.CHOICE, order=1
    )
    TemplateOption.objects.create(field=choice, key="achieved", label_zh="达到", label_en="Achieved", order=1)
    TemplateOption.objects.create(field=choice, key="not_achieved", label_zh="未达到", label_en="Not achieved", order=2)
    narrative = TemplatePart.objects.create(
        template=template, number=3, key="findings", title_zh="审核发现", title_en="Findings", order=3, kind="narrative"
    )
    groups = [
        TopicGroup.objects.create(part=narrative, key=str(i), title_zh=f"组{i}", title_en=f"Group {i}", order=i)
        for i in range(5)
    ]
    clauses = list(Clause.objects.filter(standard__code="ISO 9001", depth=2)[:10])
    for i in range(topics):
        topic = TemplateTopic.objects.create(
            part=narrative,
            group=groups[i * 5 // topics],
            key=f"topic_{i}",
            number=str(i + 1),
            title_zh=f"主题{i}",
            title_en=f"Topic {i}",
            families=["QMS"] if i % 3 else ["EMS"],
            order=i,
        )
        topic.clauses.add(clauses[i % len(clauses)])
        box = TemplateField.objects.create(
            part=narrative, topic=topic, key="adequate", label_zh="充分", label_en="Adequate", type=FieldType.CHOICE
        )
        TemplateOption.objects.create(field=box, key="yes", label_zh="是", label_en="Yes")
    return template


def add_findings(setup, count, *, with_nc_every=3):
    audit = setup.audit
    clauses = list(Clause.objects.filter(standard__in=audit.standards.all())[:20])
    department = DepartmentFactory(client=audit.client)
    findings = []
    for i in range(count):
        finding = Finding.objects.create(
            audit=audit,
            clause=clauses[i % len(clauses)],
            department=department,
            description=f"发现{i}",
            evidence=f"证据{i}",
            recorded_by=setup.auditor_user,
        )
        findings.append(finding)
        if with_nc_every and i % with_nc_every == 0:
            Nonconformity.objects.create(
                audit=audit,
                finding=finding,
                number=i + 1,
                grade="minor",
                family="QMS",
                clause=finding.clause,
                department=department,
                statement="不符合",
                raised_by=setup.auditor_user,
            )
    return findings


from clients.tests.factories import PNG_BYTES  # noqa: E402  # a real image: uploads are parsed


def evidence_file(finding, name="photo.png"):
    from django.core.files.base import ContentFile

    from findings.models import FindingEvidence

    evidence = FindingEvidence(finding=finding, original_name=name, size=len(PNG_BYTES), content_type="image/png")
    evidence.file.save(name, ContentFile(PNG_BYTES), save=False)
    evidence.save()
    return evidence


def report_for(user, *, lead=False, approved=False):
    """A report the user may reach: on the team (as leader with ``lead``) for auditors and
    leaders, of the user's organisation for client users (approved, or it is 404 to them)."""
    from audits.models import TeamRole
    from reports.models import Report, ReportStatus

    ensure_shipped_standards()
    CertificationBodyFactory()
    kwargs = {"status": AuditStatus.IN_PROGRESS, "standards": [shipped_standard("ISO 9001")]}
    if user is not None and user.role == Role.CLIENT:
        kwargs["client"] = user.client
    audit = AuditFactory(**kwargs)
    if user is not None and user.role in (Role.AUDITOR, Role.TEAM_LEADER):
        role = TeamRole.LEADER if (lead or user.role == Role.TEAM_LEADER) else TeamRole.AUDITOR
        assignment = member(audit, role=role, user=user)
        if role != TeamRole.LEADER:
            member(audit, role=TeamRole.LEADER)
    else:
        assignment = member(audit, role=TeamRole.LEADER)
    report = services.report_start(audit=audit, by=assignment.profile.user)
    if approved:
        Report.objects.filter(pk=report.pk).update(status=ReportStatus.APPROVED)
        report.refresh_from_db()
    return report
