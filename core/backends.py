"""The login backend: Django's ``ModelBackend``, which also loads, in the same query as the
logged-in user's row, whether the user holds each permission an access rule names
(``core.access.PermissionRule``). Every page asks the rules of the menu entries it shows in the
top bar; without this, a rule naming a permission would cost each page a permission lookup."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q

from .access import rule_permissions


def _holds(perm: str) -> Exists:
    """Whether the outer user holds ``perm`` ("app_label.codename") directly or through a group."""
    app_label, codename = perm.split(".", 1)
    return Exists(
        Permission.objects.filter(
            Q(user=OuterRef("pk")) | Q(group__user=OuterRef("pk")),
            content_type__app_label=app_label,
            codename=codename,
        )
    )


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id: Any) -> Any:
        user_model = get_user_model()
        perms = rule_permissions()
        flags = {f"holds_rule_permission_{i}": _holds(perm) for i, perm in enumerate(perms)}
        try:
            user: Any = user_model._default_manager.annotate(**flags).get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        user.loaded_permissions = {perm: bool(getattr(user, name)) for perm, name in zip(perms, flags, strict=True)}
        return user if self.user_can_authenticate(user) else None
