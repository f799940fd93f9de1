import pytest
from django.urls import reverse
from django.utils import translation

from core.access import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", Role.values)
def test_each_role_sees_its_own_start_page(client, user_of_role, role):
    user = user_of_role(role)
    client.force_login(user)
    response = client.get(reverse("accounts:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    with translation.override("en"):
        assert f"{Role(role).label} start page" in response.content.decode()
    response = client.get(reverse("accounts:home"))
    with translation.override("zh-hans"):
        assert f"{Role(role).label}首页" in response.content.decode()


def test_administration_link_is_shown_to_cb_admin_only(client, user_of_role):
    admin_url = reverse("admin:index")
    client.force_login(user_of_role(Role.CB_ADMIN))
    assert admin_url in client.get(reverse("accounts:home")).content.decode()
    client.force_login(user_of_role(Role.AUDITOR))
    assert admin_url not in client.get(reverse("accounts:home")).content.decode()


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse('accounts:home')}"


def test_login_and_logout(client, make_user):
    make_user(role=Role.AUDITOR, username="zhu", password="correct-horse-9")
    response = client.post(reverse("login"), {"username": "zhu", "password": "correct-horse-9"})
    assert response.status_code == 302 and response.url == reverse("accounts:home")
    assert client.get(reverse("accounts:home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("accounts:home")).status_code == 302


def test_wrong_password_shows_a_message_not_an_error(client, make_user):
    make_user(username="zhu", password="correct-horse-9")
    response = client.post(reverse("login"), {"username": "zhu", "password": "nope"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_inactive_user_is_refused(client, make_user):
    user = make_user(role=Role.CB_ADMIN, is_active=False)
    client.force_login(user)
    assert client.get(reverse("accounts:home")).status_code == 302


def test_password_change(client, make_user):
    user = make_user(password="old-pass-123x")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": "old-pass-123x", "new_password1": "new-pass-456y", "new_password2": "new-pass-456y"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("new-pass-456y")
