"""Impartiality (17021-1 5.2): the risk register fed by declared conflicts of interest, the
committee's meetings with checked minutes and tracked actions, yearly declarations and their due list."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.tests.factories import UserFactory
from certification.tests.factories import today
from complaints import services
from complaints.models import ImpartialityRisk, Threat
from core.access import Role
from findings.rules import add_months
from findings.tests.factories import exe_file, pdf_file
from people.tests.factories import ConflictOfInterestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return UserFactory(role=Role.CB_ADMIN)


def test_declared_conflicts_feed_the_register_once(admin):
    consultancy = ConflictOfInterestFactory(
        description="2024年为该公司提供体系咨询",
        consulting_ended_on=today() - datetime.timedelta(days=100),
        until=today() + datetime.timedelta(days=600),
    )
    other = ConflictOfInterestFactory(description="配偶在该公司任职", until=None)
    ConflictOfInterestFactory(description="已结束", until=today() - datetime.timedelta(days=1))
    created = services.risks_from_conflicts(by=admin)
    assert {(r.conflict, r.threat) for r in created} == {
        (consultancy, Threat.CONSULTANCY),
        (other, Threat.SELF_INTEREST),
    }
    risk = ImpartialityRisk.objects.get(conflict=consultancy)
    assert risk.next_review_on == consultancy.until and consultancy.client.name_zh in risk.control
    assert services.risks_from_conflicts(by=admin) == []  # once


def test_only_an_admin_keeps_the_register(admin):
    with pytest.raises(PermissionDenied):
        services.risk_record(
            threat="familiarity",
            description="x",
            likelihood=2,
            impact=2,
            control="",
            by=UserFactory(),
            next_review_on=today(),
        )
    risk = services.risk_record(
        threat="familiarity",
        description="审核员长期审核同一客户",
        likelihood=2,
        impact=3,
        control="同一审核员连续审核不超过两个认证周期",
        next_review_on=today() + datetime.timedelta(days=365),
        by=admin,
    )
    assert risk.score == 6
    reviewed = services.risk_review(
        risk=risk,
        likelihood=1,
        impact=3,
        control="轮换",
        next_review_on=today() + datetime.timedelta(days=180),
        by=admin,
    )
    assert (reviewed.score, reviewed.reviewed_on) == (3, today())
    with pytest.raises(ValidationError):
        services.risk_review(
            risk=risk, likelihood=1, impact=3, control="", next_review_on=today() - datetime.timedelta(days=1), by=admin
        )


def test_a_meeting_keeps_checked_minutes_and_tracks_its_actions(admin, client):
    member = services.committee_member_add(name="赵委员", interest="获证组织代表", joined_on=today(), by=admin)
    with pytest.raises(ValidationError):
        services.meeting_record(
            held_on=today(), summary="年度评审", attendees=[member], by=admin, minutes=exe_file("m.pdf")
        )
    meeting = services.meeting_record(
        held_on=today(), summary="年度评审", attendees=[member], by=admin, minutes=pdf_file("minutes.pdf")
    )
    action = services.meeting_action_add(
        meeting=meeting,
        description="更新风险评估",
        owner="质量部",
        due_on=today() + datetime.timedelta(days=30),
        by=admin,
    )
    services.meeting_action_done(action=action, by=admin)
    action.refresh_from_db()
    assert action.done_on == today()
    client.force_login(admin)
    response = client.get(reverse("complaints:minutes", args=[meeting.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


def test_declarations_are_yearly_and_the_due_list_names_who_has_none(admin):
    auditor = UserFactory(role=Role.AUDITOR)
    client_user = UserFactory(role=Role.CLIENT)
    assert {auditor, admin} <= set(services.declarations_due())
    assert client_user not in services.declarations_due()
    declaration = services.declaration_sign(by=auditor)
    assert declaration.valid_until == add_months(today(), 12) - datetime.timedelta(days=1)
    assert auditor not in services.declarations_due()
    assert auditor in services.declarations_due(within_days=400)
    with pytest.raises(PermissionDenied):
        services.declaration_sign(by=client_user)


def test_the_impartiality_page_shows_the_register_the_committee_and_the_due_list(
    admin, client, django_assert_max_num_queries
):
    services.risk_record(
        threat="self_review",
        description="同一机构提供培训",
        likelihood=1,
        impact=2,
        control="分离",
        next_review_on=today() + datetime.timedelta(days=90),
        by=admin,
    )
    client.force_login(admin)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("complaints:impartiality")).content.decode()
    assert "同一机构提供培训" in html and admin.full_name in html
