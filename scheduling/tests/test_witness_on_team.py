"""The on-site evaluation (17021-1 7.2.10) is set on the audit's team page by a CB administrator
and then counted by competence monitoring."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audits import services as audit_services
from audits.models import AuditStatus, TeamAssignment
from audits.models.team import WitnessRole
from core.access import Role
from scheduling import rules, selectors

from .factories import AuditFactory, D, TeamAssignmentFactory, qualified_profile

pytestmark = pytest.mark.django_db


def test_the_admin_sets_witnessed_on_the_team_page_and_monitoring_counts_it(client, make_user):
    admin = make_user(role=Role.CB_ADMIN)
    profile = qualified_profile()
    audit = AuditFactory(start_date=D(2030, 3, 4), end_date=D(2030, 3, 5), status=AuditStatus.CLOSED)
    assignment = TeamAssignmentFactory(audit=audit, profile=profile)
    [before] = [r for r in selectors.competence_monitoring(today=D(2030, 6, 1)) if r.profile == profile]
    assert before.last_witnessed is None and before.witnessed.state == rules.DueState.MISSING

    client.force_login(admin)
    page = client.get(reverse("audits:team", kwargs={"pk": audit.pk}), HTTP_ACCEPT_LANGUAGE="en")
    assert 'name="set_witness"' in page.content.decode()  # offered after the audit too
    response = client.post(
        reverse("audits:team", kwargs={"pk": audit.pk}),
        {"set_witness": "1", "assignment": assignment.pk, "witness_role": WitnessRole.WITNESSED},
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.witness_role == WitnessRole.WITNESSED
    last = assignment.history.first()
    assert last.history_user == admin and last.witness_role == WitnessRole.WITNESSED

    [row] = [r for r in selectors.competence_monitoring(today=D(2030, 6, 1)) if r.profile == profile]
    assert row.last_witnessed == D(2030, 3, 5) and row.witnessed.state == rules.DueState.OK


def test_a_non_admin_is_refused_and_a_cancelled_audit_keeps_nobody_witnessed(client, make_user):
    audit = AuditFactory(start_date=D(2030, 3, 4), end_date=D(2030, 3, 5), status=AuditStatus.CLOSED)
    assignment = TeamAssignmentFactory(audit=audit, profile=qualified_profile())
    leader = make_user(role=Role.TEAM_LEADER)
    with pytest.raises(PermissionDenied):
        audit_services.team_witness_role_set(assignment=assignment, witness_role=WitnessRole.WITNESSED, by=leader)
    client.force_login(leader)
    response = client.post(
        reverse("audits:team", kwargs={"pk": audit.pk}),
        {"set_witness": "1", "assignment": assignment.pk, "witness_role": WitnessRole.WITNESSED},
    )
    assert response.status_code in (403, 404)
    assert TeamAssignment.objects.get(pk=assignment.pk).witness_role == ""

    admin = make_user(role=Role.CB_ADMIN)
    with pytest.raises(ValidationError):
        audit_services.team_witness_role_set(assignment=assignment, witness_role="boss", by=admin)
    cancelled = AuditFactory(status=AuditStatus.CANCELLED)
    other = TeamAssignmentFactory(audit=cancelled, profile=qualified_profile())
    with pytest.raises(ValidationError):
        audit_services.team_witness_role_set(assignment=other, witness_role=WitnessRole.WITNESSED, by=admin)
    assert TeamAssignment.objects.get(pk=other.pk).witness_role == ""
