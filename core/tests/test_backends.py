"""The login backend loads, with the user's row, whether the user holds each permission a
PermissionRule names: the rule then answers like ``User.has_perm`` without a query of its own."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from core import access
from core.access import PermissionRule, Role
from core.backends import ModelBackend

pytestmark = pytest.mark.django_db

PERM = "auth.view_group"


@pytest.fixture
def rule(monkeypatch):
    monkeypatch.setattr(access, "_RULE_PERMISSIONS", [])
    return PermissionRule(PERM)


def _permission():
    return Permission.objects.get(content_type__app_label="auth", codename="view_group")


def _cases(make_user):
    direct = make_user(role=Role.AUDITOR)
    direct.user_permissions.add(_permission())
    group = Group.objects.create(name="approvers")
    group.permissions.add(_permission())
    via_group = make_user(role=Role.TEAM_LEADER)
    via_group.groups.add(group)
    return [
        (direct, True),
        (via_group, True),
        (make_user(role=Role.AUDITOR, is_superuser=True), True),
        (make_user(role=Role.AUDITOR), False),
        (make_user(role=Role.CLIENT), False),  # holds nothing; the rule is for CB staff anyway
    ]


def test_the_rule_answers_from_the_loaded_user_without_a_query(rule, make_user, django_assert_num_queries):
    for user, holds in _cases(make_user):
        with django_assert_num_queries(1):  # the user's row, with the permission flags
            loaded = ModelBackend().get_user(user.pk)
            assert access.holds_permission(loaded, PERM) is holds
            rule.allows(loaded)
        fresh = get_user_model().objects.get(pk=user.pk)
        assert fresh.has_perm(PERM) is holds  # the same answer as Django's
        assert rule.allows(loaded) is (holds and user.role != Role.CLIENT)


def test_a_user_not_loaded_by_the_backend_is_asked_through_django(rule, make_user):
    user = make_user(role=Role.AUDITOR)
    assert not rule.allows(user)
    user.user_permissions.add(_permission())
    assert rule.allows(get_user_model().objects.get(pk=user.pk))


def test_an_inactive_user_is_not_loaded(make_user):
    assert ModelBackend().get_user(make_user(is_active=False).pk) is None
