"""Factories for the certification app (other apps' and helpers' tests import them).

Rows are built directly, without the services' checks (tests of the rules call the services),
but consistent with what the services make: a certificate has a number from the default
pattern and a serial from the CertificateSerial counter, an initial status-change row, and its
programme carries the certificate's anchors.

``certified_client()`` builds the whole path at once: a client with a programme, its stage-2
audit (decided, with a team leader), the approved grant decision and the valid certificate.
"""

import datetime
from typing import NamedTuple

import factory
from django.db.models import F
from django.utils import timezone

from audits.models import AuditStatus, AuditType, CertificationBody, TeamRole
from audits.tests.factories import (  # noqa: F401 (re-exported)
    AuditFactory,
    ClientFactory,
    ProgrammeFactory,
    SiteFactory,
    StandardFactory,
    TeamAssignmentFactory,
    UserFactory,
    concluded_stage_1,
    iso9001,
    iso14001,
    iso45001,
    qualified_profile,
    technical_area,
)
from certification import rules
from certification.models import (
    ApprovalConclusion,
    Certificate,
    CertificateAction,
    CertificateSerial,
    CertificateStatus,
    CertificateStatusChange,
    CertificationPolicy,
    CommitteeFlag,
    CommitteeProfile,
    Decision,
    DecisionScope,
    DecisionStatus,
    DecisionType,
    EvaluationConclusion,
    FlagKind,
    ReasonKind,
    ReviewStatus,
    StatusReason,
    TechnicalReview,
)
from certification.models.reference import DEFAULT_STANDARD_CODES
from core.access import Role


def today():
    return timezone.localdate()


def committee_user(**kwargs):
    """An active committee member (role COMMITTEE)."""
    return UserFactory(role=Role.COMMITTEE, **kwargs)


def approver_user(**kwargs):
    """A committee member holding the permission certification.approve_decision."""
    from django.contrib.auth.models import Permission

    user = UserFactory(role=kwargs.pop("role", Role.COMMITTEE), **kwargs)
    user.user_permissions.add(
        Permission.objects.get(codename="approve_decision", content_type__app_label="certification")
    )
    return type(user).objects.get(pk=user.pk)  # fresh: no stale permission cache


def reason(kind, code):
    """The StatusReason row of the data migration (created when a test database lacks it)."""
    row, _created = StatusReason.objects.get_or_create(
        kind=kind, code=code, defaults={"title_zh": f"原因{code}", "title_en": f"Reason {code}"}
    )
    return row


def suspension_reason(code="0111"):
    return reason(ReasonKind.SUSPENSION, code)


def withdrawal_reason(code="0199"):
    return reason(ReasonKind.WITHDRAWAL, code)


class CommitteeProfileFactory(factory.django.DjangoModelFactory):
    """A committee member's competence; ``codes`` (default 33.02.01, with its parents created)."""

    class Meta:
        model = CommitteeProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role=Role.COMMITTEE)
    active = True

    @factory.post_generation
    def codes(self, create, extracted, **kwargs):
        for code in extracted if extracted is not None else ("33.02.01",):
            self.technical_areas.add(technical_area(code))


class TechnicalReviewFactory(factory.django.DjangoModelFactory):
    """A review (open by default) of an audit whose NCs are closed. ``reviewers=[user, …]``
    assigns reviewers."""

    class Meta:
        model = TechnicalReview
        skip_postgeneration_save = True

    audit = factory.SubFactory(AuditFactory, status=AuditStatus.TECHNICAL_REVIEW)
    status = ReviewStatus.OPEN

    @factory.post_generation
    def reviewers(self, create, extracted, **kwargs):
        from certification.models import ReviewerAssignment

        for user in extracted or ():
            ReviewerAssignment.objects.create(review=self, reviewer=user)


class DecisionFactory(factory.django.DjangoModelFactory):
    """A decision awaiting evaluation (by default a grant on a new audit in technical review).
    ``approved=True`` makes it evaluated (agree) and approved, by fresh committee users, on
    ``approved_on`` (default today). ``standards`` default to the audit's."""

    class Meta:
        model = Decision
        skip_postgeneration_save = True

    class Params:
        approved = factory.Trait(
            status=DecisionStatus.APPROVED,
            evaluation_conclusion=EvaluationConclusion.AGREE,
            evaluated_by=factory.LazyFunction(committee_user),
            evaluated_on=factory.LazyAttribute(lambda o: o.approved_on),
            approval_conclusion=ApprovalConclusion.APPROVE,
            approved_by=factory.LazyFunction(approver_user),
            approved_on=factory.LazyFunction(today),
        )

    decision_type = DecisionType.GRANT
    audit = factory.SubFactory(AuditFactory, status=AuditStatus.TECHNICAL_REVIEW)
    client = factory.LazyAttribute(lambda o: o.audit.client if o.audit else ClientFactory(headcount=15))
    programme = factory.LazyAttribute(lambda o: o.audit.programme if o.audit else None)
    status = DecisionStatus.AWAITING_EVALUATION

    @classmethod
    def create(cls, **kwargs):
        # A decision for a given client is about an audit of that client.
        if "client" in kwargs and "audit" not in kwargs:
            kwargs["audit"] = AuditFactory(client=kwargs["client"], status=AuditStatus.TECHNICAL_REVIEW)
        return super().create(**kwargs)

    @factory.post_generation
    def standards(self, create, extracted, **kwargs):
        if extracted is not None:
            self.standards.set(extracted)
        elif self.audit_id:
            self.standards.set(self.audit.standards.all())

    @factory.post_generation
    def scopes(self, create, extracted, **kwargs):
        """{standard: (zh, en)}; default: the seed's scope for each standard of a grant."""
        if extracted is None:
            if self.decision_type != DecisionType.GRANT:
                return
            extracted = dict.fromkeys(self.standards.all(), ("基础软件服务", "Basic software services"))
        for standard, (zh, en) in extracted.items():
            DecisionScope.objects.create(decision=self, standard=standard, scope_zh=zh, scope_en=en)

    @factory.post_generation
    def certificates(self, create, extracted, **kwargs):
        if extracted:
            self.certificates.set(extracted)


def next_serial(*, year, standard_code):
    """The next serial of the counter the services use (so factory certificates and issued ones
    never share a number)."""
    CertificateSerial.objects.get_or_create(year=year, standard_code=standard_code)
    CertificateSerial.objects.filter(year=year, standard_code=standard_code).update(last=F("last") + 1)
    return CertificateSerial.objects.get(year=year, standard_code=standard_code).last


def _cb_code():
    cb = CertificationBody.objects.current()
    return rules.cb_code(cb.cb_code if cb else "")


def _programme_for(o):
    return ProgrammeFactory(
        client=o.client,
        standards=[o.standard],
        decision_on=o.issued_on,
        certificate_issued_on=o.issued_on,
        expires_on=o.expires_on,
    )


def _decision_for(o):
    return DecisionFactory(
        audit=None,
        client=o.client,
        programme=o.programme,
        approved=True,
        approved_on=o.issued_on,
        standards=[o.standard],
    )


class CertificateFactory(factory.django.DjangoModelFactory):
    """A valid, saved certificate (QMS by default) for a client with an audit programme: number
    from the policy's pattern, serial from the counter, issued ``issued_on`` (default 30 days
    ago), expiring per the policy, with its grant decision and the initial status-change row."""

    class Meta:
        model = Certificate
        skip_postgeneration_save = True

    client = factory.SubFactory(ClientFactory, headcount=15)
    standard = factory.LazyFunction(iso9001)
    issued_on = factory.LazyFunction(lambda: today() - datetime.timedelta(days=30))
    expires_on = factory.LazyAttribute(lambda o: rules.expiry(o.issued_on, CertificationPolicy.objects.current()))
    first_issued_on = factory.LazyAttribute(lambda o: o.issued_on)
    programme = factory.LazyAttribute(_programme_for)
    decision = factory.LazyAttribute(_decision_for)
    holder_name_zh = factory.LazyAttribute(lambda o: o.client.name_zh)
    holder_name_en = factory.LazyAttribute(lambda o: o.client.name_en)
    address_zh = "北京市海淀区测试路1号"
    address_en = "No. 1 Test Road, Haidian District, Beijing"
    standard_label = factory.LazyAttribute(
        lambda o: (
            f"{o.standard.national_equivalent}/{o.standard}" if o.standard.national_equivalent else str(o.standard)
        )
    )
    scope_zh = "基础软件服务"
    scope_en = "Basic software services"
    technical_codes = "33.02.01"
    year = factory.LazyAttribute(lambda o: o.issued_on.year)
    standard_code = factory.LazyAttribute(
        lambda o: (CertificationPolicy.objects.current().standard_codes or DEFAULT_STANDARD_CODES).get(
            o.standard.family, "X1"
        )
    )
    serial = factory.LazyAttribute(lambda o: next_serial(year=o.year, standard_code=o.standard_code))
    recertification_count = 0
    size_band = factory.LazyAttribute(
        lambda o: rules.size_band(o.client.headcount or 15, CertificationPolicy.objects.current())
    )
    number = factory.LazyAttribute(
        lambda o: rules.format_number(
            pattern=CertificationPolicy.objects.current().number_pattern,
            cb=_cb_code(),
            year=o.year,
            std=o.standard_code,
            serial=o.serial,
            recert=o.recertification_count,
            size=o.size_band,
        )
    )
    status = CertificateStatus.VALID
    status_since = factory.LazyAttribute(lambda o: o.issued_on)

    @factory.post_generation
    def initial_status_change(self, create, extracted, **kwargs):
        if create:
            CertificateStatusChange.objects.create(
                certificate=self,
                action=CertificateAction.ISSUE,
                from_status="",
                to_status=CertificateStatus.VALID,
                effective_on=self.issued_on,
                decision=self.decision,
                by=self.decision.approved_by,
            )


class CommitteeFlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeFlag

    kind = FlagKind.PROPOSED_SUSPENSION
    key = factory.Sequence(lambda n: f"test:{n}")
    certificate = factory.SubFactory(CertificateFactory)
    programme = factory.LazyAttribute(lambda o: o.certificate.programme if o.certificate else None)
    basis_date = factory.LazyFunction(lambda: today() - datetime.timedelta(days=1))
    message = "监督审核逾期"
    raised_on = factory.LazyFunction(today)


class Certified(NamedTuple):
    client: object
    programme: object
    audit: object
    decision: object
    certificate: object


def certified_client(*, issued_on=None, standards=None, headcount=15, client=None, leader=None, **certificate_kwargs):
    """A certified client: (client, programme, audit, decision, certificate).

    The programme (cycle 1) has the certificate's anchors; the stage-2 audit (status decided,
    with ``leader`` — a new team leader by default — on its team) has a passed technical review;
    the grant decision is evaluated and approved on the issue date; one valid certificate per
    standard (``certificate`` is the first; the others are in ``client.certificates``)."""
    issued_on = issued_on or today() - datetime.timedelta(days=30)
    standards = list(standards) if standards is not None else [iso9001()]
    client = client or ClientFactory(headcount=headcount)
    policy = CertificationPolicy.objects.current()
    expires_on = rules.expiry(issued_on, policy)
    programme = ProgrammeFactory(
        client=client,
        standards=standards,
        decision_on=issued_on,
        certificate_issued_on=issued_on,
        expires_on=expires_on,
    )
    audit = AuditFactory(
        client=client,
        programme=programme,
        audit_type=AuditType.STAGE_2,
        status=AuditStatus.DECIDED,
        start_date=issued_on - datetime.timedelta(days=20),
        end_date=issued_on - datetime.timedelta(days=19),
        standards=standards,
    )
    leader = leader or UserFactory(role=Role.TEAM_LEADER)
    TeamAssignmentFactory(
        audit=audit,
        profile=getattr(leader, "auditor_profile", None) or qualified_profile(user=leader),
        role=TeamRole.LEADER,
    )
    review = TechnicalReviewFactory(audit=audit, status=ReviewStatus.PASSED, conclusion_remark="符合要求")
    decision = DecisionFactory(
        audit=audit,
        client=client,
        programme=programme,
        review=review,
        approved=True,
        approved_on=issued_on,
        standards=standards,
    )
    certificates = [
        CertificateFactory(
            client=client,
            programme=programme,
            decision=decision,
            standard=standard,
            issued_on=issued_on,
            expires_on=expires_on,
            **certificate_kwargs,
        )
        for standard in standards
    ]
    return Certified(client, programme, audit, decision, certificates[0])


class ReviewCast(NamedTuple):
    """An audit ready for its technical review and everyone around it."""

    audit: object
    leader: object  # team leader (role TEAM_LEADER)
    auditor: object  # team member
    expert: object  # technical expert on the team
    admin: object  # CB administrator, not on the team
    reviewer: object  # committee member with a competence profile covering the client's codes
    evaluator: object  # committee member
    approver: object  # committee member holding certification.approve_decision


def review_cast(*, codes=("33.02.01",), headcount=15, status=AuditStatus.APPROVED, with_stage_1=True, **audit_kwargs):
    """An audit (stage 2 by default, report approved) of a client with technical-area codes, a
    registered address and a requested scope per standard (a stage 2 with its programme's stage 1
    concluded ready, unless ``with_stage_1`` is false); its team (leader, auditor,
    technical expert) and independent CB administrator, reviewer, evaluator and approver."""
    from clients.models import SiteKind
    from clients.tests.factories import ClientScopeFactory

    client = audit_kwargs.pop("client", None) or ClientFactory(headcount=headcount)
    for code in codes:
        client.technical_areas.add(technical_area(code))
    if not client.sites.exists():
        SiteFactory(
            client=client,
            kind=SiteKind.REGISTERED,
            address_zh="北京市海淀区测试路1号",
            address_en="No. 1 Test Road, Beijing",
        )
    audit = AuditFactory(client=client, status=status, **audit_kwargs)
    if audit.audit_type == AuditType.STAGE_2 and with_stage_1:
        # ISO/IEC 17021-1 9.3.1: the stage 2 follows a stage 1 concluded ready.
        concluded_stage_1(audit.programme, end_date=audit.start_date - datetime.timedelta(days=30))
    for standard in audit.standards.all():
        if not client.scopes.filter(standard=standard).exists():
            ClientScopeFactory(client=client, standard=standard)
    leader = UserFactory(role=Role.TEAM_LEADER)
    auditor = UserFactory(role=Role.AUDITOR)
    expert = UserFactory(role=Role.AUDITOR)
    TeamAssignmentFactory(audit=audit, profile=qualified_profile(user=leader, codes=codes), role=TeamRole.LEADER)
    TeamAssignmentFactory(
        audit=audit, profile=qualified_profile(user=auditor, level="auditor", codes=codes), role=TeamRole.AUDITOR
    )
    TeamAssignmentFactory(
        audit=audit,
        profile=qualified_profile(user=expert, level="technical_expert", codes=codes),
        role=TeamRole.TECHNICAL_EXPERT,
    )
    reviewer = CommitteeProfileFactory(codes=codes).user
    return ReviewCast(
        audit=audit,
        leader=leader,
        auditor=auditor,
        expert=expert,
        admin=UserFactory(role=Role.CB_ADMIN),
        reviewer=reviewer,
        evaluator=committee_user(),
        approver=approver_user(),
    )


# --- the path through the services (for tests that want the real rules applied) -----------------


def pass_review(cast, *, answer="yes"):
    """Open, staff, answer and pass the technical review of ``cast.audit`` through the services."""
    from certification import services
    from certification.models.review import CHECKLIST_KEYS

    review = services.review_open(audit=cast.audit, by=cast.admin)
    services.reviewer_assign(review=review, reviewer=cast.reviewer, by=cast.admin)
    for key in CHECKLIST_KEYS:
        services.review_answer(review=review, point=key, answer=answer, remark="已核查，符合要求", by=cast.reviewer)
    return services.review_conclude(review=review, passed=True, remark="评定通过", by=cast.reviewer)


def decide(*, decision_type, client, opened_by, evaluator, approver, on=None, issued_on=None, **open_kwargs):
    """Open a decision, evaluate it (agree) and approve it on ``on`` (default today) through the
    services; returns the decision, refreshed."""
    from certification import services

    on = on or services._today()
    decision = services.decision_open(decision_type=decision_type, client=client, by=opened_by, **open_kwargs)
    services.decision_evaluate(decision=decision, conclusion="agree", remarks="同意", evaluated_on=on, by=evaluator)
    services.decision_approve(
        decision=decision, conclusion="approve", remarks="批准", approved_on=on, by=approver, issued_on=issued_on
    )
    decision.refresh_from_db()
    return decision


def grant(cast, *, on=None, issued_on=None, **open_kwargs):
    """Review and grant certification for ``cast.audit`` through the services; returns the decision."""
    review = pass_review(cast)
    return decide(
        decision_type=DecisionType.GRANT,
        client=cast.audit.client,
        opened_by=cast.admin,
        evaluator=cast.evaluator,
        approver=cast.approver,
        on=on,
        issued_on=issued_on,
        audit=cast.audit,
        review=review,
        **open_kwargs,
    )
