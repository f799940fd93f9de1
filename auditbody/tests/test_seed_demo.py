"""seed_demo: one user per role with the documented password, idempotent, refused in production."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from core.access import Role

pytestmark = pytest.mark.django_db

DEMO = {
    "admin": Role.CB_ADMIN,
    "auditor": Role.AUDITOR,
    "leader": Role.TEAM_LEADER,
    "committee": Role.COMMITTEE,
    "client": Role.CLIENT,
}


def test_seed_demo_creates_one_user_per_role_with_the_documented_password(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    for username, role in DEMO.items():
        user = User.objects.get(username=username)
        assert user.role == role
        assert user.check_password("demo12345")
    assert User.objects.get(username="client").client.name_zh == "中食互联（北京）科技有限公司"


def test_seed_demo_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    before = {m._meta.label: m.objects.count() for m in _models()}
    hashes = dict(User.objects.values_list("username", "password"))
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert {m._meta.label: m.objects.count() for m in _models()} == before
    assert dict(User.objects.values_list("username", "password")) == hashes


def test_seed_demo_is_refused_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=0"):
        call_command("seed_demo")
    assert not User.objects.exists()


def _models():
    from django.apps import apps

    project_apps = {"accounts", "standards", "clients", "people", "audits", "reports", "certification"}
    return [m for m in apps.get_models() if m._meta.app_label in project_apps]
