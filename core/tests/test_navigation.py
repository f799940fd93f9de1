"""A menu item takes the access rule of its view: one rule object for the page and its link."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.urls import include, path

from core.access import AUTHENTICATED, CB_ADMIN, access
from core.navigation import NavItem, nav_items_for, view_rule


@access(CB_ADMIN)
def admin_only(request):
    return HttpResponse("ok")


class Undeclared:
    """A view someone forgot to guard: the middleware refuses it to everybody."""

    def __call__(self, request):
        return HttpResponse("ok")


urlpatterns = [
    path("admin-only/", admin_only, name="admin_only"),
    path("open/", access(AUTHENTICATED)(admin_only), name="open"),
    path("undeclared/", Undeclared(), name="undeclared"),
    path("sub/", include(([path("page/", admin_only, name="page")], "sub"))),
]


class Urls:
    urlpatterns = urlpatterns


class FakeNav:
    __name__ = "fake.nav"
    ITEMS = [
        NavItem("Admin only", "admin_only"),
        NavItem("Open", "open"),
        NavItem("Undeclared", "undeclared"),
        NavItem("Namespaced", "sub:page"),
    ]


class User:
    is_authenticated = True
    is_active = True

    def __init__(self, role):
        self.role = role


@pytest.fixture
def fake_nav(settings, monkeypatch):
    settings.ROOT_URLCONF = Urls
    monkeypatch.setattr("core.navigation._nav_modules", lambda: iter([FakeNav]))


def test_an_item_without_a_rule_takes_the_rule_its_view_declares(fake_nav):
    assert NavItem("x", "admin_only").access_rule() is CB_ADMIN
    assert NavItem("x", "open").access_rule() is AUTHENTICATED
    assert view_rule("sub:page") is CB_ADMIN


def test_an_explicit_rule_wins_over_the_views(fake_nav):
    assert NavItem("x", "admin_only", AUTHENTICATED).access_rule() is AUTHENTICATED


def test_the_menu_shows_each_user_the_items_their_role_admits(fake_nav):
    admin = [item.label for item, _url in nav_items_for(User("cb_admin"))]
    auditor = [item.label for item, _url in nav_items_for(User("auditor"))]
    assert admin == ["Admin only", "Open", "Namespaced"]
    assert auditor == ["Open"]
    assert nav_items_for(AnonymousUser()) == []


def test_an_item_whose_view_declares_no_rule_is_shown_to_nobody(fake_nav):
    assert NavItem("x", "undeclared").access_rule() is None
    assert "Undeclared" not in [item.label for item, _url in nav_items_for(User("cb_admin"))]
