"""CB pages to manage auditors: list (fixed queries), create and edit with the qualification and
conflict-of-interest formsets."""

import datetime

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from clients.tests.factories import ClientFactory, technical_area
from core.access import Role
from people.models import AuditorProfile
from people.tests.factories import AuditorProfileFactory, ConflictOfInterestFactory, QualificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(UserFactory(role=Role.CB_ADMIN))
    return client


def _management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_list_takes_the_same_number_of_queries_for_2_and_12_auditors(admin_client, django_assert_num_queries):
    def make(n):
        for _ in range(n):
            q = QualificationFactory()
            q.profile.technical_areas.add(technical_area("33.02"))
            ConflictOfInterestFactory(profile=q.profile)

    make(2)
    admin_client.get(reverse("people:auditor_list"))
    with django_assert_num_queries(6) as small:
        response = admin_client.get(reverse("people:auditor_list"))
    assert len(response.context["profiles"]) == 2
    make(10)
    with django_assert_num_queries(len(small.captured_queries)):
        response = admin_client.get(reverse("people:auditor_list"))
    assert len(response.context["profiles"]) == 12


def test_list_shows_registration_qualification_codes_and_conflicts(admin_client):
    profile = AuditorProfileFactory(registration_number="2018-N1QMS-2205805", user__full_name="朱晓丽")
    QualificationFactory(profile=profile, level="lead_auditor")
    profile.technical_areas.add(technical_area("33.02.01"))
    ConflictOfInterestFactory(
        profile=profile, client=ClientFactory(name_zh="咨询过的公司"), until=datetime.date(2021, 6, 30)
    )
    html = admin_client.get(reverse("people:auditor_list")).content.decode()
    for text in ["朱晓丽", "2018-N1QMS-2205805", "QMS Lead auditor", "33.02.01", "咨询过的公司", "2021-06-30"]:
        assert text in html, text


def test_cb_admin_creates_the_seed_team_leaders_profile(admin_client):
    leader = UserFactory(role=Role.TEAM_LEADER, full_name="朱晓丽")
    technical_area("33.02.01")
    consulted = ClientFactory()
    data = {
        "user": leader.pk,
        "registration_number": "2018-N1QMS-2205805",
        "gender": "female",
        "phone": "",
        "active": "on",
        "competence_codes": "33.02.01",
        **_management("qualifications", 1),
        "qualifications-0-family": "QMS",
        "qualifications-0-level": "lead_auditor",
        "qualifications-0-registration_number": "2018-N1QMS-2205805",
        "qualifications-0-valid_from": "2018-01-01",
        **_management("conflicts", 1),
        "conflicts-0-client": consulted.pk,
        "conflicts-0-description": "2019年为该客户提供咨询",
        "conflicts-0-declared_on": "2019-03-01",
        "conflicts-0-until": "2021-02-28",
    }
    response = admin_client.post(reverse("people:auditor_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    profile = leader.auditor_profile
    assert profile.registration_number == "2018-N1QMS-2205805" and profile.gender == "female"
    assert [a.code for a in profile.technical_areas.all()] == ["33.02.01"]
    assert list(profile.qualifications.values_list("family", "level")) == [("QMS", "lead_auditor")]
    assert profile.conflicts.get().client == consulted


def test_create_offers_only_auditors_and_team_leaders_without_a_profile(admin_client):
    auditor = UserFactory(role=Role.AUDITOR)
    leader = UserFactory(role=Role.TEAM_LEADER)
    has_one = AuditorProfileFactory().user
    committee = UserFactory(role=Role.COMMITTEE)
    choices = admin_client.get(reverse("people:auditor_create")).context["form"].fields["user"].queryset
    assert set(choices) == {auditor, leader}
    assert has_one not in choices and committee not in choices


def test_create_for_a_committee_member_is_refused(admin_client):
    committee = UserFactory(role=Role.COMMITTEE)
    data = {
        "user": committee.pk,
        "registration_number": "2018-N1QMS-2205805",
        "gender": "male",
        **_management("qualifications"),
        **_management("conflicts"),
    }
    response = admin_client.post(reverse("people:auditor_create"), data)
    assert response.status_code == 200
    assert not AuditorProfile.objects.exists()


def test_bad_registration_number_and_duplicate_family_are_refused_on_the_page(admin_client):
    profile = AuditorProfileFactory()
    data = {
        "registration_number": "N1QMS2205805",
        "gender": "female",
        "competence_codes": "",
        **_management("qualifications", 2),
        "qualifications-0-family": "QMS",
        "qualifications-0-level": "auditor",
        "qualifications-0-valid_from": "2018-01-01",
        "qualifications-1-family": "QMS",
        "qualifications-1-level": "lead_auditor",
        "qualifications-1-valid_from": "2019-01-01",
        **_management("conflicts"),
    }
    html = admin_client.post(reverse("people:auditor_edit", args=[profile.pk]), data).content.decode()
    assert "Enter a registration number like 2018-N1QMS-2205805" in html
    assert "Please correct the duplicate data for family" in html or "Qualification with this" in html
    assert not profile.qualifications.exists()


def test_edit_changes_codes_and_removes_a_qualification(admin_client):
    q = QualificationFactory()
    profile = q.profile
    profile.technical_areas.add(technical_area("33.01"))
    data = {
        "registration_number": profile.registration_number,
        "gender": "male",
        "active": "on",
        "competence_codes": "33.02 19",
        **_management("qualifications", 1, 1),
        "qualifications-0-id": q.pk,
        "qualifications-0-family": "QMS",
        "qualifications-0-level": "auditor",
        "qualifications-0-valid_from": "2018-01-01",
        "qualifications-0-DELETE": "on",
        **_management("conflicts"),
    }
    technical_area("33.02"), technical_area("19")
    response = admin_client.post(reverse("people:auditor_edit", args=[profile.pk]), data)
    assert response.status_code == 302
    assert sorted(a.code for a in profile.technical_areas.all()) == ["19", "33.02"]
    assert not profile.qualifications.exists()
    assert profile.history.latest().gender == "male"


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.TEAM_LEADER, Role.COMMITTEE, Role.CLIENT])
def test_only_cb_admin_edits_profiles(client, role):
    profile = AuditorProfileFactory()
    client.force_login(UserFactory(role=role))
    assert client.post(reverse("people:auditor_edit", args=[profile.pk]), {"gender": "male"}).status_code == 403
    profile.refresh_from_db()
    assert profile.gender == "female"
