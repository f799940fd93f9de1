"""Navigation and home-page actions, contributed by each app.

An app that has pages adds a ``nav.py`` module with

* ``ITEMS``: a list of ``NavItem`` (label, URL name), shown in the top bar to the users the
  item's view admits, and
* optionally ``next_actions(user, shown=frozenset()) -> list[Action]``: the concrete things this
  user should do next (an NC awaiting verification, a report to approve …), shown on the home
  page; each with a ``meta["kind"]``. ``shown`` names the kinds the page shows already in its own
  sections: the provider skips computing them (their queries cost the start page the most).

No app edits another app's menu. The menu can never show a link its view would refuse: an item
takes the access rule its view declares (``core.access.access``), so there is one rule object
for the page and its menu entry.
"""

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, get_urlconf, resolve, reverse
from django.utils.translation import gettext_lazy as _

from .access import Rule, rule_of

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Items ordered at or after this go to the user menu (password, administration), not the top bar.
USER_MENU_ORDER = 900

# Top-bar groups: items of one group share a drop-down, so the bar stays one line for every role
# (a group the user sees a single item of is shown as that item's plain link).
GROUP_AUDITS = _("Audits")
GROUP_REPORTS = _("Reports")
GROUP_CERTIFICATION = _("Certification")
GROUP_REFERENCE = _("Reference data")


def view_rule(url_name: str) -> Rule | None:
    """The access rule of the view ``url_name`` resolves to (None if it declares none)."""
    return _view_rule(url_name, get_urlconf() or settings.ROOT_URLCONF)


@functools.cache
def _view_rule(url_name: str, urlconf: Any) -> Rule | None:
    return rule_of(resolve(reverse(url_name, urlconf=urlconf), urlconf=urlconf).func)


@dataclass(frozen=True)
class NavItem:
    label: "StrOrPromise"
    url_name: str
    # Left out, the rule is the one the item's view declares; give one only where the menu must
    # differ from the page, and say why.
    rule: Rule | None = None
    description: "StrOrPromise" = ""
    order: int = 100
    group: "StrOrPromise" = ""

    def access_rule(self) -> Rule | None:
        return self.rule if self.rule is not None else view_rule(self.url_name)


@dataclass
class NavEntry:
    """One place in the top bar: a plain link (``url`` set) or a drop-down of ``items``."""

    label: "StrOrPromise"
    url: str = ""
    items: list[tuple[NavItem, str]] = field(default_factory=list)
    active: bool = False


@dataclass(frozen=True)
class Action:
    label: str
    url: str
    detail: str = ""
    urgent: bool = False
    meta: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


def _nav_modules() -> Iterator[ModuleType]:
    for config in apps.get_app_configs():
        try:
            yield import_module(f"{config.name}.nav")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.nav":
                raise


def nav_items_for(user: Any) -> list[tuple[NavItem, str]]:
    """(item, url) of every menu item the user's role admits, in menu order. A view that
    declares no rule is refused to everybody (core.middleware), so its item is never shown."""
    items = []
    for module in _nav_modules():
        for item in getattr(module, "ITEMS", []):
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            rule = item.access_rule()
            if rule is None or not rule.allows(user):
                continue
            items.append((item, url))
    return sorted(items, key=lambda pair: pair[0].order)


def top_bar_entries(items: list[tuple[NavItem, str]], path: str = "") -> list[NavEntry]:
    """Group the top-bar items (``nav_items_for`` pairs, already sorted) into ``NavEntry``s, each
    group placed where its first item is; ``active`` marks the entry holding ``path``."""
    entries, by_group = [], {}
    for item, url in items:
        if not item.group:
            entries.append(NavEntry(label=item.label, url=url))
            continue
        key = str(item.group)
        if key not in by_group:
            by_group[key] = NavEntry(label=item.group)
            entries.append(by_group[key])
        by_group[key].items.append((item, url))
    for entry in by_group.values():
        if len(entry.items) == 1:
            item, url = entry.items[0]
            entry.label, entry.url, entry.items = item.label, url, []
    for entry in entries:
        entry.active = path == entry.url or any(path == url for _item, url in entry.items)
    return entries


def next_actions_for(user: Any, *, shown: frozenset[str] = frozenset()) -> list[Action]:
    """Every app's next actions for the user, urgent first, without the kinds in ``shown``."""
    actions: list[Action] = []
    for module in _nav_modules():
        provider = getattr(module, "next_actions", None)
        if provider is not None:
            actions.extend(a for a in provider(user, shown=shown) if a.meta.get("kind") not in shown)
    return sorted(actions, key=lambda action: not action.urgent)
