"""Every menu item of every app shows exactly to the users its page admits.

Each item is checked against what its page really answers each role's user (not against the rule
the item reads), so a menu rule that differs from its view's is caught whichever side is wrong.
"""

import pytest
from django.urls import reverse

from core.access import Role
from core.navigation import _nav_modules, nav_items_for

ITEMS = [(module.__name__, item) for module in _nav_modules() for item in getattr(module, "ITEMS", [])]


def _admitted(client, user, url):
    client.force_login(user)
    response = client.get(url)
    if response.status_code == 302:
        # Refusals of a logged-in user: 403, or the admin's redirect to its own login page.
        return not response.url.startswith((reverse("login"), reverse("admin:login")))
    return response.status_code != 403


def test_every_app_contributes_its_menu():
    assert {name.split(".")[0] for name, _item in ITEMS} >= {"accounts", "standards", "clients", "people"}


@pytest.mark.django_db
@pytest.mark.parametrize("module,item", ITEMS, ids=[item.url_name for _module, item in ITEMS])
def test_the_menu_item_shows_exactly_to_the_users_its_page_admits(client, user_of_role, module, item):
    url = reverse(item.url_name)
    shown_to = {role for role in Role.values if (item, url) in nav_items_for(user_of_role(role))}
    admitted = {role for role in Role.values if _admitted(client, user_of_role(role), url)}
    assert shown_to == admitted, f"{module}: {item.url_name}"
