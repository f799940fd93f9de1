"""The audit machine (audits/lifecycle.py), moved through the public action function
``audits.services.audit_move``: every action from every status, by every kind of actor.

* every allowed move succeeds and writes its event row (action, from, to, by);
* an actor the move does not allow is refused with PermissionDenied, whatever the status;
* every other (status, action) is refused with ValidationError code ``wrong_status``;
* a version the actor saw before someone else's change is refused with code ``stale``.

The expected table is written out here, not read from the machine, and checked against it: a
move added to or changed in the machine fails this test until the table says who may take it.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from audits import services
from audits.lifecycle import AUDIT_MACHINE
from audits.models import AuditStatus, AuditTransition, TeamRole
from core.access import Role

from .factories import (
    AuditFactory,
    AuditorProfileFactory,
    ClientFactory,
    TeamAssignmentFactory,
    UserFactory,
    concluded_stage_1,
)

pytestmark = pytest.mark.django_db

S = AuditStatus
ACTORS = ["cb_admin", "leader", "member", "other_auditor", "committee", "client_user", "anonymous", "system"]
# Moves that follow another record's move, whose machine checked the actor: any signed-in user, or
# the system; never an anonymous user, who can have moved no record.
FOLLOWERS = frozenset(ACTORS) - {"anonymous"}

# action, status it starts from, status it leads to, the actors allowed
TRANSITIONS = [
    ("start", S.PLANNED, S.IN_PROGRESS, {"cb_admin", "leader"}),
    ("cancel", S.PLANNED, S.CANCELLED, {"cb_admin"}),
    ("report_started", S.IN_PROGRESS, S.REPORT_DRAFTED, FOLLOWERS),
    ("report_submitted", S.IN_PROGRESS, S.SUBMITTED, FOLLOWERS),
    ("report_submitted", S.REPORT_DRAFTED, S.SUBMITTED, FOLLOWERS),
    ("report_returned", S.SUBMITTED, S.REPORT_DRAFTED, FOLLOWERS),
    ("report_approved", S.SUBMITTED, S.APPROVED, FOLLOWERS),
    ("report_reopened", S.APPROVED, S.REPORT_DRAFTED, FOLLOWERS),
    ("ncs_closed", S.APPROVED, S.NCS_CLOSED, FOLLOWERS),
    ("review_opened", S.APPROVED, S.TECHNICAL_REVIEW, FOLLOWERS),
    ("review_opened", S.NCS_CLOSED, S.TECHNICAL_REVIEW, FOLLOWERS),
    ("decided", S.TECHNICAL_REVIEW, S.DECIDED, FOLLOWERS),
    ("closed", S.DECIDED, S.CLOSED, FOLLOWERS),
    ("reopened_on_appeal", S.DECIDED, S.TECHNICAL_REVIEW, FOLLOWERS),
]
ACTIONS = sorted({action for action, *_ in TRANSITIONS})
# One actor each action allows: the refusals by status are not refusals by actor.
ALLOWED_ACTOR = {"start": "leader", "cancel": "cb_admin"}


class Cast:
    """An audit and one person of each kind, relative to it."""

    def __init__(self):
        self.audit = AuditFactory(client=ClientFactory())
        concluded_stage_1(self.audit.programme)  # the stage 2 may start (tested in test_stage1_gating)
        leader = UserFactory(role=Role.TEAM_LEADER)
        member = UserFactory(role=Role.AUDITOR)
        TeamAssignmentFactory(audit=self.audit, profile=AuditorProfileFactory(user=leader), role=TeamRole.LEADER)
        TeamAssignmentFactory(audit=self.audit, profile=AuditorProfileFactory(user=member), role=TeamRole.AUDITOR)
        other_auditor = UserFactory(role=Role.TEAM_LEADER)  # leads another audit of the same client
        TeamAssignmentFactory(
            audit=AuditFactory(client=self.audit.client),
            profile=AuditorProfileFactory(user=other_auditor),
            role=TeamRole.LEADER,
        )
        self.people = {
            "cb_admin": UserFactory(role=Role.CB_ADMIN),
            "leader": leader,
            "member": member,
            "other_auditor": other_auditor,
            "committee": UserFactory(role=Role.COMMITTEE),
            "client_user": UserFactory(role=Role.CLIENT, client=self.audit.client),
            "anonymous": AnonymousUser(),
            "system": None,
        }

    def audit_in(self, status):
        """The audit, put in ``status`` directly (the moves that lead there are tested here)."""
        self.audit.status = status
        self.audit.save()
        return self.audit

    def by(self, actor):
        return self.people[actor]


@pytest.fixture
def cast():
    return Cast()


def test_the_table_here_is_the_machines_table():
    declared = {(action, str(start), str(end)) for action, start, end, _who in TRANSITIONS}
    assert declared == {(action, start, end) for action, start, end, _who in AUDIT_MACHINE.table()}
    assert set(AUDIT_MACHINE.statuses()) == set(S.values)


CASES = [
    (action, start, end, actor, actor in allowed) for action, start, end, allowed in TRANSITIONS for actor in ACTORS
]


@pytest.mark.parametrize(
    "action,start,end,actor,allowed",
    CASES,
    ids=[f"{a}-from-{s}-by-{actor}-{'allowed' if ok else 'refused'}" for a, s, _e, actor, ok in CASES],
)
def test_move_per_actor(cast, action, start, end, actor, allowed):
    audit = cast.audit_in(start)
    version = audit.version
    before = AuditTransition.objects.filter(audit=audit).count()
    if allowed:
        services.audit_move(audit=audit, action=action, by=cast.by(actor), note="matrix", version=version)
        audit.refresh_from_db()
        assert (audit.status, audit.version) == (end, version + 1)
        last = AuditTransition.objects.filter(audit=audit).order_by("-pk").first()
        assert (last.action, last.from_status, last.to_status, last.by, last.note) == (
            action,
            start,
            end,
            cast.by(actor),
            "matrix",
        )
        assert AuditTransition.objects.filter(audit=audit).count() == before + 1
    else:
        with pytest.raises(PermissionDenied):
            services.audit_move(audit=audit, action=action, by=cast.by(actor), version=version)
        audit.refresh_from_db()
        assert (audit.status, audit.version) == (start, version)
        assert AuditTransition.objects.filter(audit=audit).count() == before


WRONG_STATUS = [
    (action, status)
    for action in ACTIONS
    for status in S.values
    if status not in {start for a, start, _end, _who in TRANSITIONS if a == action}
]


@pytest.mark.parametrize("action,status", WRONG_STATUS, ids=[f"{a}-from-{s}" for a, s in WRONG_STATUS])
def test_move_from_a_status_without_that_action_is_refused(cast, action, status):
    audit = cast.audit_in(status)
    before = AuditTransition.objects.filter(audit=audit).count()
    with pytest.raises(ValidationError) as refused:
        services.audit_move(audit=audit, action=action, by=cast.by(ALLOWED_ACTOR.get(action, "leader")))
    assert refused.value.code == "wrong_status"
    audit.refresh_from_db()
    assert audit.status == status
    assert AuditTransition.objects.filter(audit=audit).count() == before


FIRST_SOURCE = {action: start for action, start, _end, _who in reversed(TRANSITIONS)}


@pytest.mark.parametrize("action", ACTIONS)
def test_a_stale_version_is_refused_not_overwritten(cast, action):
    start = FIRST_SOURCE[action]
    audit = cast.audit_in(start)
    seen = audit.version
    audit.version += 1  # someone else saved the audit after the actor loaded it
    audit.save()
    with pytest.raises(ValidationError) as refused:
        services.audit_move(audit=audit, action=action, by=cast.by(ALLOWED_ACTOR.get(action, "leader")), version=seen)
    assert refused.value.code == "stale"
    audit.refresh_from_db()
    assert (audit.status, audit.version) == (start, seen + 1)
    assert not AuditTransition.objects.filter(audit=audit).exists()
