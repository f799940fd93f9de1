"""A ready-to-review audit with the people the committee pages need (tests of the views)."""

import datetime

from django.utils import timezone

from audits.models import AuditStatus, TeamRole
from clients.models import SiteKind
from clients.tests.factories import ClientScopeFactory
from core.access import Role

from .factories import (
    AuditFactory,
    CommitteeProfileFactory,
    SiteFactory,
    TeamAssignmentFactory,
    UserFactory,
    approver_user,
    committee_user,
    concluded_stage_1,
    iso9001,
    qualified_profile,
    technical_area,
)


class ReviewSetup:
    """An audit whose report is approved (status APPROVED), of a client with the code 33.02.01,
    a registered address and a requested scope; its team leader; a CB administrator; a
    competent reviewer (committee, 33.02); another committee member (the evaluator); an approver
    (committee + certification.approve_decision); and a committee member who was on the team as
    technical expert (competent, but never offered)."""

    def __init__(self, *, status=AuditStatus.APPROVED, audit_type="stage_2"):
        self.standard = iso9001()
        self.audit = AuditFactory(status=status, audit_type=audit_type, standards=[self.standard])
        if audit_type == "stage_2":  # ISO/IEC 17021-1 9.3.1: it follows a stage 1 concluded ready
            concluded_stage_1(self.audit.programme)
        self.client = self.audit.client
        self.client.technical_areas.add(technical_area("33.02.01"))
        SiteFactory(client=self.client, kind=SiteKind.REGISTERED, address_zh="北京市房山区良乡凯旋大街建设路18号")
        ClientScopeFactory(
            client=self.client, standard=self.standard, scope_zh="基础软件服务", scope_en="Basic software services"
        )
        self.admin = UserFactory(role=Role.CB_ADMIN, full_name="管理员甲")
        self.leader = UserFactory(role=Role.TEAM_LEADER, full_name="朱晓丽")
        TeamAssignmentFactory(audit=self.audit, profile=qualified_profile(user=self.leader), role=TeamRole.LEADER)
        self.reviewer = CommitteeProfileFactory(user=committee_user(full_name="王评定"), codes=["33.02"]).user
        self.evaluator = committee_user(full_name="李委员")
        self.approver = approver_user(full_name="王建国")
        # A committee member who was on this audit's team (technical expert): competent, not independent.
        self.insider = committee_user(full_name="张专家")
        CommitteeProfileFactory(user=self.insider, codes=["33.02"])
        TeamAssignmentFactory(
            audit=self.audit, profile=qualified_profile(user=self.insider), role=TeamRole.TECHNICAL_EXPERT
        )


def today():
    return timezone.localdate()


def yesterday():
    return today() - datetime.timedelta(days=1)
