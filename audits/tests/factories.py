"""Factories for the audits app. Audits made here skip the planning rules (they are built
directly); tests of the rules call the services."""

import datetime
from decimal import Decimal

import factory

from accounts.tests.factories import UserFactory
from audits.models import (
    Audit,
    AuditProgramme,
    AuditStandard,
    AuditStatus,
    AuditType,
    CertificationBody,
    PlanItem,
    Stage1Conclusion,
    Stage1Outcome,
    TeamAssignment,
    TeamRole,
)
from clients.tests.factories import (  # noqa: F401 (re-exported)
    ClauseFactory,
    ClientFactory,
    DepartmentFactory,
    ResponsibilityFactory,
    SiteFactory,
    StandardFactory,
    technical_area,
)
from core.access import Role
from people.tests.factories import (  # noqa: F401 (re-exported)
    AuditorProfileFactory,
    ConflictOfInterestFactory,
    QualificationFactory,
)


def iso9001():
    return StandardFactory()


def iso14001():
    return StandardFactory(
        code="ISO 14001",
        edition="2015",
        national_equivalent="GB/T 24001-2016",
        title_zh="环境管理体系 要求及使用指南",
        title_en="Environmental management systems — Requirements with guidance for use",
        family="EMS",
    )


def iso45001():
    return StandardFactory(
        code="ISO 45001",
        edition="2018",
        national_equivalent="GB/T 45001-2020",
        title_zh="职业健康安全管理体系 要求及使用指南",
        title_en="Occupational health and safety management systems — Requirements with guidance for use",
        family="OHSMS",
    )


class CertificationBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CertificationBody
        django_get_or_create = ("key",)

    key = 1
    name_zh = "测试认证有限公司"
    name_en = "Test Certification Co., Ltd."


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditProgramme
        skip_postgeneration_save = True

    client = factory.SubFactory(ClientFactory, headcount=15)

    @factory.post_generation
    def standards(self, create, extracted, **kwargs):
        self.standards.set(extracted if extracted is not None else [iso9001()])


class AuditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audit
        skip_postgeneration_save = True

    client = factory.SubFactory(ClientFactory, headcount=15)
    programme = factory.LazyAttribute(lambda o: ProgrammeFactory(client=o.client))
    audit_type = AuditType.STAGE_2
    purpose = "stage2"
    start_date = datetime.date(2030, 3, 4)
    end_date = datetime.date(2030, 3, 5)
    on_site_days = Decimal(2)
    effective_personnel = 15
    planned_man_days = Decimal(2)
    status = AuditStatus.PLANNED

    @factory.post_generation
    def standards(self, create, extracted, **kwargs):
        for standard in extracted if extracted is not None else [iso9001()]:
            AuditStandard.objects.create(audit=self, standard=standard)


def qualified_profile(
    *, families=("QMS",), level="lead_auditor", codes=("33.02.01",), role=Role.TEAM_LEADER, user=None, **kwargs
):
    """An auditor profile with a qualification per family at ``level`` and competence codes."""
    profile = AuditorProfileFactory(user=user or UserFactory(role=role), **kwargs)
    for family in families:
        QualificationFactory(profile=profile, family=family, level=level)
    for code in codes:
        profile.technical_areas.add(technical_area(code))
    return profile


class TeamAssignmentFactory(factory.django.DjangoModelFactory):
    """A team member without the service's checks (snapshots filled from the profile)."""

    class Meta:
        model = TeamAssignment

    audit = factory.SubFactory(AuditFactory)
    profile = factory.LazyFunction(qualified_profile)
    role = TeamRole.LEADER
    name = factory.LazyAttribute(lambda o: o.profile.user.get_full_name())
    registration_number = factory.LazyAttribute(lambda o: o.profile.registration_number)
    gender = factory.LazyAttribute(lambda o: o.profile.gender)


class PlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanItem

    audit = factory.SubFactory(AuditFactory)
    day = factory.LazyAttribute(lambda o: o.audit.start_date)
    process = "首次会议"


def audit_for(user, **kwargs):
    """An audit the given user is entitled to see: on its team (auditors, leaders: as leader
    when TEAM_LEADER), of its organisation (client users); any audit for others."""
    if user is not None and user.role == Role.CLIENT:
        kwargs.setdefault("client", user.client)
    audit = AuditFactory(**kwargs)
    if user is not None and user.role in (Role.AUDITOR, Role.TEAM_LEADER):
        profile = getattr(user, "auditor_profile", None) or qualified_profile(user=user)
        role = TeamRole.LEADER if user.role == Role.TEAM_LEADER else TeamRole.AUDITOR
        TeamAssignmentFactory(audit=audit, profile=profile, role=role)
    return audit


def concluded_stage_1(
    programme,
    *,
    outcome=Stage1Outcome.READY,
    end_date=datetime.date(2030, 2, 1),
    status=AuditStatus.APPROVED,
    remark="",
    **kwargs,
):
    """A stage 1 audit of ``programme`` whose report is approved (``status``) with ``outcome``
    (None: no conclusion), built directly: what a stage 2 of the programme follows."""
    stage_1 = AuditFactory(
        programme=programme,
        client=programme.client,
        audit_type=AuditType.STAGE_1,
        purpose="stage1",
        start_date=end_date,
        end_date=end_date,
        on_site_days=Decimal("0.5"),
        planned_man_days=Decimal("0.5"),
        status=status,
        standards=list(programme.standards.all()),
        **kwargs,
    )
    if outcome is not None:
        Stage1Conclusion.objects.create(
            audit=stage_1,
            outcome=outcome,
            remark=remark,
            concluded_on=end_date,
            concluded_by=UserFactory(role=Role.TEAM_LEADER),
        )
    return stage_1


def ready_stage_2(**kwargs):
    """A stage 2 audit (AuditFactory) whose programme has a stage 1 concluded ready."""
    audit = AuditFactory(**kwargs)
    concluded_stage_1(audit.programme)
    return audit
