"""Rows of an audit are visible exactly when their audit is (``audits.models.scope``); for whoever
sees every audit the query carries no audit filter at all (it only cost a join)."""

import pytest

from accounts.tests.factories import UserFactory
from audits.tests.factories import AuditFactory
from core.access import Role
from findings.models import Nonconformity
from findings.tests.factories import make_nc

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "action", "unfiltered"),
    [
        (Role.CB_ADMIN, "view", True),
        (Role.CB_ADMIN, "change", True),
        (Role.COMMITTEE, "view", True),
        (Role.TEAM_LEADER, "view", False),
        (Role.CLIENT, "view", False),
    ],
)
def test_who_sees_every_audit_gets_no_audit_filter(role, action, unfiltered):
    user = UserFactory(role=role)
    query = Nonconformity.objects.restrict(user, action).query
    assert (not query.where.children) is unfiltered


def test_the_scope_still_keeps_other_rows_out():
    audit = AuditFactory()
    nc = make_nc(audit)
    other = make_nc(AuditFactory())
    client_user = UserFactory(role=Role.CLIENT, client=audit.client)
    assert list(Nonconformity.objects.restrict(client_user, "view")) == [nc]
    assert set(Nonconformity.objects.restrict(UserFactory(role=Role.CB_ADMIN))) == {nc, other}
    assert not Nonconformity.objects.restrict(UserFactory(role=Role.COMMITTEE), "change").exists()
    inactive = UserFactory(role=Role.CB_ADMIN, is_active=False)
    assert not Nonconformity.objects.restrict(inactive).exists()


def test_a_team_members_rows_are_kept_by_his_team_rows_directly():
    """Not through the audit table: nested, PostgreSQL joined every NC of the CB before keeping his."""
    from audits.models import TeamRole
    from audits.tests.factories import TeamAssignmentFactory, qualified_profile

    leader = UserFactory(role=Role.TEAM_LEADER)
    audit = AuditFactory()
    TeamAssignmentFactory(audit=audit, profile=qualified_profile(user=leader), role=TeamRole.LEADER)
    mine = make_nc(audit)
    make_nc(AuditFactory())
    visible = Nonconformity.objects.restrict(leader, "view")
    assert list(visible) == [mine]
    sql = str(visible.order_by().query)
    assert '"audits_teamassignment"' in sql and '"audits_audit"' not in sql
