import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from accounts.tests.factories import UserFactory
from core.access import Role

pytestmark = pytest.mark.django_db


def test_client_user_cannot_be_created_without_an_organisation():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="orphan", password="x-pass-123", role=Role.CLIENT)


def test_client_user_without_organisation_fails_validation_with_a_message():
    user = User(username="orphan", role=Role.CLIENT)
    with pytest.raises(ValidationError) as excinfo:
        user.full_clean()
    assert "client" in excinfo.value.message_dict


@pytest.mark.parametrize("role", [Role.CB_ADMIN, Role.AUDITOR, Role.TEAM_LEADER, Role.COMMITTEE])
def test_staff_cannot_belong_to_a_client_organisation(role):
    with pytest.raises(IntegrityError), transaction.atomic():
        client = UserFactory(role=Role.CLIENT).client  # any client organisation
        User.objects.create_user(username="staffer", role=role, client=client)


def test_unknown_role_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="nobody", role="wizard")


def test_client_user_belongs_to_exactly_one_organisation():
    user = UserFactory(role=Role.CLIENT)
    assert user.client is not None
    assert user.is_client_user and not user.is_cb_staff


def test_superuser_is_a_cb_administrator():
    user = User.objects.create_superuser(username="root", password="x-pass-123")
    assert user.role == Role.CB_ADMIN


@pytest.mark.parametrize(
    "role,is_staff,can_enter",
    [
        (Role.CB_ADMIN, True, True),
        (Role.AUDITOR, True, False),
        (Role.COMMITTEE, True, False),
        (Role.CB_ADMIN, False, False),
    ],
)
def test_admin_site_is_for_cb_administrators_only(client, role, is_staff, can_enter):
    user = UserFactory(role=role, is_staff=is_staff)
    client.force_login(user)
    response = client.get("/admin/")
    assert (response.status_code == 200) is can_enter
