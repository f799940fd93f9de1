"""Who may open which view: the one mechanism every view uses.

Each view declares an access rule with the ``access`` decorator (functions and class-based
views alike). ``AccessRuleMiddleware`` evaluates it before the view runs and refuses any view
that declares none, so a page added without a rule is closed, not open.

Object-level checks are the other half: querysets of protected models offer
``.restrict(user, action)`` (see ``RestrictedQuerySet``) and views fetch objects only
through it, so changing an id in a URL gives 404.
"""

import functools
from collections.abc import Callable
from typing import Any, Self

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A user's role in the CB. Per-audit duties (leader or member of one audit's team)
    live on the audit's team assignment, not here."""

    CB_ADMIN = "cb_admin", _("CB administrator")
    AUDITOR = "auditor", _("Auditor")
    TEAM_LEADER = "team_leader", _("Team leader")
    COMMITTEE = "committee", _("Certification committee member")
    CLIENT = "client", _("Client user")


STAFF_ROLES = (Role.CB_ADMIN, Role.AUDITOR, Role.TEAM_LEADER, Role.COMMITTEE)
AUDITING_ROLES = (Role.AUDITOR, Role.TEAM_LEADER)


class Rule:
    """An access rule: ``allows(user)`` decides, ``label`` explains it in tests and docs."""

    label = "rule"

    def allows(self, user: Any) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<Rule {self.label}>"


class _Public(Rule):
    label = "public"

    def allows(self, user: Any) -> bool:
        return True


class _Authenticated(Rule):
    label = "authenticated"

    def allows(self, user: Any) -> bool:
        return bool(user.is_authenticated and user.is_active)


class RolesRule(Rule):
    def __init__(self, *roles: str) -> None:
        self.roles = frozenset(roles)
        self.label = "roles:" + ",".join(sorted(self.roles))

    def allows(self, user: Any) -> bool:
        return bool(user.is_authenticated and user.is_active and user.role in self.roles)


PUBLIC = _Public()
AUTHENTICATED = _Authenticated()


def roles(*allowed_roles: str) -> RolesRule:
    return RolesRule(*allowed_roles)


# The rules views use; name new ones here rather than repeating role lists in views.
CB_ADMIN = roles(Role.CB_ADMIN)
CB_STAFF = roles(*STAFF_ROLES)
AUDITING_STAFF = roles(*AUDITING_ROLES)
AUDITING_STAFF_AND_ADMIN = roles(Role.CB_ADMIN, *AUDITING_ROLES)
COMMITTEE = roles(Role.COMMITTEE)
CLIENT_USER = roles(Role.CLIENT)


def access(rule: Rule) -> Callable[[Any], Any]:
    """Declare who may use a view: ``@access(CB_ADMIN)`` on a function or a view class.

    Wrapping a function returns a new function, so Django's own views can be given a rule in
    urls.py without changing them for anybody else.
    """
    if not isinstance(rule, Rule):
        raise TypeError("access() takes a core.access.Rule")

    def decorate(view: Any) -> Any:
        if isinstance(view, type):
            setattr(view, "access_rule", rule)  # noqa: B010 (a class attribute the middleware reads)
            return view

        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return view(*args, **kwargs)

        wrapper.access_rule = rule  # type: ignore[attr-defined]  # an attribute the middleware reads off the view
        return wrapper

    return decorate


def rule_of(view_func: Any) -> Rule | None:
    """The access rule a resolved view declares, or None. A view of an admin site that declares
    ``access_rule`` has its site's rule (the site checks it itself; the menu reads it here)."""
    rule = getattr(view_func, "access_rule", None)
    if rule is None:
        view_class = getattr(view_func, "view_class", None)
        rule = getattr(view_class, "access_rule", None)
    if rule is None:
        site = getattr(view_func, "admin_site", None)
        rule = getattr(site, "access_rule", None)
    return rule


class RestrictedQuerySet(models.QuerySet):
    """Object-level permission, NetBox style: ``Model.objects.restrict(user, "view")``.

    A model's queryset subclasses this and implements ``restrict``; the default denies
    everything, so forgetting to implement it fails closed.
    """

    def restrict(self, user: Any, action: str = "view") -> Self:
        return self.none()


def restricted(model: type[models.Model], user: Any, action: str = "view") -> RestrictedQuerySet:
    """``model.objects.restrict(user, action)`` for a model known only at run time (a lifecycle
    machine's, a service's generic who-check); a model whose queryset cannot restrict is an error."""
    queryset = model._default_manager.all()
    if not isinstance(queryset, RestrictedQuerySet):
        raise TypeError(f"{model.__name__}'s queryset is not a RestrictedQuerySet: it has no restrict().")
    return queryset.restrict(user, action)


# --- rules that name a Django permission ---------------------------------------------------------

# Every permission a PermissionRule names. core.backends.ModelBackend loads, with the logged-in
# user's row, whether the user holds each of them, so a page (and its top bar, which asks every
# menu entry's rule) checks them without a query of its own.
_RULE_PERMISSIONS: list[str] = []


def rule_permissions() -> tuple[str, ...]:
    return tuple(_RULE_PERMISSIONS)


def holds_permission(user: Any, perm: str) -> bool:
    """``user.has_perm(perm)``, answered from what the login backend loaded with the user's row
    when it loaded it (``loaded_permissions``), else by Django (a query per request)."""
    loaded = getattr(user, "loaded_permissions", None)
    if loaded is None or perm not in loaded:
        return bool(user.has_perm(perm))
    # As User.has_perm: an active superuser holds every permission.
    return bool(user.is_active and (user.is_superuser or loaded[perm]))


class PermissionRule(Rule):
    """Active CB staff holding a Django permission (e.g. ``certification.approve_decision``).
    Superusers hold every permission; the services still apply their own rules to them."""

    def __init__(self, perm: str) -> None:
        self.perm = perm
        self.label = f"staff with perm:{perm}"
        if perm not in _RULE_PERMISSIONS:
            _RULE_PERMISSIONS.append(perm)

    def allows(self, user: Any) -> bool:
        return bool(
            user.is_authenticated and user.is_active and user.role in STAFF_ROLES and holds_permission(user, self.perm)
        )


class AnyOfRule(Rule):
    def __init__(self, *rules: Rule) -> None:
        self.rules = rules
        self.label = " or ".join(r.label for r in rules)

    def allows(self, user: Any) -> bool:
        return any(rule.allows(user) for rule in self.rules)


COMMITTEE_AND_ADMIN = roles(Role.CB_ADMIN, Role.COMMITTEE)
DECISION_APPROVER = PermissionRule("certification.approve_decision")
COMMITTEE_ADMIN_OR_APPROVER = AnyOfRule(COMMITTEE_AND_ADMIN, DECISION_APPROVER)
