"""The auditor page makes a new auditor in one go: the login with the profile (no password typed:
a link to set it), several qualifications in one save, and a declared consultancy whose two-year
bar (ISO/IEC 17021-1 5.2.10) is computed from its end date and shown."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory
from clients.tests.factories import ClientFactory
from core.access import Role
from people.models import AuditorProfile, ConflictOfInterest
from people.tests.factories import AuditorProfileFactory, QualificationFactory

pytestmark = pytest.mark.django_db

D = datetime.date


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


def _new_auditor(**overrides):
    data = {
        "new_username": "zhuxiaoli",
        "new_full_name": "朱晓丽",
        "new_email": "zhu@cb.example",
        "new_role": Role.TEAM_LEADER,
        "registration_number": "2018-N1QMS-2205805",
        "gender": "female",
        "active": "on",
        "competence_codes": "",
        **_management("qualifications", 3),
        "qualifications-0-family": "QMS",
        "qualifications-0-level": "lead_auditor",
        "qualifications-0-valid_from": "2018-01-01",
        "qualifications-1-family": "EMS",
        "qualifications-1-level": "auditor",
        "qualifications-1-valid_from": "2019-01-01",
        "qualifications-2-family": "OHSMS",
        "qualifications-2-level": "auditor",
        "qualifications-2-valid_from": "2020-01-01",
        **_management("conflicts"),
    }
    data.update(overrides)
    return data


def test_a_new_auditor_is_made_with_their_login_and_a_password_set_link(admin_client):
    response = admin_client.post(reverse("people:auditor_create"), _new_auditor(), follow=True)
    user = User.objects.get(username="zhuxiaoli")
    assert (user.full_name, user.email, user.role) == ("朱晓丽", "zhu@cb.example", Role.TEAM_LEADER)
    assert not user.has_usable_password()  # nobody typed a password for them
    assert user.auditor_profile.registration_number == "2018-N1QMS-2205805"
    html = response.content.decode()
    link = html.split("set their password (it works once): ")[1].split("<")[0].strip()
    assert "/password/set/" in link
    # The auditor sets their own password through the link, which then stops working.
    page = admin_client.get(link, follow=True)
    assert 'data-testid="password-set-form"' in page.content.decode()
    admin_client.post(
        page.redirect_chain[-1][0], {"new_password1": "Zhu-2026-audit!", "new_password2": "Zhu-2026-audit!"}
    )
    user.refresh_from_db()
    assert user.check_password("Zhu-2026-audit!")
    assert 'data-testid="password-set-invalid"' in admin_client.get(link, follow=True).content.decode()


def test_the_create_page_offers_a_row_for_every_family_and_saves_them_in_one_go(admin_client):
    page = admin_client.get(reverse("people:auditor_create"))
    assert page.context["formsets"]["qualifications"].total_form_count() == 3
    admin_client.post(reverse("people:auditor_create"), _new_auditor())
    profile = AuditorProfile.objects.get(user__username="zhuxiaoli")
    assert sorted(profile.qualifications.values_list("family", flat=True)) == ["EMS", "OHSMS", "QMS"]


def test_the_edit_page_offers_a_row_for_each_missing_family():
    q = QualificationFactory(family="QMS")
    from people.forms import auditor_formsets

    assert auditor_formsets(instance=q.profile)["qualifications"].total_form_count() == 3  # 1 held + 2 blank


def test_a_new_user_and_an_existing_one_together_is_refused_on_the_page(admin_client):
    existing = UserFactory(role=Role.AUDITOR)
    response = admin_client.post(reverse("people:auditor_create"), _new_auditor(user=existing.pk))
    assert response.status_code == 200
    assert "Choose an existing user or make a new one, not both." in response.content.decode()
    assert not User.objects.filter(username="zhuxiaoli").exists()


def test_neither_a_user_nor_a_new_one_is_refused_on_the_page(admin_client):
    response = admin_client.post(reverse("people:auditor_create"), _new_auditor(new_username=""))
    assert response.status_code == 200
    assert "Choose an existing user or enter the new user&#x27;s login name." in response.content.decode()
    assert not AuditorProfile.objects.exists()


def test_a_taken_login_name_is_refused_on_the_page(admin_client):
    UserFactory(username="zhuxiaoli", role=Role.AUDITOR)
    response = admin_client.post(reverse("people:auditor_create"), _new_auditor())
    assert "A user with this login name already exists" in response.content.decode()
    assert not AuditorProfile.objects.exists()


def _consultancy(profile, client, **fields):
    return {
        "registration_number": profile.registration_number,
        "gender": profile.gender,
        "active": "on",
        "competence_codes": "",
        **_management("qualifications"),
        **_management("conflicts", 1),
        "conflicts-0-client": client.pk,
        "conflicts-0-description": "2024年为该客户提供体系咨询",
        "conflicts-0-declared_on": "2025-03-01",
        **fields,
    }


def test_a_consultancy_end_date_bars_the_auditor_for_two_years_and_the_list_shows_until_when(admin_client):
    profile, consulted = AuditorProfileFactory(), ClientFactory(name_zh="咨询过的公司")
    response = admin_client.post(
        reverse("people:auditor_edit", args=[profile.pk]),
        _consultancy(profile, consulted, **{"conflicts-0-consulting_ended_on": "2024-11-30"}),
    )
    assert response.status_code == 302
    conflict = ConflictOfInterest.objects.get(profile=profile)
    assert (conflict.consulting_ended_on, conflict.until) == (D(2024, 11, 30), D(2026, 11, 30))
    html = admin_client.get(reverse("people:auditor_list")).content.decode()
    assert "barred until 2026-11-30" in html and "consultancy ended 2024-11-30" in html


def test_a_shorter_bar_than_two_years_after_the_consultancy_is_refused(admin_client):
    profile, consulted = AuditorProfileFactory(), ClientFactory()
    response = admin_client.post(
        reverse("people:auditor_edit", args=[profile.pk]),
        _consultancy(
            profile, consulted, **{"conflicts-0-consulting_ended_on": "2024-11-30", "conflicts-0-until": "2025-06-30"}
        ),
    )
    assert response.status_code == 200
    assert "bars the auditor until 2026-11-30 at least" in response.content.decode()
    assert not ConflictOfInterest.objects.exists()
