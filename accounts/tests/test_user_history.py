"""A user's changes keep their old and new values: moving a user to another organisation grants
access to that organisation's records at once, so who did it and what it was before are kept."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from core.access import Role
from core.history import set_history_user

pytestmark = pytest.mark.django_db


def test_moving_a_user_to_another_organisation_records_old_new_and_who():
    user = UserFactory(role=Role.CLIENT)
    before = user.client
    admin = UserFactory(role=Role.CB_ADMIN)
    user.client = UserFactory(role=Role.CLIENT).client  # another organisation
    set_history_user(user, admin)
    user.save()
    latest, previous = user.history.all()[:2]
    changes = {c.field: (c.old, c.new) for c in latest.diff_against(previous).changes}
    assert changes["client"] == (before.pk, user.client_id)
    assert latest.history_user == admin


def test_a_login_adds_no_history_row(client):
    user = UserFactory(role=Role.AUDITOR)
    rows = user.history.count()
    response = client.post(reverse("login"), {"username": user.username, "password": "pw-for-tests-1"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.last_login is not None
    assert user.history.count() == rows
