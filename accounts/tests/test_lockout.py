"""Login throttling: repeated failures lock a username and an address out (django-axes), on the
site's login and on the admin login; a CB administrator unlocks in the admin."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import UserFactory
from core.access import Role

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"  # UserFactory's


@pytest.fixture(autouse=True)
def _three_failures(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.AXES_FAILURE_LIMIT = 3


def _login(client, username, password, url_name="login", address="203.0.113.7", **meta):
    return client.post(reverse(url_name), {"username": username, "password": password}, REMOTE_ADDR=address, **meta)


def _logged_in(client):
    return "_auth_user_id" in client.session


def test_the_right_password_is_refused_after_repeated_failures_for_the_user(client):
    user = UserFactory(role=Role.AUDITOR)
    for _ in range(3):
        _login(client, user.username, "wrong")
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert not _logged_in(client)
    # The same user name from another address is locked too (per username).
    assert _login(client, user.username, PASSWORD, address="198.51.100.9").status_code == 429


def test_failures_over_many_user_names_lock_the_address(client):
    user = UserFactory(role=Role.AUDITOR)
    for n in range(3):
        _login(client, f"guess{n}", "wrong", address="203.0.113.66")
    assert _login(client, user.username, PASSWORD, address="203.0.113.66").status_code == 429
    assert _login(client, user.username, PASSWORD, address="203.0.113.67").status_code == 302


def test_behind_a_trusted_proxy_the_forwarded_client_is_locked_not_the_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user = UserFactory(role=Role.AUDITOR)
    for n in range(3):
        _login(client, f"guess{n}", "wrong", address="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    assert (
        _login(client, user.username, PASSWORD, address="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66").status_code
        == 429
    )
    assert (
        _login(client, user.username, PASSWORD, address="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.67").status_code
        == 302
    )


def test_the_lockout_page_says_what_happened_and_who_unlocks_in_both_languages(client, settings):
    settings.LOGIN_LOCKOUT_MINUTES = 30
    user = UserFactory(role=Role.AUDITOR)
    for _ in range(3):
        _login(client, user.username, "wrong")
    with translation.override("en"):
        english = _login(client, user.username, PASSWORD, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "after 3 failed attempts" in english
    assert "Try again in 30 minutes" in english
    assert "administrator to unlock" in english
    chinese = _login(client, user.username, PASSWORD, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "登录已锁定" in chinese
    assert "管理员" in chinese


def test_the_admin_login_is_throttled_the_same_way(client):
    admin = UserFactory(role=Role.CB_ADMIN, is_staff=True)
    for _ in range(3):
        _login(client, admin.username, "wrong", url_name="admin:login")
    assert _login(client, admin.username, PASSWORD, url_name="admin:login").status_code == 429
    assert not _logged_in(client)


def test_a_cb_administrator_unlocks_in_the_admin(client):
    user = UserFactory(role=Role.CLIENT)
    for _ in range(3):
        _login(client, user.username, "wrong")
    assert _login(client, user.username, PASSWORD).status_code == 429

    admin_client = client.__class__()
    admin_client.force_login(UserFactory(role=Role.CB_ADMIN, is_staff=True, is_superuser=True))
    attempts = list(AccessAttempt.objects.filter(username=user.username).values_list("pk", flat=True))
    assert attempts
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert admin_client.get(changelist).status_code == 200
    admin_client.post(changelist, {"action": "delete_selected", "_selected_action": attempts, "post": "yes"})
    assert not AccessAttempt.objects.filter(username=user.username).exists()

    assert _login(client, user.username, PASSWORD).status_code == 302
    assert _logged_in(client)
