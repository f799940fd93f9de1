"""Object-level access: who sees which audit, plan and programme (restrict())."""

import pytest
from django.urls import reverse

from audits.models import AccompanyingPerson, Audit, AuditProgramme, PlanItem, TeamAssignment, TeamRole
from core.access import Role

from .factories import (
    AuditFactory,
    ClientFactory,
    PlanItemFactory,
    TeamAssignmentFactory,
    UserFactory,
    qualified_profile,
)

pytestmark = pytest.mark.django_db

PLANNING_PAGES = ["audits:edit", "audits:team", "audits:itinerary"]


@pytest.fixture
def audit():
    return AuditFactory()


def test_auditor_not_on_the_team_gets_404(client, make_user, audit):
    client.force_login(make_user(role=Role.AUDITOR))
    assert client.get(reverse("audits:detail", args=[audit.pk])).status_code == 404
    assert client.get(reverse("audits:plan_print", args=[audit.pk])).status_code == 404


def test_auditor_on_the_team_sees_the_audit(client, make_user, audit):
    user = make_user(role=Role.AUDITOR)
    TeamAssignmentFactory(audit=audit, profile=qualified_profile(user=user, level="auditor"), role=TeamRole.AUDITOR)
    client.force_login(user)
    response = client.get(reverse("audits:detail", args=[audit.pk]))
    assert response.status_code == 200
    assert reverse("audits:edit", args=[audit.pk]) not in response.content.decode()


def test_client_user_of_another_organisation_gets_404(client, make_user, audit):
    client.force_login(make_user(role=Role.CLIENT))
    for name in ("audits:detail", "audits:plan_print"):
        assert client.get(reverse(name, args=[audit.pk])).status_code == 404


def test_client_user_reads_its_own_audit_and_plan_read_only(client, audit):
    user = UserFactory(role=Role.CLIENT, client=audit.client)
    PlanItemFactory(audit=audit, process="首次会议")
    client.force_login(user)
    response = client.get(reverse("audits:detail", args=[audit.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for name in PLANNING_PAGES + ["audits:cancel", "audits:start"]:
        assert reverse(name, args=[audit.pk]) not in html
    printed = client.get(reverse("audits:plan_print", args=[audit.pk]))
    assert printed.status_code == 200 and "首次会议" in printed.content.decode()


def test_no_client_user_reaches_the_planning_pages(client, audit):
    client.force_login(UserFactory(role=Role.CLIENT, client=audit.client))
    for name in PLANNING_PAGES:
        assert client.get(reverse(name, args=[audit.pk])).status_code == 403
    assert client.get(reverse("audits:create")).status_code == 403
    assert client.get(reverse("audits:programme", args=[audit.client_id])).status_code == 403
    assert client.post(reverse("audits:itinerary_prefill", args=[audit.pk])).status_code == 403


def test_client_user_list_shows_only_its_organisation(client, audit):
    other = AuditFactory()
    client.force_login(UserFactory(role=Role.CLIENT, client=audit.client))
    html = client.get(reverse("audits:list")).content.decode()
    assert reverse("audits:detail", args=[audit.pk]) in html
    assert reverse("audits:detail", args=[other.pk]) not in html


def test_committee_reads_every_audit_but_changes_none(make_user, audit):
    user = make_user(role=Role.COMMITTEE)
    assert Audit.objects.restrict(user, "view").filter(pk=audit.pk).exists()
    for action in ("change", "lead", "plan"):
        assert not Audit.objects.restrict(user, action).exists()


def test_lead_action_only_for_the_leader(make_user, audit):
    leader, member = make_user(role=Role.TEAM_LEADER), make_user(role=Role.TEAM_LEADER)
    TeamAssignmentFactory(audit=audit, profile=qualified_profile(user=leader), role=TeamRole.LEADER)
    TeamAssignmentFactory(audit=audit, profile=qualified_profile(user=member), role=TeamRole.AUDITOR)
    assert Audit.objects.restrict(leader, "lead").filter(pk=audit.pk).exists()
    assert not Audit.objects.restrict(member, "lead").exists()
    assert Audit.objects.restrict(member, "change").filter(pk=audit.pk).exists()
    assert not Audit.objects.restrict(member, "plan").exists()


def test_rows_of_an_audit_follow_the_audit(make_user, audit):
    other_client_user = make_user(role=Role.CLIENT)
    own_user = UserFactory(role=Role.CLIENT, client=audit.client)
    TeamAssignmentFactory(audit=audit)
    PlanItemFactory(audit=audit)
    for model in (TeamAssignment, PlanItem):
        assert model.objects.restrict(own_user, "view").count() == 1
        assert model.objects.restrict(other_client_user, "view").count() == 0
        assert model.objects.restrict(own_user, "plan").count() == 0


def test_programmes_client_own_auditor_for_clients_they_audit(make_user, audit):
    auditor = make_user(role=Role.AUDITOR)
    assert not AuditProgramme.objects.restrict(auditor, "view").exists()
    TeamAssignmentFactory(audit=audit, profile=qualified_profile(user=auditor), role=TeamRole.AUDITOR)
    assert list(AuditProgramme.objects.restrict(auditor, "view")) == [audit.programme]
    own = UserFactory(role=Role.CLIENT, client=audit.client)
    assert list(AuditProgramme.objects.restrict(own, "view")) == [audit.programme]
    assert not AuditProgramme.objects.restrict(own, "change").exists()


def test_auditor_gets_404_for_programme_of_a_client_they_do_not_audit(client, make_user):
    client.force_login(make_user(role=Role.AUDITOR))
    assert client.get(reverse("audits:programme", args=[ClientFactory().pk])).status_code == 404


def test_team_member_who_does_not_lead_cannot_start_by_url(client, make_user, audit):
    member = make_user(role=Role.AUDITOR)
    TeamAssignmentFactory(audit=audit, profile=qualified_profile(user=member), role=TeamRole.AUDITOR)
    client.force_login(member)
    assert client.post(reverse("audits:start", args=[audit.pk])).status_code == 404
    audit.refresh_from_db()
    assert audit.status == "planned"


def test_removing_an_assignment_of_another_audit_is_404(client, make_user, audit):
    other = TeamAssignmentFactory()
    client.force_login(make_user(role=Role.CB_ADMIN))
    response = client.post(reverse("audits:team_remove", args=[audit.pk, other.pk]))
    assert response.status_code == 404
    assert TeamAssignment.objects.filter(pk=other.pk).exists()


def test_auditor_not_on_the_team_cannot_start_by_url(client, make_user, audit):
    client.force_login(make_user(role=Role.TEAM_LEADER))
    assert client.post(reverse("audits:start", args=[audit.pk])).status_code == 404
    audit.refresh_from_db()
    assert audit.status == "planned"


def test_removing_an_accompanying_person_of_another_audit_is_404(client, make_user, audit):
    other = AccompanyingPerson.objects.create(audit=AuditFactory(), name="王观察", role="观察员")
    client.force_login(make_user(role=Role.CB_ADMIN))
    assert client.post(reverse("audits:person_remove", args=[audit.pk, other.pk])).status_code == 404
    assert AccompanyingPerson.objects.filter(pk=other.pk).exists()
