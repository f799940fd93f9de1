"""What a change of a user's role must tell the person making it, asked by every place that
changes a role (the admin site's user form; any page that changes a role calls
``role_change_warnings`` the same way). Accounts is the lowest app with users and imports no
higher one: the apps that know why a role change matters register a check in their
``AppConfig.ready()`` (the certification app: a user on the team of an audit awaiting a decision
stays barred from that decision, ISO/IEC 17021-1 9.5.1.2)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# check(user=…, old_role=…, new_role=…) -> the warnings to show (translated text).
RoleChangeCheck = Callable[..., list[str]]

_checks: dict[str, RoleChangeCheck] = {}


def register_role_change_check(name: str, check: RoleChangeCheck) -> None:
    """Register (or replace, by name: ``ready()`` may run twice in tests) a role-change check."""
    _checks[name] = check


def role_change_warnings(*, user: Any, old_role: str, new_role: str) -> list[str]:
    """The warnings every registered check gives for ``user``'s role changing; none when the
    role does not change."""
    if old_role == new_role:
        return []
    warnings: list[str] = []
    for check in _checks.values():
        warnings += check(user=user, old_role=old_role, new_role=new_role)
    return warnings
