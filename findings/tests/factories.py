"""Test data for the NC lifecycle: an audit with its cast (leader, member, technical expert,
client user, and strangers) and nonconformities in any status, built without the services
(tests of the rules call the services)."""

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from audits.models import TeamRole
from audits.tests.factories import AuditFactory, ClientFactory, TeamAssignmentFactory, UserFactory, qualified_profile
from clients.tests.factories import PDF_BYTES, PNG_BYTES  # real files: uploads are parsed
from core.access import Role
from findings import services
from findings.models import Nonconformity


def pdf_file(name="evidence.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def exe_file(name="evidence.pdf"):
    return SimpleUploadedFile(name, b"MZ\x90\x00" + b"\x00" * 60, content_type="application/pdf")


def png_file(name="photo.png"):
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


@dataclass
class Cast:
    audit: object
    leader: object
    member: object
    expert: object
    client_user: object
    other_client_user: object
    outsider: object  # an auditor not on this audit
    admin: object
    committee: object

    def __getitem__(self, name):
        return getattr(self, name)


def cast(**audit_kwargs):
    """An audit and everyone who may or may not act on its NCs."""
    audit_kwargs.setdefault("client", ClientFactory(contact_email="contact@client.example", contact_name="付微"))
    audit = AuditFactory(**audit_kwargs)
    leader = UserFactory(role=Role.TEAM_LEADER, email="leader@cb.example")
    member = UserFactory(role=Role.AUDITOR, email="member@cb.example")
    expert = UserFactory(role=Role.AUDITOR, email="expert@cb.example")
    TeamAssignmentFactory(audit=audit, profile=qualified_profile(user=leader), role=TeamRole.LEADER)
    TeamAssignmentFactory(audit=audit, profile=qualified_profile(user=member, level="auditor"), role=TeamRole.AUDITOR)
    TeamAssignmentFactory(
        audit=audit, profile=qualified_profile(user=expert, level="auditor"), role=TeamRole.TECHNICAL_EXPERT
    )
    outsider = UserFactory(role=Role.TEAM_LEADER)
    TeamAssignmentFactory(
        audit=AuditFactory(client=audit.client), profile=qualified_profile(user=outsider), role=TeamRole.LEADER
    )
    return Cast(
        audit=audit,
        leader=leader,
        member=member,
        expert=expert,
        client_user=UserFactory(role=Role.CLIENT, client=audit.client),
        other_client_user=UserFactory(role=Role.CLIENT),
        outsider=outsider,
        admin=UserFactory(role=Role.CB_ADMIN),
        committee=UserFactory(role=Role.COMMITTEE),
    )


def make_nc(audit, *, grade="minor", status="open", number=None, raised_by=None, **kwargs):
    """An NC as raised by the report (no finding needed), its status set directly."""
    number = number or (Nonconformity.objects.filter(audit=audit).count() + 1)
    nc = Nonconformity.objects.create(
        audit=audit,
        number=number,
        grade=grade,
        family=kwargs.pop("family", "QMS"),
        raised_by=raised_by,
        requirement=kwargs.pop("requirement", "文件应受控"),
        statement=kwargs.pop("statement", "手册版本不一致"),
        evidence=kwargs.pop("evidence", "A/0 与 A/1 并存"),
        **kwargs,
    )
    if status != "open":
        nc.status = status
        nc.save()
    return nc


def answer(nc, user, **kwargs):
    return services.nonconformity_respond(
        nc=nc,
        by=user,
        correction=kwargs.get("correction", "已收回旧版手册"),
        root_cause=kwargs.get("root_cause", "发放记录未更新"),
        corrective_action=kwargs.get("corrective_action", "修订文件控制程序，月度核查"),
        files=kwargs.get("files", ()),
    )
