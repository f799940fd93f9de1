"""Navigation and home-page actions, contributed by each app.

An app that has pages adds a ``nav.py`` module with

* ``ITEMS``: a list of ``NavItem`` (label, URL name, access rule), shown in the top bar to the
  users the rule allows, and
* optionally ``next_actions(user) -> list[Action]``: the concrete things this user should do
  next (an NC awaiting verification, a report to approve …), shown on the home page.

No app edits another app's menu, and the menu can never show a link its view would refuse,
because both use the same rule object.
"""
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from .access import Rule

# Items ordered at or after this go to the user menu (password, administration), not the top bar.
USER_MENU_ORDER = 900


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    rule: Rule
    description: str = ""
    order: int = 100


@dataclass(frozen=True)
class Action:
    label: str
    url: str
    detail: str = ""
    urgent: bool = False
    meta: dict = field(default_factory=dict, hash=False, compare=False)


def _nav_modules():
    for config in apps.get_app_configs():
        try:
            yield import_module(f"{config.name}.nav")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.nav":
                raise


def nav_items_for(user):
    items = []
    for module in _nav_modules():
        for item in getattr(module, "ITEMS", []):
            if not item.rule.allows(user):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            items.append((item, url))
    return sorted(items, key=lambda pair: pair[0].order)


def next_actions_for(user):
    actions = []
    for module in _nav_modules():
        provider = getattr(module, "next_actions", None)
        if provider is not None:
            actions.extend(provider(user))
    return sorted(actions, key=lambda action: not action.urgent)
